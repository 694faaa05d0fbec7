/** The engine worker's entry point (a worker thread started by the engine runner): the real engine. */
import { parseSourceFile } from '../engine/parse/index.js';
import { review } from '../engine/review.js';
import { scan } from '../engine/scan.js';
import { serveEngine } from './protocol.js';

serveEngine({ review, scan, parse: (file) => parseSourceFile(file) });
