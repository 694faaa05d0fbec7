#!/usr/bin/env node
// keyref's command line. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('keyref: not built yet; run `npm ci` (or `npm run build`) in the keyref folder first\n');
    process.exit(2);
  }
  throw error;
}
await cli.run();
