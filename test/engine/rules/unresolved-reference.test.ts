import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Severity } from '../../../src/engine/model.js';
import { rule } from '../../../src/engine/rules/unresolved-reference.js';
import { rules } from '../../../src/engine/rules/index.js';
import { ALL_FORMS, kindOf, workloadWith } from '../references/forms.js';
import { dedent, deployment, runRule, type RuleCase } from '../references/helpers.js';

interface Expect {
  severity: Severity;
  includes?: string[];
  suggestion?: { from: string; to: string } | null;
}
interface Case {
  name: string;
  input: RuleCase;
  expect: Expect[];
}

const cases: Case[] = [];
/** The first sentence and the help, as `--verbose` prints them. */
const full = (r: { message: string; help?: string }) => `${r.message} ${r.help ?? ''}`;

for (const form of ALL_FORMS) {
  const kind = kindOf(form);
  const pull = form === 'image-pull-secret';
  cases.push(
    {
      name: `${form}: nothing of that name → ${pull ? 'notice' : 'warning'} that says how to declare it`,
      input: { files: { 'deploy.yaml': workloadWith(form, 'app-settings') } },
      expect: [{ severity: pull ? 'notice' : 'warning', includes: ['Deployment api', `${kind} "app-settings"`, 'externalObjects'], suggestion: null }],
    },
    {
      name: `${form}: near name of the same kind → ${pull ? 'warning' : 'error'} with a suggestion`,
      input: { files: { 'deploy.yaml': workloadWith(form, 'app-setings') }, providers: [{ kind, name: 'app-settings', path: 'cfg.yaml' }] },
      expect: [{ severity: pull ? 'warning' : 'error', includes: ['did you mean "app-settings"'], suggestion: { from: 'app-setings', to: 'app-settings' } }],
    },
    {
      name: `${form}: defined → nothing`,
      input: { files: { 'deploy.yaml': workloadWith(form, 'app-settings') }, providers: [{ kind, name: 'app-settings' }] },
      expect: [],
    },
    {
      name: `${form}: defined without namespace, pod in a namespace → nothing`,
      input: { files: { 'deploy.yaml': workloadWith(form, 'app-settings', { namespace: 'web' }) }, providers: [{ kind, name: 'app-settings' }] },
      expect: [],
    },
  );
  if (!pull) {
    cases.push(
      {
        name: `${form}: optional and missing → notice`,
        input: { files: { 'deploy.yaml': workloadWith(form, 'app-settings', { optional: true }) } },
        expect: [{ severity: 'notice', includes: ['Optional'] }],
      },
      {
        name: `${form}: optional typo → notice, still suggests`,
        input: { files: { 'deploy.yaml': workloadWith(form, 'app-setings', { optional: true }) }, providers: [{ kind, name: 'app-settings' }] },
        expect: [{ severity: 'notice', suggestion: { from: 'app-setings', to: 'app-settings' } }],
      },
    );
  }
}

