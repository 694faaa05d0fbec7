import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../../../src/engine/model.js';
import { rule } from '../../../src/engine/rules/missing-key.js';
import { rules } from '../../../src/engine/rules/index.js';
import { ALL_FORMS, KEYED_FORMS, kindOf, workloadWith } from '../references/forms.js';
import { dedent, providersFromYaml, runRule, type RuleCase } from '../references/helpers.js';

interface Expect {
  severity: Severity;
  key: string;
  includes?: string[];
  suggestion?: { from: string; to: string } | null;
}
interface Case {
  name: string;
  input: RuleCase;
  expect: Expect[];
}

const cases: Case[] = [];
for (const form of KEYED_FORMS) {
  const kind = kindOf(form);
  const multi = !form.startsWith('env-');
  cases.push(
    {
      name: `${form}: key missing → error`,
      input: { files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) }, providers: [{ kind, name: 'settings', keys: ['retries'], path: 'p.yaml' }] },
      expect: [{ severity: 'error', key: 'timeout', includes: [`${kind} "settings" has no key "timeout"`, '"retries"', 'p.yaml'], suggestion: null }],
    },
    {
      name: `${form}: optional → notice`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'], optional: true }) },
        providers: [{ kind, name: 'settings', keys: ['retries'] }],
      },
      expect: [{ severity: 'notice', key: 'timeout', includes: ['optional'] }],
    },
    {
      name: `${form}: key present → nothing`,
      input: { files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) }, providers: [{ kind, name: 'settings', keys: ['timeout'] }] },
      expect: [],
    },
    {
      name: `${form}: key set unknown → nothing`,
      input: { files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) }, providers: [{ kind, name: 'settings', keys: 'unknown' }] },
      expect: [],
    },
    {
      name: `${form}: one of several providers of that name has the key → nothing`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) },
        providers: [
          { kind, name: 'settings', keys: ['retries'] },
          { kind, name: 'settings', keys: ['timeout'] },
        ],
      },
      expect: [],
    },
    {
      name: `${form}: one provider with known keys and one with unknown keys → nothing`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) },
        providers: [
          { kind, name: 'settings', keys: ['retries'] },
          { kind, name: 'settings', keys: 'unknown' },
        ],
      },
      expect: [],
    },
    {
      name: `${form}: typo of an existing key → error with a suggestion`,
      input: { files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeuot'] }) }, providers: [{ kind, name: 'settings', keys: ['timeout', 'retries'] }] },
      expect: [{ severity: 'error', key: 'timeuot', includes: ['did you mean "timeout"?'], suggestion: { from: 'timeuot', to: 'timeout' } }],
    },
    {
      name: `${form}: object missing entirely → not this rule`,
      input: { files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['timeout'] }) } },
      expect: [],
    },
  );
  if (multi) {
    cases.push({
      name: `${form}: each missing item key is its own finding`,
      input: {
        files: { 'd.yaml': workloadWith(form, 'settings', { keys: ['a.conf', 'b.conf', 'c.conf'] }) },
        providers: [{ kind, name: 'settings', keys: ['b.conf'] }],
      },
      expect: [
        { severity: 'error', key: 'a.conf', suggestion: null },
        { severity: 'error', key: 'c.conf', suggestion: null },
      ],
    });
  }
}

for (const form of ALL_FORMS.filter((f) => !KEYED_FORMS.includes(f))) {
  cases.push({
    name: `${form}: takes the whole object, never fires`,
    input: { files: { 'd.yaml': workloadWith(form, 'settings') }, providers: [{ kind: kindOf(form), name: 'settings', keys: [] }] },
    expect: [],
  });
}

