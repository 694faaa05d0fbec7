/** The engine worker's engine, loaded by worker.ts (the worker thread's entry point) once the compile cache is on. */
import { parseSourceFile } from '../engine/parse/index.js';
import { review } from '../engine/review.js';
import { scan } from '../engine/scan.js';
import { serveEngine } from './protocol.js';

serveEngine({ review, scan, parse: (file) => parseSourceFile(file) });
