#!/usr/bin/env node
// Compares parseRepository with a bare js-yaml loadAll of the same files.
// Usage: node --import tsx scripts/parse-bench.mjs [dir]   (default /work/shared/corpus)
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import jsyaml from 'js-yaml';
import { parseRepository } from '../src/engine/parse/index.ts';
import { isManifestCandidate } from '../src/engine/candidates.ts';

const root = process.argv[2] ?? '/work/shared/corpus';
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
const files = walk(root).map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));
const manifests = files.filter((f) => isManifestCandidate(f.path));
const bytes = manifests.reduce((n, f) => n + f.text.length, 0);

function time(label, fn, rounds = 9) {
  fn(); fn(); // warm up
  const ms = [];
  let out;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} median ${ms[rounds >> 1].toFixed(1)} ms  min ${ms[0].toFixed(1)} ms`);
  return { median: ms[rounds >> 1], out };
}

console.log(`${files.length} files, ${manifests.length} YAML/JSON (${(bytes / 1e6).toFixed(1)} MB)`);
const base = time('js-yaml loadAll (bare)', () => {
  let docs = 0;
  for (const f of manifests) {
    try { jsyaml.loadAll(f.text, () => docs++); } catch {}
  }
  return docs;
});
const full = time('parseRepository (no screen)', () => parseRepository(files, { noScreen: true }));
const fast = time('parseRepository', () => parseRepository(files));
const r = fast.out;
console.log(`ratio vs loadAll: no screen ${(full.median / base.median).toFixed(2)}x, screened ${(fast.median / base.median).toFixed(2)}x`);
console.log(`documents ${r.documentCount}, objects ${r.objects.length} (unscreened ${full.out.objects.length}), kustomizations ${r.kustomizations.length}, problems ${r.problems.length}, aux ${r.auxFiles.size}`);

// 10,000 generated manifests
const gen = [];
for (let i = 0; i < 10000; i++) {
  gen.push({
    path: `gen/m${i}.yaml`,
    text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          env:\n            - name: A\n              valueFrom:\n                secretKeyRef: {name: s-${i}, key: k}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  a: "1"\n`,
  });
}
time('parseRepository 10k Deployments+CMs', () => parseRepository(gen), 5);
