#!/usr/bin/env node
// Bundles the command line (src/cli/main.ts and the engine's worker, and everything they import) into
// dist/cli-bundle/, which bin/keyref.js runs: prestart.js (starts the engine's worker first), main.js,
// worker.cjs (the worker's entry: it loads the engine with a code cache) and engine-worker.cjs (the
// engine). `npm run build` runs it after tsc.
//
// Why a bundle: a CLI run loads its modules twice (the main thread and the engine's worker), and with
// ~150 modules and their package.json lookups each thread spent ~0.1–0.2 s resolving and reading files
// before any work; one file per entry loads in a third of that (see docs/architecture.md › A CLI scan
// is a pipeline). dist/ (tsc's output) stays the library and the App.
//
// The bundle sits two folders below the package root, as dist/cli/ does, so that paths relative to a module
// (../../package.json for --version) and the worker's URL (next to the runner) hold in both.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/cli-bundle';
// Start from an empty folder: a file an earlier build wrote and this one does not must not ship.
rmSync(OUT, { recursive: true, force: true });

const common = {
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  // No comments or indentation: a third less source for each thread to read, hash and scan, and none of
  // the non-ASCII characters that dependencies' comments carry (see the check at the end).
  minifyWhitespace: true,
  // CommonJS dependencies call require(); give each ES module file one.
  banner: { js: "import { createRequire as __keyrefCreateRequire } from 'node:module';\nconst require = __keyrefCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

// In the bundle the runner starts worker.cjs (src/runner/engine-thread.ts reads this).
const CLI_BUNDLE = { __KEYREF_CLI_BUNDLE__: 'true' };
// CommonJS files: a worker thread whose entry is CommonJS starts without Node's ES module loader (the
// loader, and a module facade for each built-in the entry imports).
const commonjs = { ...common, format: 'cjs', outExtension: { '.js': '.cjs' } };

// The worker's entry (src/runner/bundle-worker.ts) loads the engine as a classic script with a V8 code
// cache made after a scan (see that file): the engine is a CommonJS file of its own, engine-worker.cjs.
await build({
  ...commonjs,
  banner: { js: "const __keyrefImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__keyrefImportMetaUrl' },
  entryPoints: { worker: 'src/runner/bundle-worker.ts' },
});

await build({ ...commonjs, banner: {}, entryPoints: { 'engine-worker': 'src/runner/engine-worker.ts' } });

// What bin/keyref.js loads first for a scan: it starts the engine's worker before main.js loads (src/cli/prestart.ts).
await build({ ...common, banner: {}, define: CLI_BUNDLE, entryPoints: { prestart: 'src/cli/prestart.ts' } });

await build({
  ...common,
  define: CLI_BUNDLE,
  // One self-contained file for the command line: modules a command imports lazily (the rules, the
  // configuration loader) stay lazy inside it (esbuild defers their evaluation until the dynamic import runs).
  entryPoints: { main: 'src/cli/main.ts' },
  // Optional native speed-up of msgpackr (bullmq; the CLI never uses Redis): it falls back to JavaScript.
  external: ['msgpackr-extract'],
});

// V8 keeps a source with a single non-ASCII character as a two-byte string: twice the memory, and slower to
// read, hash and scan, in each thread (esbuild escapes strings and identifiers, not regular expressions).
for (const file of ['main.js', 'prestart.js', 'worker.cjs', 'engine-worker.cjs']) {
  const text = readFileSync(`${OUT}/${file}`, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at !== -1) throw new Error(`${OUT}/${file} is not ASCII (offset ${at}): escape the character in the source (\\u…)`);
}
