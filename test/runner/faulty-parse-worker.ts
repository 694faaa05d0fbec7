/**
 * A parse helper for tests: the real parser, except that a file holding `keyref-test: spin` makes it spin
 * forever (as a backtracking regex would) and one holding `keyref-test: crash` makes the helper die.
 */
import { parseSourceFile } from '../../src/engine/parse/index.js';
import { serveParser } from '../../src/runner/protocol.js';

serveParser((file) => {
  if (file.text.includes('keyref-test: crash')) process.exit(1);
  if (file.text.includes('keyref-test: spin')) {
    for (;;) {
      // never returns: only terminating the worker stops it
    }
  }
  return parseSourceFile(file);
});
