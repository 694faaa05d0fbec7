// Re-checks every regex literal in src/ with recheck and records the verdicts in test/redos/recorded.json
// (the ReDoS audit test re-checks live only what is not recorded). Prints the problems it finds.
// Usage: npm run redos-audit
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkRegex, problemWith, RECORD_PATH, recordKey, regexSites, type Verdict } from '../test/redos/audit.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { literals } = regexSites(root);
const verdicts = new Map<string, Verdict>();
let problems = 0;
for (const site of literals) {
  const key = recordKey(site.source, site.flags);
  const verdict = verdicts.get(key) ?? (await checkRegex(site.source, site.flags));
  verdicts.set(key, verdict);
  const problem = problemWith(site, verdict);
  if (problem) {
    problems++;
    console.log(problem);
  }
}
const sorted = [...verdicts.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.flags < b.flags ? -1 : 1));
writeFileSync(RECORD_PATH, `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`${literals.length} regex literals, ${verdicts.size} distinct, ${problems} problem(s); recorded in test/redos/recorded.json`);
process.exit(problems > 0 ? 1 : 0);
