import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../../../src/engine/model.js';
import { rule } from '../../../src/engine/rules/cross-namespace-reference.js';
import { rules } from '../../../src/engine/rules/index.js';
import { ALL_FORMS, kindOf, workloadWith } from '../references/forms.js';
import { runRule, type RuleCase } from '../references/helpers.js';

interface Case {
  name: string;
  input: RuleCase;
  expect: { severity: Severity; includes?: string[] }[];
}

const cases: Case[] = [];
for (const form of ALL_FORMS) {
  const kind = kindOf(form);
  const pull = form === 'image-pull-secret';
  cases.push(
    {
      name: `${form}: only in another namespace → ${pull ? 'warning' : 'error'}`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { namespace: 'web' }) }, providers: [{ kind, name: 'shared', namespaces: ['backend'], path: 'p.yaml' }] },
      expect: [{ severity: pull ? 'warning' : 'error', includes: ['only in namespace backend', 'not in namespace web', 'Deployment api'] }],
    },
    {
      name: `${form}: same namespace → nothing`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { namespace: 'web' }) }, providers: [{ kind, name: 'shared', namespaces: ['web'] }] },
      expect: [],
    },
    {
      name: `${form}: provider namespace unset → nothing`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { namespace: 'web' }) }, providers: [{ kind, name: 'shared', namespaces: [undefined] }] },
      expect: [],
    },
    {
      name: `${form}: pod namespace unset → nothing`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared') }, providers: [{ kind, name: 'shared', namespaces: ['backend'] }] },
      expect: [],
    },
  );
  if (!pull) {
    cases.push({
      name: `${form}: optional → notice`,
      input: { files: { 'd.yaml': workloadWith(form, 'shared', { namespace: 'web', optional: true }) }, providers: [{ kind, name: 'shared', namespaces: ['backend'] }] },
      expect: [{ severity: 'notice' }],
    });
  }
}

cases.push(
  {
    name: 'pod namespace from the kustomization scope',
    input: {
      files: { 'app/d.yaml': workloadWith('envfrom-secret', 'shared') },
      scopes: { 'app/d.yaml': [{ namespace: 'web', root: 'app/kustomization.yaml' }] },
      providers: [{ kind: 'Secret', name: 'shared', namespaces: ['backend'] }],
    },
    expect: [{ severity: 'error', includes: ['not in namespace web'] }],
  },
  {
    name: 'defined in one of the overlay namespaces only → not this rule (unresolved-reference warns)',
    input: {
      files: { 'base/d.yaml': workloadWith('envfrom-secret', 'shared') },
      scopes: { 'base/d.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }] },
      providers: [{ kind: 'Secret', name: 'shared', namespaces: ['dev'] }],
    },
    expect: [],
  },
  {
    name: 'several namespaces listed',
    input: {
      files: { 'd.yaml': workloadWith('envfrom-secret', 'shared', { namespace: 'web' }) },
      providers: [
        { kind: 'Secret', name: 'shared', namespaces: ['b'] },
        { kind: 'Secret', name: 'shared', namespaces: ['a'] },
      ],
    },
    expect: [{ severity: 'error', includes: ['only in namespace a, b'] }],
  },
);

for (const c of cases) {
  test(`cross-namespace-reference: ${c.name}`, async () => {
    const reports = await runRule(rule, c.input);
    assert.equal(reports.length, c.expect.length, reports.map((r) => r.message).join('\n'));
    c.expect.forEach((e, i) => {
      const r = reports[i]!;
      assert.equal(r.severity, e.severity, r.message);
      for (const s of e.includes ?? []) assert.ok(`${r.message} ${r.help ?? ''}`.includes(s), `${JSON.stringify(s)} not in: ${r.message} ${r.help ?? ''}`);
    });
  });
}

test('cross-namespace-reference: related names the provider file; message says how to declare it', async () => {
  const [r] = await runRule(rule, {
    files: { 'd.yaml': workloadWith('volume-configmap', 'shared', { namespace: 'web' }) },
    providers: [{ name: 'shared', namespaces: ['backend'], path: 'backend/cm.yaml' }],
  });
  assert.deepEqual(r?.related, ['backend/cm.yaml']);
  assert.match(r!.help!, /FailedMount/);
  assert.match(r!.help!, /externalObjects \(kind: ConfigMap, name: shared, namespace: web\)/);
});

test('cross-namespace-reference: is registered, with docs', () => {
  assert.ok(rules.includes(rule));
  assert.equal(rule.meta.defaultSeverity, 'error');
});

test('cross-namespace-reference: an externalObjects entry with the wrong namespace is not "defined by this repository"', async () => {
  const reports = await runRule(rule, {
    files: { 'd.yaml': workloadWith('envfrom-secret', 'registry', { namespace: 'web' }) },
    providers: [{ kind: 'Secret', name: 'registry', namespaces: ['backend'], via: 'declared in .github/keyref.yml' }],
  });
  assert.equal(reports.length, 1);
  assert.doesNotMatch(`${reports[0]!.message} ${reports[0]!.help}`, /repository defines/);
  assert.match(reports[0]!.help!, /The externalObjects entry in \.github\/keyref\.yml declares it for namespace backend\..*fix the namespace of the externalObjects entry/);
});
