/** The ReDoS audit of every regex in src/ (see audit.ts for the policy). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { check } from 'recheck';
import { ALLOWED_DYNAMIC, ALLOWED_POLYNOMIAL, checkRegex, problemWith, readRecord, recordKey, regexSites } from './audit.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sites = regexSites(root);

test('the checker flags the regexes that froze keyref (exponential PEM chain, quadratic one-line value)', async () => {
  const pem = String.raw`^\s*(-----BEGIN (CERTIFICATE|PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK)-----[\s\S]*?-----END [A-Z0-9 ]+-----\s*)+$`;
  const oneLine = String.raw`^[^\n]*[^\s][^\n]*\r?\n$`;
  for (const source of [pem, oneLine]) {
    const d = await check(source, '', { checker: 'fuzz', randomSeed: 1, timeout: 60_000 });
    assert.equal(d.status, 'vulnerable', source);
    const verdict = { source, flags: '', status: d.status, complexity: d.status === 'vulnerable' ? d.complexity.type : '', checker: 'fuzz' };
    assert.ok(problemWith({ at: 'src/engine/secrets/analysis.ts:1', file: 'src/engine/secrets/analysis.ts', source, flags: '' }, verdict));
  }
});

test('every regex literal in src/ is free of exponential backtracking, and of polynomial backtracking on untrusted text', async () => {
  assert.ok(sites.literals.length > 100, 'the audit finds the regexes');
  const record = process.env['KEYREF_REDOS_FULL'] ? new Map() : readRecord();
  const problems: string[] = [];
  let live = 0;
  for (const site of sites.literals) {
    let verdict = record.get(recordKey(site.source, site.flags));
    if (!verdict) {
      live++;
      verdict = await checkRegex(site.source, site.flags);
    }
    const problem = problemWith(site, verdict);
    if (problem) problems.push(problem);
  }
  assert.deepEqual(problems, [], `ReDoS audit (${live} checked live, the rest recorded by \`npm run redos-audit\`)`);
});

test('every RegExp built at run time is listed with a reason', () => {
  const unlisted = sites.dynamic.filter((d) => ALLOWED_DYNAMIC[d.file] === undefined).map((d) => d.at);
  assert.deepEqual(unlisted, []);
});

test('every allowance names a regex that still exists', () => {
  const present = new Set(sites.literals.map((s) => `${s.file}\u0000${s.source}`));
  const stale = Object.entries(ALLOWED_POLYNOMIAL).flatMap(([file, sources]) =>
    Object.keys(sources).filter((source) => !present.has(`${file}\u0000${source}`)).map((source) => `${file}: ${source}`),
  );
  assert.deepEqual(stale, []);
  const dynamicFiles = new Set(sites.dynamic.map((d) => d.file));
  assert.deepEqual(Object.keys(ALLOWED_DYNAMIC).filter((f) => !dynamicFiles.has(f)), []);
});
