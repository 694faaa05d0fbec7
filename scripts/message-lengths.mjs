#!/usr/bin/env node
// Median length of the first sentence of keyref's messages (what the text report prints first).
// Usage: npm run build && node scripts/message-lengths.mjs [DIR]   (default: ../shared/corpus)
import { scanJson } from './scan-json.mjs';

const dir = process.argv[2] ?? '../shared/corpus';
const { findings } = scanJson(dir);
/** Up to the first sentence end (". " / "? " followed by a capital, or the end). */
function firstSentence(message) {
  const m = /[.?!](?=\s+[A-Z`])/.exec(message);
  return m ? message.slice(0, m.index + 1) : message;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const byRule = new Map();
for (const f of findings) {
  const n = firstSentence(f.message).length;
  byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), n]);
}
const all = findings.map((f) => firstSentence(f.message).length);
console.log(`first-sentence message length on ${dir}: median ${median(all)}, max ${Math.max(0, ...all)} characters over ${all.length} findings`);
for (const [rule, xs] of [...byRule].sort()) console.log(`  ${rule.padEnd(26)} median ${String(median(xs)).padStart(4)}  max ${String(Math.max(...xs)).padStart(4)}  (${xs.length})`);
