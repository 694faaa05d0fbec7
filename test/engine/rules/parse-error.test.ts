// Table of must-fire / must-not-fire inputs for the parse-error rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import type { KustomizeModel } from '../../../src/engine/kustomize/model.js';
import type { RuleReport, SourceFile } from '../../../src/engine/model.js';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { rule } from '../../../src/engine/rules/parse-error.js';
import { rules } from '../../../src/engine/rules/index.js';
import { scan } from '../../../src/engine/scan.js';

const KUSTOMIZE: KustomizeModel = { scopesOf: () => [{ namePrefix: '', nameSuffix: '' }], scopesOfKustomization: () => [], generators: [] };

async function check(files: Record<string, string>): Promise<RuleReport[]> {
  const repo = parseRepository(Object.entries(files).map(([path, text]): SourceFile => ({ path, text })));
  const providers = { lookup: () => [], names: () => [], all: () => [] };
  return [...(await rule.check({ repo, kustomize: KUSTOMIZE, providers, references: [], config: DEFAULT_CONFIG }))];
}

const SECRET = 'pa55w0rd-do-not-print';

describe('parse-error', () => {
  const mustFire: { name: string; files: Record<string, string>; path: string; line: number; reason: RegExp }[] = [
    {
      name: 'bad indentation in a ConfigMap',
      files: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  A: "1"\n   B: "2"\n' },
      path: 'cm.yaml',
      line: 7,
      reason: /bad indentation/,
    },
    {
      name: 'unclosed flow sequence in the second document',
      files: { 'multi.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {a: [1, 2}\n' },
      path: 'multi.yaml',
      line: 8,
      reason: /./,
    },
    {
      name: 'tab indentation',
      files: { 'tab.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec:\n\treplicas: 1\n' },
      path: 'tab.yaml',
      line: 4,
      reason: /./,
    },
    {
      name: 'broken kustomization (no apiVersion needed)',
      files: { 'k/kustomization.yaml': 'resources:\n  - a.yaml\n - b.yaml\n' },
      path: 'k/kustomization.yaml',
      line: 3,
      reason: /./,
    },
    {
      name: 'broken JSON manifest',
      files: { 'x.json': '{\n  "apiVersion": "v1",\n  "kind": "Secret"\n  "metadata": {}\n}\n' },
      path: 'x.json',
      line: 4,
      reason: /./,
    },
    {
      name: 'broken Secret: the reason quotes nothing',
      files: { 's.yaml': `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${SECRET}\n  other: x\n` },
      path: 's.yaml',
      line: 6,
      reason: /^[^"]*$/,
    },
  ];
  for (const c of mustFire) {
    test(`fires: ${c.name}`, async () => {
      const reports = await check(c.files);
      assert.equal(reports.length, 1);
      const [r] = reports;
      assert.equal(r?.location.path, c.path);
      assert.equal(r?.location.line, c.line);
      assert.match(r?.message ?? '', c.reason);
      assert.ok(!(r?.message ?? '').includes(SECRET));
      assert.equal(r?.identity.length, 1);
    });
  }

  const mustNotFire: { name: string; files: Record<string, string> }[] = [
    { name: 'a repeated key (its own rule, duplicate-key: the file still applies)', files: { 'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' } },
    { name: 'valid manifests', files: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\n' } },
    { name: 'Helm template', files: { 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  {{- include "labels" . | nindent 2 }}\n' } },
    { name: 'broken non-manifest YAML', files: { '.github/workflows/ci.yml': 'on: push\n jobs: [\n' } },
    { name: 'broken values.yaml', files: { 'chart/values.yaml': 'image:\n  tag: "1.0\n' } },
    { name: 'broken package.json', files: { 'package.json': '{"name": "x",,}' } },
    { name: 'binary file', files: { 'bin.yaml': 'apiVersion: v1\nkind: \u0000\u0001' } },
    { name: 'huge file', files: { 'huge.yaml': `apiVersion: v1\nkind: ConfigMap\n${'#'.repeat(6 * 1024 * 1024)}\n[` } },
    { name: 'env file next to a kustomization', files: { 'k/app.env': 'A=1\n: : :\n', 'k/kustomization.yaml': 'configMapGenerator: []\n' } },
  ];
  for (const c of mustNotFire) {
    test(`does not fire: ${c.name}`, async () => {
      assert.deepEqual(await check(c.files), []);
    });
  }

  test('the identity does not depend on the line, so the fingerprint survives edits above', async () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n   b: 2\n';
    const [a] = await check({ 'x.yaml': body });
    const [b] = await check({ 'x.yaml': `# a new comment\n\n${body}` });
    assert.deepEqual(a?.identity, b?.identity);
    assert.notEqual(a?.location.line, b?.location.line);
  });

  test('is registered, documented, and reported as an error finding by scan', async () => {
    assert.ok(rules.includes(rule));
    assert.equal(rule.meta.id, 'parse-error');
    assert.equal(rule.meta.defaultSeverity, 'error');
    for (const field of ['summary', 'why', 'example', 'fix'] as const) assert.ok(rule.meta.docs[field].length > 10);
    const example = await check({ 'example.yaml': rule.meta.docs.example });
    assert.equal(example.length, 1, 'the documented example fires');
    const result = await scan({
      files: [{ path: 'cm.yaml', text: '# c\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n   b: 2\n' }],
      rules: [rule],
    });
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.severity, f.path, f.line, f.endLine]),
      [['parse-error', 'error', 'cm.yaml', 6, 6]],
    );
  });
});
