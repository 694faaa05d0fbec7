#!/usr/bin/env node
// keyref's command line. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` / `npm install` through the `prepare` script).
let cli;
// A scan's engine workers take longer to load than the rest of the command line: they start first.
if (process.argv[2] === 'scan' && !process.argv.includes('--help') && !process.argv.includes('-h')) {
  await import('../dist/cli/engine.js').then((engine) => engine.prestartEngine(), () => undefined);
}
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
