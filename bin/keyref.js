#!/usr/bin/env node
// keyref's command line. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
// The command line runs from one bundled file (scripts/build-cli.mjs): loading ~150 modules cost each
// thread 0.1–0.2 s.
let cli;
try {
  cli = await import('../dist/cli-bundle/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli-bundle/main.js')) {
    process.stderr.write('keyref: not built yet; run `npm ci` (or `npm run build`) in the keyref folder first\n');
    process.exit(2);
  }
  throw error;
}
// A scan's engine workers take longer to start than the rest of the command line: they start first.
if (process.argv[2] === 'scan' && !process.argv.includes('--help') && !process.argv.includes('-h')) cli.prestartEngine();
await cli.run();
