#!/usr/bin/env node
// Compares parseRepository (and the whole engine scan) with a bare js-yaml loadAll of the same files.
// Usage: node --import tsx scripts/parse-bench.mjs [dir] [--rounds N]
//   default dir /work/shared/corpus. Each measurement runs in a fresh process (cold, like `keyref scan`),
//   modes interleaved; CPU time (user+system) is reported besides wall time, since wall time is
//   meaningless on a shared, loaded machine. A warm in-process comparison follows.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import { parseRepository } from '../src/engine/parse/index.ts';
import { isManifestCandidate } from '../src/engine/candidates.ts';
import { scan } from '../src/engine/scan.ts';

const args = process.argv.slice(2);
const child = args[0] === '--child' ? args[1] : undefined;
const rest = child ? args.slice(2) : args;
const roundsAt = rest.indexOf('--rounds');
const rounds = roundsAt === -1 ? 5 : Number(rest[roundsAt + 1]);
const root = rest.find((a, i) => !a.startsWith('--') && rest[i - 1] !== '--rounds') ?? '/work/shared/corpus';

const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
const files = walk(root).map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));
const manifests = files.filter((f) => isManifestCandidate(f.path));

const MODES = {
  'js-yaml loadAll (bare)': () => {
    let docs = 0;
    for (const f of manifests) {
      try {
        jsyaml.loadAll(f.text, () => docs++);
      } catch {}
    }
    return docs;
  },
  parseRepository: () => parseRepository(files),
  'parseRepository (no pre-screen)': () => parseRepository(files, { noScreen: true }),
  'scan (whole engine)': () => scan({ files }),
};

async function measure(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
}

if (child) {
  const r = await measure(MODES[child]);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const bytes = manifests.reduce((n, f) => n + f.text.length, 0);
console.log(`${files.length} files, ${manifests.length} YAML/JSON (${(bytes / 1e6).toFixed(1)} MB)`);
const self = fileURLToPath(import.meta.url);
const cold = Object.fromEntries(Object.keys(MODES).map((m) => [m, []]));
for (let r = 0; r < rounds; r++) {
  for (const mode of Object.keys(MODES)) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', mode, root], { encoding: 'utf8' });
    cold[mode].push(JSON.parse(out.stdout));
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const min = (xs) => Math.min(...xs);
const base = cold['js-yaml loadAll (bare)'];
console.log(`\ncold, fresh process per run (${rounds} rounds): CPU ms min/median, wall ms median, CPU ratio vs loadAll (min, median)`);
for (const [mode, rs] of Object.entries(cold)) {
  const cpu = rs.map((r) => r.cpu);
  const ratio = `${(min(cpu) / min(base.map((r) => r.cpu))).toFixed(2)}x / ${(med(cpu) / med(base.map((r) => r.cpu))).toFixed(2)}x`;
  console.log(`  ${mode.padEnd(34)} cpu ${min(cpu).toFixed(0)}/${med(cpu).toFixed(0)}  wall ${med(rs.map((r) => r.wall)).toFixed(0)}  ${ratio}`);
}

console.log('\nwarm, same process (after 2 warm-up runs, 7 runs): CPU ms min/median');
const warmBase = [];
for (const [mode, fn] of Object.entries(MODES)) {
  await fn();
  await fn();
  const cpu = [];
  for (let i = 0; i < 7; i++) cpu.push((await measure(fn)).cpu);
  if (warmBase.length === 0) warmBase.push(...cpu);
  console.log(`  ${mode.padEnd(34)} cpu ${min(cpu).toFixed(0)}/${med(cpu).toFixed(0)}  ${(min(cpu) / min(warmBase)).toFixed(2)}x`);
}

const r = parseRepository(files);
const all = parseRepository(files, { noScreen: true });
const kept = new Set(r.objects.map((o) => `${o.path}#${o.docIndex}#${o.basePath.join('.')}`));
const dropped = new Map();
for (const o of all.objects) if (!kept.has(`${o.path}#${o.docIndex}#${o.basePath.join('.')}`)) dropped.set(o.kind, (dropped.get(o.kind) ?? 0) + 1);
console.log(`\ndocuments ${r.documentCount}, objects ${r.objects.length} (without pre-screen ${all.objects.length}), kustomizations ${r.kustomizations.length}, problems ${r.problems.length}, aux files ${r.auxFiles.size}`);
console.log('kinds dropped by the pre-screen:', Object.fromEntries(dropped));

const gen = [];
for (let i = 0; i < 10000; i++) {
  gen.push({
    path: `gen/m${i}.yaml`,
    text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ns\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          env:\n            - name: A\n              valueFrom:\n                secretKeyRef: {name: s-${i}, key: k}\n`,
  });
}
const g = await measure(() => parseRepository(gen));
console.log(`10,000 Deployment manifests: parseRepository cpu ${g.cpu.toFixed(0)} ms, wall ${g.wall.toFixed(0)} ms`);
