// One measurement in a fresh process, so peak memory belongs to that measurement alone.
// Usage: node scripts/bench/worker.mjs <keyref|js-yaml|js-yaml-kept|yaml> <generated:N|DIR>
// js-yaml drops each file's documents as soon as they are parsed (the strict baseline of the goal);
// js-yaml-kept holds them all until the end, as any program that uses what it parsed does.
// Prints one JSON line: { mode, ms, documents, findings, maxRssMB }.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { isManifestCandidate, listGeneratorInputs, scan } from '../../dist/engine/index.js';
import { generateRepository } from './generate-repo.mjs';

const [mode, source] = process.argv.slice(2);

function readDir(root) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(full);
      } else if (e.isFile()) {
        const path = relative(root, full).split(sep).join('/');
        if (isManifestCandidate(path)) files.push({ path, text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(root);
  for (const path of listGeneratorInputs(files)) {
    try {
      files.push({ path, text: readFileSync(join(root, path), 'utf8') });
    } catch {
      /* generator input not in the tree */
    }
  }
  return files;
}

const files = source.startsWith('generated:') ? generateRepository(Number(source.slice(10))) : readDir(source);
const manifests = files.filter((f) => isManifestCandidate(f.path));

const start = process.hrtime.bigint();
let documents = 0;
let findings = 0;
if (mode === 'keyref') {
  const result = await scan({ files });
  documents = result.stats.documents;
  findings = result.findings.length;
} else if (mode === 'js-yaml' || mode === 'js-yaml-kept') {
  const kept = mode === 'js-yaml-kept' ? [] : undefined;
  for (const f of manifests) {
    try {
      const docs = f.path.endsWith('.json') ? [JSON.parse(f.text)] : jsYaml.loadAll(f.text);
      documents += docs.length;
      kept?.push(docs);
    } catch {
      /* the baseline only times parsing */
    }
  }
  globalThis.keptDocuments = kept;
} else if (mode === 'yaml') {
  for (const f of manifests) {
    try {
      for (const doc of parseAllDocuments(f.text, { logLevel: 'error' })) {
        doc.toJS({ maxAliasCount: 100 });
        documents++;
      }
    } catch {
      /* the baseline only times parsing */
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, ms, documents, findings, files: files.length, maxRssMB }));
