#!/usr/bin/env node
// Counts of findings by rule × severity on a corpus, and the loud (warning/error) unresolved-reference
// findings with the distinct objects they name. Not part of the test suite (it reads ../shared/corpus).
// Usage: npm run build && node scripts/corpus-counts.mjs [DIR] [--list]
import { scanJson } from './scan-json.mjs';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) ?? '../shared/corpus';
const { findings } = scanJson(dir);
const counts = new Map();
for (const f of findings) {
  const row = counts.get(f.ruleId) ?? { error: 0, warning: 0, notice: 0 };
  row[f.severity]++;
  counts.set(f.ruleId, row);
}
console.log(`findings on ${dir} by rule and severity:`);
console.log(`  ${'rule'.padEnd(26)} ${'error'.padStart(6)} ${'warning'.padStart(8)} ${'notice'.padStart(7)}`);
for (const [rule, r] of [...counts].sort()) console.log(`  ${rule.padEnd(26)} ${String(r.error).padStart(6)} ${String(r.warning).padStart(8)} ${String(r.notice).padStart(7)}`);
const loud = findings.filter((f) => f.ruleId === 'unresolved-reference' && f.severity !== 'notice');
const objects = new Map();
for (const f of loud) {
  const m = /^(?:Optional )?(\w+) "([^"]+)"/.exec(f.message);
  const repo = f.path.split('/')[0];
  const key = `${repo} ${m ? `${m[1]}/${m[2]}` : f.message.slice(0, 60)}`;
  objects.set(key, [...(objects.get(key) ?? []), `${f.path}:${f.line}`]);
}
console.log(`loud unresolved-reference: ${loud.length} findings, ${objects.size} distinct missing objects (per top-level folder)`);
if (args.includes('--list')) for (const [key, at] of [...objects].sort()) console.log(`  ${String(at.length).padStart(3)}  ${key}  (${at[0]}${at.length > 1 ? ', …' : ''})`);
