// The whole-process baseline of the corpus goal: a bare program that reads every YAML and JSON file
// under DIR and parses it with js-yaml (JSON.parse for .json), loading nothing of keyref.
// Usage: node scripts/bench/js-yaml-process.mjs DIR   (prints the number of documents)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';

let documents = 0;
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') walk(full);
    } else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) {
      const text = readFileSync(full, 'utf8');
      try {
        documents += e.name.toLowerCase().endsWith('.json') ? (JSON.parse(text), 1) : jsYaml.loadAll(text).length;
      } catch {
        /* the baseline only times parsing */
      }
    }
  }
};
walk(process.argv[2]);
console.log(documents);
