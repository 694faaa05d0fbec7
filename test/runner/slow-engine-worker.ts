/**
 * A deliberately pathological engine for tests: the real engine, except that a file holding the marker
 * `keyref-test: spin` makes it spin forever on that file (as a backtracking regex would), after
 * reporting the file as its progress. Started by the engine runner as its worker module.
 */
import { review } from '../../src/engine/review.js';
import { scan } from '../../src/engine/scan.js';
import { parseSourceFile } from '../../src/engine/parse/index.js';
import type { SourceFile } from '../../src/engine/model.js';
import { serveEngine } from '../../src/runner/protocol.js';

export const SPIN_MARKER = 'keyref-test: spin';

function spinOn(files: readonly SourceFile[], onProgress?: (path: string) => void): void {
  for (const file of files) {
    if (!file.text.includes(SPIN_MARKER)) continue;
    onProgress?.(file.path);
    for (;;) {
      // never returns: only terminating the worker stops it
    }
  }
}

serveEngine({
  async review(input) {
    spinOn(input.head, input.onProgress);
    spinOn(input.base, input.onProgress);
    return review(input);
  },
  async scan(input) {
    spinOn(input.files, input.onProgress);
    return scan(input);
  },
  parse(file) {
    spinOn([file]);
    return parseSourceFile(file);
  },
});