cases.push(
  {
    name: 'only the other kind has the name → not this rule (wrong-kind)',
    input: { files: { 'd.yaml': workloadWith('envfrom-secret', 'app-settings') }, providers: [{ kind: 'ConfigMap', name: 'app-settings' }] },
    expect: [],
  },
  {
    name: 'exists only in another namespace → not this rule (cross-namespace)',
    input: {
      files: { 'd.yaml': workloadWith('envfrom-secret', 'app-settings', { namespace: 'a' }) },
      providers: [{ kind: 'Secret', name: 'app-settings', namespaces: ['b'] }],
    },
    expect: [],
  },
  {
    name: 'a near name of the other kind is not a typo suggestion',
    input: { files: { 'd.yaml': workloadWith('envfrom-secret', 'app-setings') }, providers: [{ kind: 'ConfigMap', name: 'app-settings' }] },
    expect: [{ severity: 'warning', suggestion: null }],
  },
  {
    name: 'several equally near names → error listing them, no suggestion',
    input: {
      files: { 'd.yaml': workloadWith('envfrom-configmap', 'web-confg') },
      providers: [{ name: 'web-config' }, { name: 'web-conf' }],
    },
    expect: [{ severity: 'error', includes: ['"web-conf" or "web-config"'], suggestion: null }],
  },
  {
    name: 'a different short token is another object, not a typo (cache-x vs cache-a/cache-b)',
    input: { files: { 'd.yaml': workloadWith('envfrom-configmap', 'cache-x') }, providers: [{ name: 'cache-a' }, { name: 'cache-b' }] },
    expect: [{ severity: 'warning', suggestion: null }],
  },
  {
    name: 'names differing only in digits are versions, not typos',
    input: { files: { 'd.yaml': workloadWith('envfrom-configmap', 'settings-v2') }, providers: [{ name: 'settings-v1' }] },
    expect: [{ severity: 'warning', suggestion: null }],
  },
  {
    name: 'defined for one overlay namespace but not the other → warning naming both',
    input: {
      files: { 'base/d.yaml': workloadWith('envfrom-configmap', 'app-settings') },
      scopes: { 'base/d.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }] },
      providers: [{ name: 'app-settings', namespaces: ['dev'], path: 'overlays/dev/kustomization.yaml' }],
    },
    expect: [{ severity: 'warning', includes: ['namespace dev but not for namespace prod'] }],
  },
  {
    name: 'pod built by two overlays that both define it → nothing',
    input: {
      files: { 'base/d.yaml': workloadWith('envfrom-configmap', 'app-settings') },
      scopes: { 'base/d.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }] },
      providers: [
        { name: 'app-settings', namespaces: ['dev'] },
        { name: 'app-settings', namespaces: ['prod'] },
      ],
    },
    expect: [],
  },
  {
    name: 'templated names are skipped',
    input: { files: { 'd.yaml': workloadWith('envfrom-configmap', '{{ .Values.config }}') + '---\n' + workloadWith('volume-secret', '${SECRET}') } },
    expect: [],
  },
  {
    name: 'one finding per reference across CronJob, Pod, PodTemplate, Rollout and a List',
    input: {
      files: {
        'all.yaml': dedent(`
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: nightly}
          spec:
            jobTemplate:
              spec:
                template:
                  spec:
                    containers: [{name: c, envFrom: [{secretRef: {name: cron-secret}}]}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            containers: [{name: c, envFrom: [{secretRef: {name: pod-secret}}]}]
          ---
          apiVersion: v1
          kind: PodTemplate
          metadata: {name: t}
          template:
            spec:
              containers: [{name: c, envFrom: [{secretRef: {name: template-secret}}]}]
          ---
          apiVersion: v1
          kind: List
          items:
            - apiVersion: argoproj.io/v1alpha1
              kind: Rollout
              metadata: {name: r}
              spec:
                template:
                  spec:
                    containers: [{name: c, envFrom: [{secretRef: {name: rollout-secret}}]}]`),
      },
    },
    expect: [
      { severity: 'warning', includes: ['CronJob nightly', 'cron-secret'] },
      { severity: 'warning', includes: ['Pod p', 'pod-secret'] },
      { severity: 'warning', includes: ['PodTemplate t', 'template-secret'] },
      { severity: 'warning', includes: ['Rollout r', 'rollout-secret'] },
    ],
  },
);

for (const c of cases) {
  test(`unresolved-reference: ${c.name}`, async () => {
    const reports = await runRule(rule, c.input);
    assert.equal(reports.length, c.expect.length, reports.map((r) => r.message).join('\n'));
    c.expect.forEach((e, i) => {
      const r = reports[i]!;
      assert.equal(r.severity, e.severity, r.message);
      for (const s of e.includes ?? []) assert.ok(full(r).includes(s), `${JSON.stringify(s)} not in: ${full(r)}`);
      if (e.suggestion === null) assert.equal(r.suggestion, undefined);
      else if (e.suggestion) {
        assert.equal(r.suggestion?.from, e.suggestion.from);
        assert.equal(r.suggestion?.to, e.suggestion.to);
        assert.deepEqual(r.suggestion?.location, r.location);
      }
    });
  });
}

test('unresolved-reference: messages say what fails and where; identity has no line numbers and survives moves', async () => {
  const pod = `
containers:
  - name: api
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef: {name: db, key: password}
`;
  const [env] = await runRule(rule, { files: { 'd.yaml': deployment(pod) } });
  assert.ok(env);
  assert.match(env.message, /^Secret "db" is not defined in this repository\.$/);
  assert.match(env.help!, /^Deployment api, env DB_PASSWORD of container api uses it/);
  assert.match(full(env), /CreateContainerConfigError/);
  assert.deepEqual(env.object, { kind: 'Deployment', name: 'api' });
  const moved = await runRule(rule, { files: { 'd.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n---\n' + deployment(pod) } });
  assert.deepEqual(moved[0]?.identity, env.identity);
  assert.notDeepEqual(moved[0]?.location, env.location);

  const [vol] = await runRule(rule, { files: { 'd.yaml': workloadWith('volume-secret', 'tls') } });
  assert.match(full(vol!), /volume files/);
  assert.match(full(vol!), /FailedMount/);
  const [pull] = await runRule(rule, { files: { 'd.yaml': workloadWith('image-pull-secret', 'registry') } });
  assert.match(full(pull!), /ImagePullBackOff/);
});

test('unresolved-reference: related lists the near-name provider files, not the workload file', async () => {
  const [r] = await runRule(rule, {
    files: { 'd.yaml': workloadWith('envfrom-configmap', 'app-setings') },
    providers: [
      { name: 'app-settings', path: 'config/app.yaml' },
      { name: 'app-settings', path: 'd.yaml' },
    ],
  });
  assert.deepEqual(r?.related, ['config/app.yaml']);
});

test('unresolved-reference: no suggestion in JSON files or when the name also appears in the field key', async () => {
  const json = await runRule(rule, { files: { 'd.json': workloadWith('envfrom-configmap', 'app-setings') }, providers: [{ name: 'app-settings' }] });
  assert.equal(json[0]?.severity, 'error');
  assert.equal(json[0]?.suggestion, undefined);
  const inKey = await runRule(rule, { files: { 'd.yaml': workloadWith('volume-secret', 'secret') }, providers: [{ kind: 'Secret', name: 'secrets' }] });
  assert.equal(inKey[0]?.severity, 'error');
  assert.equal(inKey[0]?.suggestion, undefined);
});

test('unresolved-reference: is registered, with docs', () => {
  assert.ok(rules.includes(rule));
  assert.equal(rule.meta.id, 'unresolved-reference');
  assert.ok(rule.meta.docs.example.includes('app-confg'));
});

test('unresolved-reference: partial — names the namespaces it is defined in, even when one pod scope is unset', async () => {
  const reports = await runRule(rule, {
    files: { 'base/d.yaml': workloadWith('envfrom-configmap', 'app-settings') },
    scopes: { 'base/d.yaml': [{}, { namespace: 'dev' }] },
    providers: [{ name: 'app-settings', namespaces: ['prod'] }],
  });
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.severity, 'warning');
  assert.match(reports[0]!.message, /defined for namespace prod but not for namespace dev/);
  assert.match(full(reports[0]!), /namespace: dev\)/);
});

