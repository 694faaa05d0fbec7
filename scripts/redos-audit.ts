// Re-checks every regex literal in src/ with recheck and records the verdicts in test/redos/recorded.json
// (the ReDoS audit test re-checks live only what is not recorded). Prints the problems it finds.
// Usage: npm run redos-audit
//
// recheck's fuzzer does not give the same answer on every run, even with a fixed seed (it works against a
// clock): a pattern it once showed to backtrack polynomially may come out `safe` the next time. A recorded
// `vulnerable` verdict is evidence, so a fuzzing verdict never replaces it while the pattern is unchanged;
// a pattern that changes gets a fresh check. (Without this, every run rewrote verdicts of untouched regexes.)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkRegex, problemWith, readRecord, RECORD_PATH, recordKey, regexSites, type Verdict } from '../test/redos/audit.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { literals } = regexSites(root);
const previous = readRecord();
const verdicts = new Map<string, Verdict>();
let problems = 0;
let kept = 0;
for (const site of literals) {
  const key = recordKey(site.source, site.flags);
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = await checkRegex(site.source, site.flags);
    const before = previous.get(key);
    if (before?.status === 'vulnerable' && verdict.checker === 'fuzz') {
      if (verdict.status !== 'vulnerable' || verdict.complexity !== before.complexity) kept++;
      verdict = before;
    }
  }
  verdicts.set(key, verdict);
  const problem = problemWith(site, verdict);
  if (problem) {
    problems++;
    console.log(problem);
  }
}
const sorted = [...verdicts.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.flags < b.flags ? -1 : 1));
writeFileSync(RECORD_PATH, `${JSON.stringify(sorted, null, 1)}\n`);
console.log(
  `${literals.length} regex literals, ${verdicts.size} distinct, ${problems} problem(s); recorded in test/redos/recorded.json` +
    (kept > 0 ? ` (${kept} recorded vulnerable verdict(s) kept over a different fuzzing result)` : ''),
);
process.exit(problems > 0 ? 1 : 0);
