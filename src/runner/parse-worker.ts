/** The parse helper's entry point (a worker thread started by the engine runner for CLI scans): the parser only. */
import { parseSourceFile } from '../engine/parse/index.js';
import { serveParser } from './protocol.js';

serveParser((file) => parseSourceFile(file));