test('unresolved-reference: a namesake in an unrelated tree and namespace is mentioned, not trusted', async () => {
  const reports = await runRule(rule, {
    files: { 'samples/a/d.yaml': workloadWith('envfrom-secret', 'db', { namespace: 'web' }) },
    providers: [{ kind: 'Secret', name: 'db', namespaces: ['backend'], path: 'other/b/db.yaml' }],
  });
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.severity, 'warning');
  assert.match(full(reports[0]!), /not defined in this repository where this pod runs\. .*A Secret of that name is defined in other\/b\/db\.yaml \(namespace backend\)/);
  assert.deepEqual(reports[0]?.related, ['other/b/db.yaml']);
});

test('unresolved-reference: a near name only in an unrelated tree → warning with the hint and a suggestion', async () => {
  const reports = await runRule(rule, {
    files: { 'apps/web/d.yaml': workloadWith('volume-secret', 'jwt-kye') },
    providers: [{ kind: 'Secret', name: 'jwt-key', path: 'extras/jwt/jwt-secret.yaml' }],
  });
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.severity, 'warning');
  assert.match(reports[0]!.message, /did you mean "jwt-key"\?/);
  assert.match(full(reports[0]!), /It is defined in extras\/jwt\/jwt-secret\.yaml\./);
  assert.deepEqual(reports[0]?.suggestion && { from: reports[0].suggestion.from, to: reports[0].suggestion.to }, { from: 'jwt-kye', to: 'jwt-key' });
  assert.deepEqual(reports[0]?.related, ['extras/jwt/jwt-secret.yaml']);
  // the same typo next to the Secret is an error
  const near = await runRule(rule, {
    files: { 'extras/jwt/d.yaml': workloadWith('volume-secret', 'jwt-kye') },
    providers: [{ kind: 'Secret', name: 'jwt-key', path: 'extras/jwt/jwt-secret.yaml' }],
  });
  assert.equal(near[0]?.severity, 'error');
});

