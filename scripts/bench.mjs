#!/usr/bin/env node
// `npm run bench`: keyref's scan against bare js-yaml and yaml parses of the same files, in the
// same run, each in a fresh process (RUNS interleaved rounds), so the figures are ratios on this
// machine, not absolute seconds. Then the GitHub API request counts (scripts/bench-api.ts) when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'bench', 'worker.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const corpus = resolve(here, '..', '..', 'shared', 'corpus');

function once(mode, source) {
  const out = execFileSync(process.execPath, [worker, mode, source], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * RUNS rounds of keyref, js-yaml and yaml, interleaved so that a slower spell of a shared machine
 * hits all three alike. Each mode's figures are its median run; the ratios are medians of the
 * per-round ratios (paired), which a slow spell moves much less than a ratio of separate medians.
 */
function measureAll(source) {
  const runs = { keyref: [], 'js-yaml': [], 'js-yaml-kept': [], yaml: [] };
  for (let i = 0; i < RUNS; i++) for (const mode of Object.keys(runs)) runs[mode].push(once(mode, source));
  const pick = (mode) => {
    const list = runs[mode];
    const mid = [...list].sort((a, b) => a.ms - b.ms)[Math.floor(list.length / 2)];
    return { ...mid, maxRssMB: Math.max(...list.map((r) => r.maxRssMB)) };
  };
  const rounds = (other) => runs.keyref.map((k, i) => k.ms / runs[other][i].ms);
  const ratio = (other) => median(rounds(other));
  return {
    keyref: pick('keyref'),
    jsYaml: pick('js-yaml'),
    jsYamlKept: pick('js-yaml-kept'),
    yaml: pick('yaml'),
    vsJsYaml: ratio('js-yaml'),
    vsJsYamlKept: ratio('js-yaml-kept'),
    vsYaml: ratio('yaml'),
    all: rounds('js-yaml'),
  };
}

/** `ratioGoal`: the issue sets the 1.5× goal for the real corpus; the generated repository is dense with references on purpose and has the < 2 s goal instead. */
function report(label, source, ratioGoal) {
  const { keyref, jsYaml, jsYamlKept, yaml, vsJsYaml, vsJsYamlKept, vsYaml, all } = measureAll(source);
  const row = (r) =>
    `  ${r.mode.padEnd(12)} ${r.ms.toFixed(0).padStart(7)} ms  ${String(r.documents).padStart(6)} docs  ${(r.documents / (r.ms / 1000)).toFixed(0).padStart(8)} docs/s  peak ${r.maxRssMB.toFixed(0).padStart(4)} MB`;
  console.log(`\n${label}: ${keyref.files} files`);
  console.log(row(keyref) + `  ${keyref.findings} findings`);
  console.log(row(jsYaml));
  console.log(row(jsYamlKept));
  console.log(row(yaml));
  const spread = `rounds ${all.map((r) => r.toFixed(2)).sort().join(' ')}`;
  const verdict = ratioGoal === undefined ? '' : ` (goal ≤ ${ratioGoal}x)  ${vsJsYaml <= ratioGoal ? 'OK' : 'OVER'}`;
  console.log(`  keyref / js-yaml parse: ${vsJsYaml.toFixed(2)}x${verdict}  (${spread})`);
  console.log(`  keyref / js-yaml parse keeping its results: ${vsJsYamlKept.toFixed(2)}x (context: holding parsed values costs a parser too)`);
  console.log(`  keyref / yaml parse:    ${vsYaml.toFixed(2)}x`);
  return keyref;
}

/**
 * The corpus goal as the issue states it: `keyref scan DIR` against a bare js-yaml program reading the
 * same files, both timed as whole processes (start-up, module loading, reading files, parsing, output),
 * RUNS interleaved rounds, the ratio the median of the per-round ratios.
 */
function wholeProcess(dir) {
  const cli = join(here, '..', 'bin', 'keyref.js');
  const bare = join(here, 'bench', 'js-yaml-process.mjs');
  const rssHook = join(here, 'bench', 'rss.mjs');
  const rss = { k: [], j: [] };
  const cpu = { k: [], j: [] };
  const time = (args, side) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', rssHook, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 24 });
    const ms = performance.now() - t;
    const last = r.stderr.trim().split('\n').pop() ?? '';
    if (last.startsWith('{')) {
      const usage = JSON.parse(last);
      rss[side].push(usage.maxRssMB);
      cpu[side].push(usage.cpuMs);
    }
    return ms;
  };
  const k = [];
  const j = [];
  for (let i = 0; i < RUNS; i++) {
    k.push(time([cli, 'scan', dir, '--format', 'json'], 'k'));
    j.push(time([bare, dir], 'j'));
  }
  const ratios = k.map((x, i) => x / j[i]);
  const ratio = median(ratios);
  const peak = (xs) => (xs.length > 0 ? `, peak ${Math.max(...xs).toFixed(0)} MB` : '');
  console.log(`  whole process: keyref scan ${median(k).toFixed(0)} ms${peak(rss.k)}, bare js-yaml ${median(j).toFixed(0)} ms${peak(rss.j)}`);
  console.log(
    `  keyref scan / bare js-yaml, whole processes: ${ratio.toFixed(2)}x (goal ≤ 1.5x)  ${ratio <= 1.5 ? 'OK' : 'OVER'}  (rounds ${ratios.map((r) => r.toFixed(2)).sort().join(' ')})`,
  );
  // CPU time moves much less than wall time when the machine is shared, and on a 2-core machine the
  // wall time follows it (docs/architecture.md › A CLI scan is a pipeline): context for judging a change.
  if (cpu.k.length === RUNS && cpu.j.length === RUNS) {
    const cpuRatios = cpu.k.map((x, i) => x / cpu.j[i]);
    console.log(
      `  CPU time (user + system, all threads): keyref scan ${median(cpu.k).toFixed(0)} ms, bare js-yaml ${median(cpu.j).toFixed(0)} ms, ${median(cpuRatios).toFixed(2)}x (context, not the goal)`,
    );
  }
}

console.log(`keyref bench — node ${process.version}, ${RUNS} interleaved rounds, each run in a fresh process`);
const gen = report('generated repository (10,000 manifests + 30 large CRDs)', 'generated:10000');
console.log(`  10,000 manifests in ${(gen.ms / 1000).toFixed(2)} s (goal < 2 s): ${gen.ms < 2000 ? 'OK' : 'OVER'}; peak ${gen.maxRssMB.toFixed(0)} MB`);
if (existsSync(corpus)) {
  const c = report(`../shared/corpus`, corpus);
  wholeProcess(corpus);
  console.log(`  peak memory ${c.maxRssMB.toFixed(0)} MB (goal < 200 MB): ${c.maxRssMB < 200 ? 'OK' : 'OVER'}`);
} else {
  console.log('\n../shared/corpus not found: corpus figures skipped');
}

// Issue 12's memory goal: 50,000 generated manifests scanned in one process at ≤ 250 MB peak (in-process
// figure: the generated files are held by the bench itself, as the App holds a fetched tree).
{
  const big = once('keyref', 'generated:50000');
  console.log(
    `\ngenerated repository, 50,000 manifests: ${(big.ms / 1000).toFixed(1)} s, peak ${big.maxRssMB.toFixed(0)} MB (goal ≤ 250 MB): ${big.maxRssMB <= 250 ? 'OK' : 'OVER'}`,
  );
}

const apiBench = join(here, 'bench-api.ts');
if (existsSync(apiBench)) {
  console.log('\nPush → completed check through the real app, throttling on as in production (local stand-in for the GitHub API):');
  const r = spawnSync(process.execPath, ['--import', 'tsx', apiBench, '--throttle', '--sizes=10,2000,10000'], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
