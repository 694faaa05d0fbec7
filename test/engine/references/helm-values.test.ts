/** Chart values of Flux HelmReleases and Argo CD Applications, and Flux valuesFrom: through scan(), with exact lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../../src/engine/scan.js';
import { rule as unresolved } from '../../../src/engine/rules/unresolved-reference.js';
import { rule as missingKey } from '../../../src/engine/rules/missing-key.js';
import { rule as wrongKind } from '../../../src/engine/rules/wrong-kind.js';
import { rule as crossNamespace } from '../../../src/engine/rules/cross-namespace-reference.js';
import { dedent, kustomizeOf, loadFixture, referencesOf } from './helpers.js';
import { extractReferences } from '../../../src/engine/references/index.js';

const RULES = [unresolved, missingKey, wrongKind, crossNamespace];

const brief = (f: { ruleId: string; severity: string; path: string; line: number }) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}`;

test('helm fixture: bjw-s app-template values, valuesFrom and Argo CD values fire where they must, at the line in the release file', async () => {
  const result = await scan({ files: loadFixture('helm'), rules: RULES });
  assert.deepEqual(result.findings.map(brief), [
    // Argo CD: inside the `helm.values: |` string (line of `name: grafana-db`), and in valuesObject.extraVolumes
    'unresolved-reference warning argo/application.yaml:31',
    'unresolved-reference warning argo/application.yaml:37',
    // valuesFrom: a missing valuesKey is an error (Flux fails the release), a missing Secret a warning, an optional one a notice
    'missing-key error flux/helmrelease.yaml:18',
    'unresolved-reference warning flux/helmrelease.yaml:20',
    'unresolved-reference notice flux/helmrelease.yaml:22',
    // env map form without valueFrom (bjw-s), a typo in the key
    'missing-key error flux/helmrelease.yaml:45',
    // envFrom {secret: name}
    'unresolved-reference warning flux/helmrelease.yaml:49',
    // persistence type secret: the Secret exists, but not in the target namespace
    'cross-namespace-reference error flux/helmrelease.yaml:64',
  ]);
  const messages = result.findings.map((f) => f.message);
  // The short message says what is wrong; the help names the consumer.
  const helps = result.findings.map((f) => f.help ?? '');
  assert.match(messages[0]!, /^Secret "grafana-db" is not defined/);
  assert.match(helps[0]!, /^Application grafana, env GF_DATABASE_PASSWORD of values env uses it/);
  assert.match(messages[2]!, /^ConfigMap "paperless-values" has no key "extra\.yaml"/);
  assert.match(helps[2]!, /^HelmRelease paperless, valuesFrom needs it/);
  assert.match(messages[5]!, /^Secret "paperless-db" has no key "usernme"; did you mean "username"\?/);
  assert.match(helps[5]!, /^HelmRelease paperless, env DB_USER of container app needs it/);
  // The release of a chart from a Helm repository with nothing pod-spec shaped in its values is named, not passed silently.
  assert.deepEqual(
    result.skipped.map((s) => [s.kind, s.path, s.line]),
    [
      ['helm-release', 'argo/application.yaml', 40],
      ['helm-release', 'remote/helmrelease.yaml', 3],
    ],
  );
  assert.match(result.skipped[1]!.reason, /^HelmRelease cert-manager deploys chart cert-manager from HelmRepository jetstack, which is not in the repository/);
});

/** A HelmRelease `app` (namespace flux-system) with `extra` spec lines and `values` (YAML, unindented). */
const hr = (values: string, extra: string[] = []) =>
  [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata: {name: app, namespace: flux-system}',
    'spec:',
    '  chart: {spec: {chart: app-template, sourceRef: {kind: HelmRepository, name: bjw-s}}}',
    ...extra.map((l) => `  ${l}`),
    '  values:',
    ...values.split('\n').map((l) => `    ${l}`),
  ].join('\n');

test('must not fire: names the chart makes itself, templated names, disabled parts, values that are not pod-spec shaped', () => {
  const refs = referencesOf({
    files: {
      'hr.yaml': hr(
        dedent(`
          secrets:
            creds: {stringData: {a: b}}
          controllers:
            main:
              containers:
                app:
                  envFrom:
                    - secretRef: {identifier: creds}
                    - secret: creds
                    - secretRef: {name: "{{ .Release.Name }}-creds"}
                    - secretRef: {name: "{{ .Values.secretName }}"}
                  env:
                    PLAIN: value
                    LIST: [a, b]
            off:
              enabled: false
              containers:
                app:
                  envFrom: [{secretRef: {name: off-secret}}]
          persistence:
            cfg: {type: configMap, identifier: config}
            off: {type: secret, name: off-secret, enabled: false}
            data: {type: persistentVolumeClaim, existingClaim: data}
          existingSecret: chart-specific-not-read
          envFromSecrets: [{name: chart-specific-not-read}]
          control: {envFrom: [{secretRef: {name: control}}]}`),
      ),
    },
  });
  assert.deepEqual(refs.map((r) => r.name), ['control']);
});