test('unresolved-reference: an optional Secret named like a ConfigMap (istio kiali) is an optional missing object → notice, not wrong-kind', async () => {
  const reports = await runRule(rule, {
    files: { 'kiali.yaml': workloadWith('volume-secret', 'kiali', { optional: true }) },
    providers: [{ kind: 'ConfigMap', name: 'kiali', path: 'kiali.yaml' }],
  });
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.severity, 'notice');
  assert.match(reports[0]!.message, /^Optional Secret "kiali" is not defined in this repository; the pod still starts/);
});

test('unresolved-reference: one missing object used by several workloads is one warning; the other uses are notices that point at it', async () => {
  const uses = (secret: string) => `
containers:
  - name: app
    envFrom:
      - secretRef: {name: ${secret}}
`;
  const reports = await runRule(rule, {
    files: {
      'b/second.yaml': deployment(uses('hf-secret'), { name: 'second' }),
      'a/first.yaml': deployment(uses('hf-secret'), { name: 'first' }),
      'c/third.yaml': deployment(uses('hf-secret'), { name: 'third' }),
      'c/other-ns.yaml': deployment(uses('hf-secret'), { name: 'elsewhere', namespace: 'team-b' }),
      'd/lonely.yaml': deployment(uses('broken-secret'), { name: 'lonely' }),
    },
  });
  const shown = reports.map((r) => `${r.severity} ${r.location.path} ${r.message}`).sort();
  assert.deepEqual(shown, [
    'notice b/second.yaml Secret "hf-secret" is not defined in this repository (3 uses; the warning is at the first).',
    'notice c/third.yaml Secret "hf-secret" is not defined in this repository (3 uses; the warning is at the first).',
    // Another namespace: another object to create, its own warning.
    'warning a/first.yaml Secret "hf-secret" is not defined in this repository.',
    'warning c/other-ns.yaml Secret "hf-secret" is not defined in this repository.',
    // A name used once stays loud (the really broken ones).
    'warning d/lonely.yaml Secret "broken-secret" is not defined in this repository.',
  ]);
  const notice = reports.find((r) => r.location.path === 'b/second.yaml')!;
  assert.match(notice.help!, /Deployment second/);
  assert.match(notice.help!, /at a\/first\.yaml, Deployment first/);
  assert.deepEqual(notice.related, ['a/first.yaml']);
});
