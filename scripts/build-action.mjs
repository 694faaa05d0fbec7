#!/usr/bin/env node
// Bundles the GitHub Action (src/action/index.ts and everything it imports) into one file,
// dist-action/index.mjs, which action.yml runs with the runner's Node 24: Actions run a JavaScript
// action straight from the repository at the ref a workflow names, with no install step, so the
// bundle is committed. `node scripts/build-action.mjs --check` fails when it is stale (the test suite runs it).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const outfile = 'dist-action/index.mjs';
const options = {
  entryPoints: ['src/action/index.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // CommonJS dependencies call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __keyrefCreateRequire } from 'node:module';\nconst require = __keyrefCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  minify: true,
  logLevel: 'warning',
  // Optional native speed-up of bullmq's msgpackr (the Action never uses Redis); msgpackr falls back to JavaScript.
  external: ['msgpackr-extract'],
};

if (process.argv.includes('--check')) {
  const result = await build({ ...options, write: false, outfile });
  const fresh = result.outputFiles[0].text;
  let committed = '';
  try {
    committed = readFileSync(outfile, 'utf8');
  } catch {}
  if (fresh !== committed) {
    console.error(`${outfile} is stale: run \`npm run build:action\` and commit it.`);
    process.exit(1);
  }
  console.log(`${outfile} is fresh (${fresh.length} bytes)`);
} else {
  await build({ ...options, outfile });
  console.log(`wrote ${outfile} (${readFileSync(outfile).length} bytes)`);
}
