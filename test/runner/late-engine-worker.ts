/**
 * The real engine, served a second late (as if loading it took that long): files fed meanwhile wait in
 * its port, so a parse helper started with it claims every one of them first. Makes the helper's share
 * of a scan deterministic in tests.
 */
import { review } from '../../src/engine/review.js';
import { scan } from '../../src/engine/scan.js';
import { parseSourceFile } from '../../src/engine/parse/index.js';
import { serveEngine } from '../../src/runner/protocol.js';

await new Promise((resolve) => setTimeout(resolve, 1_000));
serveEngine({ review, scan, parse: (file) => parseSourceFile(file) });
