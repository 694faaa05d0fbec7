/** End to end through scan(): the real parser, kustomize model and provider index, with exact lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan } from '../../../src/engine/scan.js';
import { review } from '../../../src/engine/review.js';
import type { SourceFile } from '../../../src/engine/model.js';
import { rule as unresolved } from '../../../src/engine/rules/unresolved-reference.js';
import { rule as missingKey } from '../../../src/engine/rules/missing-key.js';
import { rule as wrongKind } from '../../../src/engine/rules/wrong-kind.js';
import { rule as crossNamespace } from '../../../src/engine/rules/cross-namespace-reference.js';
import { configSchema } from '../../../src/engine/config/schema.js';

const ROOT = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const RULES = [unresolved, missingKey, wrongKind, crossNamespace];

function load(dir: string): SourceFile[] {
  const base = join(ROOT, dir);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(base)
    .sort()
    .map((p) => ({ path: relative(base, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }));
}

const brief = (f: { ruleId: string; severity: string; path: string; line: number }) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}`;

test('scan: unresolved-reference fixture (typo with suggestion, absent, optional)', async () => {
  const { findings } = await scan({ files: load('rules/unresolved-reference'), rules: RULES });
  assert.deepEqual(findings.map(brief), [
    'unresolved-reference error api.yaml:13',
    'unresolved-reference warning api.yaml:15',
    'unresolved-reference notice api.yaml:17',
  ]);
  assert.deepEqual(findings[0]?.suggestion, { line: 13, from: 'app-confg', to: 'app-config' });
  assert.deepEqual(findings[0]?.related, ['config.yaml']);
});

test('scan: missing-key fixture points at the key line', async () => {
  const { findings } = await scan({ files: load('rules/missing-key'), rules: RULES });
  assert.deepEqual(findings.map(brief), ['missing-key error api.yaml:21']);
  assert.match(findings[0]!.message, /ConfigMap "app-config" has no key "RETRIES"/);
  assert.deepEqual(findings[0]?.related, ['config.yaml']);
});

test('scan: wrong-kind fixture suggests secretKeyRef on the configMapKeyRef line, never the value', async () => {
  const { findings } = await scan({ files: load('rules/wrong-kind'), rules: RULES });
  assert.deepEqual(findings.map(brief), ['wrong-kind error api.yaml:15']);
  assert.deepEqual(findings[0]?.suggestion, { line: 14, from: 'configMapKeyRef', to: 'secretKeyRef' });
  assert.ok(!findings[0]!.message.includes('change-me'));
  assert.ok(!findings[0]!.message.includes('Y2hhbmdlLW1l'));
});

test('scan: cross-namespace-reference fixture', async () => {
  const { findings } = await scan({ files: load('rules/cross-namespace-reference'), rules: RULES });
  assert.deepEqual(findings.map(brief), ['cross-namespace-reference error web.yaml:14']);
  assert.match(findings[0]!.message, /exists only in namespace backend, not in namespace frontend where the pod runs/);
});

test('scan: kustomize overlays — generators resolve in both namespaces; a Secret missing from one overlay warns once', async () => {
  const { findings, stats } = await scan({ files: load('references/kustomize-overlays'), rules: RULES });
  assert.equal(stats.references, 4);
  assert.deepEqual(findings.map(brief), [
    'unresolved-reference notice base/deployment.yaml:13',
    'unresolved-reference warning base/deployment.yaml:24',
  ]);
  assert.match(findings[1]!.message, /is defined for namespace dev but not for namespace prod/);
  assert.ok(!findings.some((f) => f.message.includes('not-a-real-password')));
});

test('scan: externalObjects in the configuration silence unresolved references', async () => {
  const config = configSchema.parse({
    externalObjects: [
      { kind: 'Secret', name: 'api-keys' },
      { kind: 'Secret', name: 'feature-flags' },
    ],
  });
  const { findings } = await scan({ files: load('rules/unresolved-reference'), rules: RULES, config });
  assert.deepEqual(findings.map(brief), ['unresolved-reference error api.yaml:13']);
});

test('review: removing a key from an untouched workload\'s ConfigMap is introduced and caused by that file', async () => {
  const head = load('rules/missing-key');
  const base = head.map((f) => (f.path === 'config.yaml' ? { ...f, text: f.text + '  RETRIES: "3"\n' } : f));
  const result = await review({ base, head });
  const mine = result.findings.filter((f) => f.ruleId === 'missing-key');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]?.introduced, true);
  assert.deepEqual(mine[0]?.causedBy, ['config.yaml']);
});

test('scan: fingerprints survive unrelated edits that move lines', async () => {
  const files = load('rules/missing-key');
  const moved = files.map((f) => (f.path === 'api.yaml' ? { ...f, text: '# a comment\n# another\n' + f.text } : f));
  const [a] = (await scan({ files, rules: RULES })).findings;
  const [b] = (await scan({ files: moved, rules: RULES })).findings;
  assert.equal(a?.fingerprint, b?.fingerprint);
  assert.equal(b!.line, a!.line + 2);
});

for (const rule of RULES) {
  test(`docs: the ${rule.meta.id} example fires ${rule.meta.id}`, async () => {
    const { findings } = await scan({ files: [{ path: 'example.yaml', text: rule.meta.docs.example }], rules: RULES });
    const ids = findings.map((f) => f.ruleId);
    assert.deepEqual(ids, [rule.meta.id], findings.map((f) => f.message).join('\n'));
    assert.equal(findings[0]?.severity, rule.meta.defaultSeverity === 'warning' ? 'error' : rule.meta.defaultSeverity);
  });
}

test('review: adding an overlay does not make the base\'s existing findings look new', async () => {
  const base = load('references/kustomize-overlays').filter((f) => !f.path.startsWith('overlays/prod/'));
  const head = load('references/kustomize-overlays');
  const result = await review({ base, head });
  const mine = result.findings.filter((f) => RULES.some((r) => r.meta.id === f.ruleId));
  // regcred (unresolved everywhere) existed before: not introduced; db-credentials missing in prod is new.
  assert.deepEqual(
    mine.map((f) => [f.line, f.severity, f.introduced]),
    [
      [13, 'notice', false],
      [24, 'warning', true],
    ],
  );
  assert.deepEqual(mine[1]?.causedBy, ['overlays/prod/kustomization.yaml']);
});
