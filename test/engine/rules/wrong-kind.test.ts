import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReferenceForm, Severity } from '../../../src/engine/model.js';
import { rule } from '../../../src/engine/rules/wrong-kind.js';
import { rules } from '../../../src/engine/rules/index.js';
import { ALL_FORMS, kindOf, workloadWith } from '../references/forms.js';
import { runRule, type RuleCase } from '../references/helpers.js';

interface Expect {
  severity: Severity;
  includes?: string[];
  suggestion?: { from: string; to: string; field: string } | null;
}
interface Case {
  name: string;
  input: RuleCase;
  expect: Expect[];
}

const SUGGESTED: Partial<Record<ReferenceForm, { from: string; to: string }>> = {
  'env-configmap-key': { from: 'configMapKeyRef', to: 'secretKeyRef' },
  'env-secret-key': { from: 'secretKeyRef', to: 'configMapKeyRef' },
  'envfrom-configmap': { from: 'configMapRef', to: 'secretRef' },
  'envfrom-secret': { from: 'secretRef', to: 'configMapRef' },
  'projected-configmap': { from: 'configMap', to: 'secret' },
  'projected-secret': { from: 'secret', to: 'configMap' },
};

const cases: Case[] = [];
for (const form of ALL_FORMS) {
  const kind = kindOf(form);
  const other = kind === 'Secret' ? 'ConfigMap' : 'Secret';
  const pull = form === 'image-pull-secret';
  const s = SUGGESTED[form];
  cases.push(
    {
      name: `${form}: names a ${other} → ${pull ? 'warning' : 'error'}`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { keys: ['k'] }) }, providers: [{ kind: other, name: 'shared', keys: ['k'], path: 'o.yaml' }] },
      expect: [
        {
          severity: pull ? 'warning' : 'error',
          includes: [`"shared" is a ${other}`, `no ${kind} has that name`, 'Deployment api'],
          suggestion: s ? { ...s, field: s.from } : null,
        },
      ],
    },
    {
      name: `${form}: both kinds have the name → nothing`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'shared', { keys: ['k'] }) },
        providers: [
          { kind: other, name: 'shared', keys: ['k'] },
          { kind, name: 'shared', keys: ['k'] },
        ],
      },
      expect: [],
    },
    {
      name: `${form}: the ${other} is in another namespace → nothing (unresolved instead)`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'shared', { keys: ['k'], namespace: 'a' }) },
        providers: [{ kind: other, name: 'shared', keys: ['k'], namespaces: ['b'] }],
      },
      expect: [],
    },
  );
  if (!pull) {
    cases.push({
      // istio kiali: an optional Secret "kiali" next to the mounted ConfigMap "kiali" is its own object (unresolved-reference reports it as a notice)
      name: `${form}: optional → not a wrong kind`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { keys: ['k'], optional: true }) }, providers: [{ kind: other, name: 'shared', keys: ['k'] }] },
      expect: [],
    });
  }
}

cases.push(
  {
    name: 'the other kind lacks the key → still fires, says so, no suggestion',
    input: { files: { 'd.yaml': workloadWith('env-configmap-key', 'shared', { keys: ['password'] }) }, providers: [{ kind: 'Secret', name: 'shared', keys: ['user'] }] },
    expect: [{ severity: 'error', includes: ['has no key "password" either'], suggestion: null }],
  },
  {
    name: 'the other kind with unknown keys → suggestion offered',
    input: { files: { 'd.yaml': workloadWith('env-configmap-key', 'shared', { keys: ['password'] }) }, providers: [{ kind: 'Secret', name: 'shared', keys: 'unknown' }] },
    expect: [{ severity: 'error', suggestion: { from: 'configMapKeyRef', to: 'secretKeyRef', field: 'configMapKeyRef' } }],
  },
  {
    name: 'volume forms say how to switch the volume type',
    input: { files: { 'd.yaml': workloadWith('volume-configmap', 'shared') }, providers: [{ kind: 'Secret', name: 'shared', keys: [] }] },
    expect: [{ severity: 'error', includes: ['secretName: shared', 'FailedMount'], suggestion: null }],
  },
  {
    name: 'no suggestion in JSON files',
    input: { files: { 'd.json': workloadWith('envfrom-secret', 'shared') }, providers: [{ kind: 'ConfigMap', name: 'shared', keys: [] }] },
    expect: [{ severity: 'error', suggestion: null }],
  },
);

for (const c of cases) {
  test(`wrong-kind: ${c.name}`, async () => {
    const reports = await runRule(rule, c.input);
    assert.equal(reports.length, c.expect.length, reports.map((r) => r.message).join('\n'));
    c.expect.forEach((e, i) => {
      const r = reports[i]!;
      assert.equal(r.severity, e.severity, r.message);
      for (const s of e.includes ?? []) assert.ok(`${r.message} ${r.help ?? ''}`.includes(s), `${JSON.stringify(s)} not in: ${r.message} ${r.help ?? ''}`);
      if (e.suggestion === null) assert.equal(r.suggestion, undefined);
      else if (e.suggestion) {
        assert.equal(r.suggestion?.from, e.suggestion.from);
        assert.equal(r.suggestion?.to, e.suggestion.to);
        assert.equal(r.suggestion?.location.nodePath?.at(-1), e.suggestion.field);
        assert.equal(r.suggestion?.location.part, 'key');
      }
    });
  });
}

test('wrong-kind: related is the other-kind provider file', async () => {
  const [r] = await runRule(rule, { files: { 'd.yaml': workloadWith('envfrom-secret', 'shared') }, providers: [{ kind: 'ConfigMap', name: 'shared', path: 'cm.yaml' }] });
  assert.deepEqual(r?.related, ['cm.yaml']);
  assert.match(r!.help!, /CreateContainerConfigError/);
  assert.ok(r!.message.length <= 160, r!.message);
});

test('wrong-kind: is registered, with docs', () => {
  assert.ok(rules.includes(rule));
  assert.equal(rule.meta.defaultSeverity, 'error');
});
