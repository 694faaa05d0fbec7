#!/usr/bin/env node
// `npm run bench`: keyref's scan against bare js-yaml and yaml parses of the same files, in the
// same run, each in a fresh process (median of RUNS), so the figures are ratios on this machine,
// not absolute seconds. Then the GitHub API request counts (scripts/bench-api.ts) when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'bench', 'worker.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const corpus = resolve(here, '..', '..', 'shared', 'corpus');

function measure(mode, source) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, [worker, mode, source], { encoding: 'utf8', maxBuffer: 1 << 24 });
    runs.push(JSON.parse(out.trim().split('\n').pop()));
  }
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[Math.floor(runs.length / 2)];
  return { ...median, maxRssMB: Math.max(...runs.map((r) => r.maxRssMB)) };
}

function report(label, source) {
  const keyref = measure('keyref', source);
  const jsYaml = measure('js-yaml', source);
  const yaml = measure('yaml', source);
  const row = (r) =>
    `  ${r.mode.padEnd(8)} ${r.ms.toFixed(0).padStart(7)} ms  ${String(r.documents).padStart(6)} docs  ${(r.documents / (r.ms / 1000)).toFixed(0).padStart(8)} docs/s  peak ${r.maxRssMB.toFixed(0).padStart(4)} MB`;
  console.log(`\n${label}: ${keyref.files} files`);
  console.log(row(keyref) + `  ${keyref.findings} findings`);
  console.log(row(jsYaml));
  console.log(row(yaml));
  const ratio = keyref.ms / jsYaml.ms;
  console.log(`  keyref / js-yaml parse: ${ratio.toFixed(2)}x (goal ≤ 1.5x)  ${ratio <= 1.5 ? 'OK' : 'OVER'}`);
  console.log(`  keyref / yaml parse:    ${(keyref.ms / yaml.ms).toFixed(2)}x`);
  return keyref;
}

console.log(`keyref bench — node ${process.version}, median of ${RUNS} runs, each in a fresh process`);
const gen = report('generated repository (10,000 manifests + 30 large CRDs)', 'generated:10000');
console.log(`  10,000 manifests in ${(gen.ms / 1000).toFixed(2)} s (goal < 2 s): ${gen.ms < 2000 ? 'OK' : 'OVER'}; peak ${gen.maxRssMB.toFixed(0)} MB`);
if (existsSync(corpus)) {
  const c = report(`../shared/corpus`, corpus);
  console.log(`  peak memory ${c.maxRssMB.toFixed(0)} MB (goal < 200 MB): ${c.maxRssMB < 200 ? 'OK' : 'OVER'}`);
} else {
  console.log('\n../shared/corpus not found: corpus figures skipped');
}

const apiBench = join(here, 'bench-api.ts');
if (existsSync(apiBench)) {
  console.log('\nGitHub API requests per review (local stand-in for the GitHub API):');
  const r = spawnSync(process.execPath, ['--import', 'tsx', apiBench], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
