/** The fixture manifests under fixtures/secrets: every `# expect: <rule> <severity>` comment, and nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scan } from '../../../src/engine/scan.js';
import type { SourceFile } from '../../../src/engine/model.js';
import { rule as plaintextSecret } from '../../../src/engine/rules/plaintext-secret.js';
import { rule as invalidSecretData } from '../../../src/engine/rules/invalid-secret-data.js';
import { rule as secretTrailingNewline } from '../../../src/engine/rules/secret-trailing-newline.js';
import { rule as credentialInConfigMap } from '../../../src/engine/rules/credential-in-configmap.js';
import { rule as credentialFromConfigMap } from '../../../src/engine/rules/credential-from-configmap.js';
import { rule as hardcodedCredential } from '../../../src/engine/rules/hardcoded-credential.js';

const RULES = [plaintextSecret, invalidSecretData, secretTrailingNewline, credentialInConfigMap, credentialFromConfigMap, hardcodedCredential];
const ROOT = 'fixtures/secrets';

function read(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.md')) out.push({ path: relative(ROOT, p).split('\\').join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(ROOT, dir));
  return out;
}

function expectations(files: readonly SourceFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    f.text.split('\n').forEach((line, i) => {
      const m = /# expect: ([a-z-]+) (error|warning|notice)/.exec(line);
      if (m) out.push(`${f.path}:${i + 1} ${m[1]} ${m[2]}`);
    });
  }
  return out;
}

test('fixtures/secrets/must-fire: exactly the expected findings', async () => {
  const files = read('must-fire');
  const expected = expectations(files);
  // env files have no comments: kustomize keeps `# …` in the value
  expected.push('must-fire/generator/db.env:2 plaintext-secret error');
  const result = await scan({ files, rules: RULES });
  const actual = result.findings.map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.severity}`);
  assert.deepEqual([...actual].sort(), [...expected].sort(), result.findings.map((f) => `${f.path}:${f.line} ${f.message}`).join('\n'));
});

test('fixtures/secrets/must-not-fire: no finding', async () => {
  const result = await scan({ files: read('must-not-fire'), rules: RULES });
  assert.deepEqual(result.findings.map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.message}`), []);
});
