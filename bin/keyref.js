#!/usr/bin/env node
// keyref's command line. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
// The command line runs from one bundled file (scripts/build-cli.mjs): loading ~150 modules cost each
// thread 0.1–0.2 s.

// Built-in modules without their ES module facades (Node ≥ 22.3; an import on older 22.x).
const builtin = async (id) => process.getBuiltinModule?.(id) ?? (await import(id)).default;

// Node's on-disk compile cache (Node ≥ 22.1): from the second run on, the bundle is compiled from it. The
// engine's worker has a code cache of its own (src/runner/bundle-worker.ts). A corpus scan: ~3% sooner.
(await builtin('node:module')).enableCompileCache?.();

// (The engine's worker sets V8's optimising-compiler threshold for the process: src/runner/bundle-worker.ts.)

const notBuilt = (error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/')) {
    process.stderr.write('keyref: not built yet; run `npm ci` (or `npm run build`) in the keyref folder first\n');
    process.exit(2);
  }
  throw error;
};

// A scan's engine worker takes longer to start than the rest of the command line: it starts first, from a
// small module, and boots while main.js (0.6 MB) loads (src/cli/prestart.ts).
const scan = process.argv[2] === 'scan' && !process.argv.includes('--help') && !process.argv.includes('-h');
const started = scan ? (await import('../dist/cli-bundle/prestart.js').catch(notBuilt)).startEngine() : undefined;
const cli = await import('../dist/cli-bundle/main.js').catch(notBuilt);
if (scan) cli.prestartEngine(started);
await cli.run();
