// Generates docs/rules.md from the rule modules' metadata, so the docs cannot drift from the code
// (kube-linter generates its check list the same way). `npm run docs` writes it; a test checks it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../src/docs/render-rules-doc.js';

const target = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
writeFileSync(target, renderRulesDoc());
console.log(`wrote ${target}`);