cases.push(
  {
    name: 'volume without items takes every key → nothing even when the object is empty',
    input: { files: { 'd.yaml': workloadWith('volume-configmap', 'settings') }, providers: [{ name: 'settings', keys: [] }] },
    expect: [],
  },
  {
    name: 'key missing only in the prod overlay → error naming prod',
    input: {
      files: { 'base/d.yaml': workloadWith('env-configmap-key', 'settings', { keys: ['timeout'] }) },
      scopes: { 'base/d.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }] },
      providers: [
        { name: 'settings', namespaces: ['dev'], keys: ['timeout'] },
        { name: 'settings', namespaces: ['prod'], keys: [] },
      ],
    },
    expect: [{ severity: 'error', key: 'timeout', includes: ['in namespace prod', 'it has no keys'] }],
  },
  {
    name: 'provider in another namespace is not considered for keys (that is cross-namespace)',
    input: {
      files: { 'd.yaml': workloadWith('env-configmap-key', 'settings', { keys: ['timeout'], namespace: 'a' }) },
      providers: [
        { name: 'settings', namespaces: ['a'], keys: [] },
        { name: 'settings', namespaces: ['b'], keys: ['timeout'] },
      ],
    },
    expect: [{ severity: 'error', key: 'timeout' }],
  },
  {
    name: 'service-account-token Secrets are filled by the control plane → nothing',
    input: {
      files: { 'd.yaml': workloadWith('volume-secret', 'sa-token', { keys: ['token', 'ca.crt'] }) },
      providers: [{ kind: 'Secret', name: 'sa-token', keys: [], secretType: 'kubernetes.io/service-account-token' }],
    },
    expect: [],
  },
);

for (const c of cases) {
  test(`missing-key: ${c.name}`, async () => {
    const reports = await runRule(rule, c.input);
    assert.equal(reports.length, c.expect.length, reports.map((r) => r.message).join('\n'));
    c.expect.forEach((e, i) => {
      const r = reports[i]!;
      assert.equal(r.severity, e.severity, r.message);
      assert.equal(r.location.nodePath?.at(-1), 'key');
      assert.ok(r.identity.includes(e.key), JSON.stringify(r.identity));
      for (const s of e.includes ?? []) assert.ok(`${r.message} ${r.help ?? ''}`.includes(s), `${JSON.stringify(s)} not in: ${r.message} ${r.help ?? ''}`);
      if (e.suggestion === null) assert.equal(r.suggestion, undefined);
      else if (e.suggestion) {
        assert.equal(r.suggestion?.from, e.suggestion.from);
        assert.equal(r.suggestion?.to, e.suggestion.to);
        assert.deepEqual(r.suggestion?.location, r.location);
      }
    });
  });
}

test('missing-key: points at the key, relates the provider file, never prints a value', async () => {
  const secretValue = 'hunter2-very-secret';
  const providerYaml = dedent(`
    apiVersion: v1
    kind: Secret
    metadata: {name: db}
    stringData:
      username: ${secretValue}
      host: db.internal`);
  const workload = dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      template:
        spec:
          containers:
            - name: api
              env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: db
                      key: password`);
  const reports = await runRule(rule, { files: { 'deploy.yaml': workload }, providers: providersFromYaml(providerYaml, 'secrets/db.yaml') });
  assert.equal(reports.length, 1);
  const r = reports[0]!;
  assert.equal(r.severity, 'error');
  assert.deepEqual(r.location.nodePath, ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'valueFrom', 'secretKeyRef', 'key']);
  assert.deepEqual(r.related, ['secrets/db.yaml']);
  assert.match(r.message, /^Secret "db" has no key "password"\.$/);
  assert.match(r.help!, /^Deployment api, env DB_PASSWORD of container api needs it/);
  assert.match(r.help!, /CreateContainerConfigError/);
  for (const text of [r.message, r.help!]) {
    assert.ok(!text.includes(secretValue));
    assert.ok(!text.includes(Buffer.from(secretValue).toString('base64')));
  }
  assert.ok(!JSON.stringify(r).includes(secretValue));
});

test('missing-key: volume items fail the mount', async () => {
  const [r] = await runRule(rule, { files: { 'd.yaml': workloadWith('volume-secret', 'tls', { keys: ['tls.key'] }) }, providers: [{ kind: 'Secret', name: 'tls', keys: ['tls.crt'] }] });
  assert.match(r!.help!, /FailedMount/);
});

test('missing-key: is registered, with docs', () => {
  assert.ok(rules.includes(rule));
  assert.equal(rule.meta.defaultSeverity, 'error');
});

test('missing-key: a definition only in an unrelated tree → warning that says so', async () => {
  const reports = await runRule(rule, {
    files: { 'samples/a/deploy.yaml': workloadWith('env-secret-key', 'db', { keys: ['password'] }) },
    providers: [{ kind: 'Secret', name: 'db', keys: ['user'], path: 'other/b/secret.yaml' }],
  });
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.severity, 'warning');
  assert.match(reports[0]!.help!, /unrelated part of the repository/);
});