test('{{ .Release.Name }} is the release name: spec.releaseName, else [targetNamespace-]name (Flux); the target namespace is where pods run', () => {
  const values = 'env: [{name: A, valueFrom: {secretKeyRef: {name: "{{ .Release.Name }}-s", key: k}}}]';
  const plain = referencesOf({ files: { 'a.yaml': hr(values) } });
  assert.deepEqual(plain.map((r) => [r.name, r.namespaces]), [['app-s', ['flux-system']]]);
  const targeted = referencesOf({ files: { 'a.yaml': hr(values, ['targetNamespace: web']) } });
  assert.deepEqual(targeted.map((r) => [r.name, r.namespaces]), [['web-app-s', ['web']]]);
  const named = referencesOf({ files: { 'a.yaml': hr(values, ['targetNamespace: web', 'releaseName: site']) } });
  assert.deepEqual(named.map((r) => [r.name, r.namespaces, r.owner]), [['site-s', ['web'], { kind: 'HelmRelease', name: 'app', namespace: 'flux-system' }]]);
});

test('chart-agnostic shapes under any key: extraEnv, extraEnvFrom, extraVolumes, sidecars, imagePullSecrets', () => {
  const refs = referencesOf({
    files: {
      'hr.yaml': hr(
        dedent(`
          imagePullSecrets: [{name: pull}]
          server:
            extraEnv:
              - {name: A, valueFrom: {configMapKeyRef: {name: cm-a, key: a}}}
              - {name: B, value: plain}
            extraEnvFrom: [{secretRef: {name: s-b}}]
            extraVolumes: [{name: v, secret: {secretName: s-v, items: [{key: k, path: p}]}}]
            sidecars:
              - name: proxy
                image: proxy:1
                env: [{name: C, valueFrom: {secretKeyRef: {name: s-c, key: c}}}]`),
      ),
    },
  });
  assert.deepEqual(
    refs.map((r) => [r.form, r.name, r.where, r.keys.map((k) => k.key), r.location.nodePath?.join('.')]),
    [
      ['image-pull-secret', 'pull', 'imagePullSecrets', [], 'spec.values.imagePullSecrets.0.name'],
      ['env-configmap-key', 'cm-a', 'env A of values server.extraEnv', ['a'], 'spec.values.server.extraEnv.0.valueFrom.configMapKeyRef.name'],
      ['envfrom-secret', 's-b', 'envFrom of values server.extraEnvFrom', [], 'spec.values.server.extraEnvFrom.0.secretRef.name'],
      ['volume-secret', 's-v', 'volume v', ['k'], 'spec.values.server.extraVolumes.0.secret.secretName'],
      ['env-secret-key', 's-c', 'env C of container proxy', ['c'], 'spec.values.server.sidecars.0.env.0.valueFrom.secretKeyRef.name'],
    ],
  );
});

test('Argo CD: every Helm source of spec.sources, valuesObject and values (string or map); no Helm source, nothing read', () => {
  const app = dedent(`
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata: {name: web, namespace: argocd}
    spec:
      destination: {namespace: shop}
      sources:
        - repoURL: https://example.com/charts
          chart: web
          helm:
            values: "envFrom: [{secretRef: {name: from-string}}]"
        - repoURL: https://example.com/git
          path: charts/api
          helm:
            valuesObject: {envFrom: [{configMapRef: {name: from-object}}]}
        - repoURL: https://example.com/git
          path: manifests
          ref: values
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata: {name: not-yaml, namespace: argocd}
    spec:
      source: {chart: x, helm: {values: "a: [unclosed"}}`);
  const refs = referencesOf({ files: { 'app.yaml': app } });
  assert.deepEqual(
    refs.map((r) => [r.name, r.namespaces, r.location.nodePath?.join('.'), r.location.inner?.nodePath.join('.')]),
    [
      ['from-string', ['shop'], 'spec.sources.0.helm.values', 'envFrom.0.secretRef.name'],
      ['from-object', ['shop'], 'spec.sources.1.helm.valuesObject.envFrom.0.configMapRef.name', undefined],
    ],
  );
});

test('hostile values: deep nesting, huge lists and odd types never throw; work stays linear in the input', () => {
  let deep: unknown = { envFrom: [{ secretRef: { name: 'deep' } }] };
  for (let i = 0; i < 500; i++) deep = { n: deep };
  const wide = Array.from({ length: 50000 }, (_, i) => ({ name: `v${i}`, secret: { secretName: `s${i}` } }));
  const odd = { env: 'x', envFrom: { a: 1 }, persistence: [1, 2], containers: 'no', volumes: [null, 1, 'x'] };
  const obj = (values: unknown) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'h',
    path: 'h.yaml',
    docIndex: 0,
    basePath: [],
    value: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'h' }, spec: { values } },
  });
  for (const values of [deep, { a: wide }, odd, null, 'string', 42]) {
    const repo = { objects: [obj(values)], kustomizations: [], problems: [], auxFiles: new Map(), documentCount: 1 };
    const refs = extract(repo);
    assert.ok(Array.isArray(refs));
    assert.ok(refs.length <= 50000); // at most one reference per volume written: linear in the input
  }
});

function extract(repo: Parameters<typeof extractReferences>[0]) {
  return extractReferences(repo, kustomizeOf());
}
