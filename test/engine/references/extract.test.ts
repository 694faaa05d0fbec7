import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractReferences } from '../../../src/engine/references/index.js';
import type { Reference } from '../../../src/engine/model.js';
import { dedent, deployment, kustomizeOf, referencesOf, repoOf } from './helpers.js';

const summary = (r: Reference) => ({
  form: r.form,
  kind: r.targetKind,
  name: r.name,
  keys: r.keys.map((k) => k.key),
  optional: r.optional,
  where: r.where,
});

const ALL_FORMS = deployment(`
imagePullSecrets:
  - name: registry
initContainers:
  - name: migrate
    envFrom:
      - secretRef:
          name: db
          optional: true
containers:
  - name: api
    env:
      - name: LOG_LEVEL
        valueFrom:
          configMapKeyRef:
            name: app-config
            key: log-level
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef:
            name: db
            key: password
            optional: true
      - name: PLAIN
        value: x
    envFrom:
      - configMapRef:
          name: app-env
        prefix: APP_
volumes:
  - name: config
    configMap:
      name: app-files
      items:
        - key: app.conf
          path: app.conf
  - name: tls
    secret:
      secretName: tls-cert
      optional: true
      items:
        - key: tls.crt
          path: cert
        - key: tls.key
          path: key
  - name: bundle
    projected:
      sources:
        - configMap:
            name: bundle-config
            items:
              - key: a
                path: a
        - secret:
            name: bundle-secret
            optional: true
        - serviceAccountToken:
            path: token
  - name: scratch
    emptyDir: {}
`);

test('extracts every reference form with keys, optional and where', () => {
  const refs = referencesOf({ files: { 'deploy.yaml': ALL_FORMS } });
  assert.deepEqual(refs.map(summary), [
    { form: 'env-configmap-key', kind: 'ConfigMap', name: 'app-config', keys: ['log-level'], optional: false, where: 'env LOG_LEVEL of container api' },
    { form: 'env-secret-key', kind: 'Secret', name: 'db', keys: ['password'], optional: true, where: 'env DB_PASSWORD of container api' },
    { form: 'envfrom-configmap', kind: 'ConfigMap', name: 'app-env', keys: [], optional: false, where: 'envFrom of container api' },
    { form: 'envfrom-secret', kind: 'Secret', name: 'db', keys: [], optional: true, where: 'envFrom of init container migrate' },
    { form: 'volume-configmap', kind: 'ConfigMap', name: 'app-files', keys: ['app.conf'], optional: false, where: 'volume config' },
    { form: 'volume-secret', kind: 'Secret', name: 'tls-cert', keys: ['tls.crt', 'tls.key'], optional: true, where: 'volume tls' },
    { form: 'projected-configmap', kind: 'ConfigMap', name: 'bundle-config', keys: ['a'], optional: false, where: 'projected volume bundle' },
    { form: 'projected-secret', kind: 'Secret', name: 'bundle-secret', keys: [], optional: true, where: 'projected volume bundle' },
    { form: 'image-pull-secret', kind: 'Secret', name: 'registry', keys: [], optional: false, where: 'imagePullSecrets' },
  ]);
});

test('locations point at the name value and keys at their key value', () => {
  const refs = referencesOf({ files: { 'deploy.yaml': ALL_FORMS } });
  const byForm = new Map(refs.map((r) => [r.form, r] as const));
  const spec = ['spec', 'template', 'spec'];
  assert.deepEqual(byForm.get('env-configmap-key')?.location, {
    path: 'deploy.yaml',
    docIndex: 0,
    nodePath: [...spec, 'containers', 0, 'env', 0, 'valueFrom', 'configMapKeyRef', 'name'],
  });
  assert.deepEqual(byForm.get('env-configmap-key')?.keys[0]?.location.nodePath, [
    ...spec,
    'containers',
    0,
    'env',
    0,
    'valueFrom',
    'configMapKeyRef',
    'key',
  ]);
  assert.deepEqual(byForm.get('envfrom-secret')?.location.nodePath, [...spec, 'initContainers', 0, 'envFrom', 0, 'secretRef', 'name']);
  assert.deepEqual(byForm.get('volume-secret')?.location.nodePath, [...spec, 'volumes', 1, 'secret', 'secretName']);
  assert.deepEqual(byForm.get('volume-secret')?.keys[1]?.location.nodePath, [...spec, 'volumes', 1, 'secret', 'items', 1, 'key']);
  assert.deepEqual(byForm.get('projected-configmap')?.location.nodePath, [...spec, 'volumes', 2, 'projected', 'sources', 0, 'configMap', 'name']);
  assert.deepEqual(byForm.get('projected-configmap')?.keys[0]?.location.nodePath, [
    ...spec,
    'volumes',
    2,
    'projected',
    'sources',
    0,
    'configMap',
    'items',
    0,
    'key',
  ]);
  assert.deepEqual(byForm.get('image-pull-secret')?.location.nodePath, [...spec, 'imagePullSecrets', 0, 'name']);
  const env = byForm.get('env-secret-key');
  assert.equal(env?.container, 'api');
  assert.equal(env?.envVar, 'DB_PASSWORD');
  assert.deepEqual(env?.owner, { kind: 'Deployment', name: 'api' });
  assert.equal(env?.path, 'deploy.yaml');
});

const SHAPES: { name: string; yaml: string; path: (string | number)[] }[] = [
  {
    name: 'Pod',
    yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]',
    path: ['spec'],
  },
  {
    name: 'PodTemplate',
    yaml: 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: p}\ntemplate:\n  spec:\n    containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]',
    path: ['template', 'spec'],
  },
  {
    name: 'CronJob',
    yaml: dedent(`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: nightly}
      spec:
        schedule: "0 0 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]`),
    path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  },
  ...['StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map((kind) => ({
    name: kind,
    yaml: `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]`,
    path: ['spec', 'template', 'spec'],
  })),
  {
    name: 'Argo Rollout',
    yaml: 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]',
    path: ['spec', 'template', 'spec'],
  },
  {
    name: 'Knative Service',
    yaml: 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec:\n  template:\n    spec:\n      containers: [{image: x, envFrom: [{configMapRef: {name: cm}}]}]',
    path: ['spec', 'template', 'spec'],
  },
];

for (const shape of SHAPES) {
  test(`finds the pod spec of a ${shape.name}`, () => {
    const refs = referencesOf({ files: { 'w.yaml': shape.yaml } });
    assert.equal(refs.length, 1);
    assert.deepEqual(refs[0]?.location.nodePath, [...shape.path, 'containers', 0, 'envFrom', 0, 'configMapRef', 'name']);
  });
}

test('a Knative container without a name is described by its position', () => {
  const refs = referencesOf({ files: { 'w.yaml': SHAPES.find((s) => s.name === 'Knative Service')!.yaml } });
  assert.equal(refs[0]?.where, 'envFrom of container #1');
  assert.equal(refs[0]?.container, undefined);
});

test('a partial pod spec (a kustomize patch adding a volume) counts, for any kind: a volumes list of ConfigMap/Secret volumes is a pod spec by its shape', () => {
  const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      volumes: [{name: v, configMap: {name: cm}}]';
  assert.equal(referencesOf({ files: { 'patch.yaml': patch } }).length, 1);
  const crd = 'apiVersion: x/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  template:\n    spec:\n      volumes: [{name: v, configMap: {name: cm}}]';
  assert.deepEqual(referencesOf({ files: { 'crd.yaml': crd } }).map((r) => r.location.nodePath?.join('.')), ['spec.template.spec.volumes.0.configMap.name']);
  const other = 'apiVersion: x/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  volumes: [{name: v, emptyDir: {}}, {name: w, hostPath: {path: /x}}]\n  storage: {configMap: {name: not-a-volume}}';
  assert.deepEqual(referencesOf({ files: { 'other.yaml': other } }), []);
});

test('objects without a pod spec give nothing', () => {
  const yaml = dedent(`
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: c}
    data: {containers: x}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    spec: {ports: [{port: 80}]}
    ---
    apiVersion: x/v1
    kind: Weird
    metadata: {name: w}
    spec: {containers: [{envFrom: [{configMapRef: {name: cm}}]}]}`);
  assert.deepEqual(referencesOf({ files: { 'x.yaml': yaml } }), []);
});

test('List items carry the items prefix in their node paths', () => {
  const yaml = dedent(`
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
      - apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, envFrom: [{secretRef: {name: s}}]}]`);
  const refs = referencesOf({ files: { 'list.yaml': yaml } });
  assert.equal(refs.length, 1);
  assert.deepEqual(refs[0]?.location.nodePath, ['items', 1, 'spec', 'containers', 0, 'envFrom', 0, 'secretRef', 'name']);
  assert.deepEqual(refs[0]?.owner, { kind: 'Pod', name: 'p' });
});

test('docIndex is the document of the owner', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\n' + deployment('containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]');
  const refs = referencesOf({ files: { 'two.yaml': yaml } });
  assert.equal(refs[0]?.location.docIndex, 1);
});

test('templated, empty and non-string names are skipped; templated keys are dropped', () => {
  const yaml = deployment(`
containers:
  - name: c
    env:
      - name: A
        valueFrom: {configMapKeyRef: {name: "{{ .Values.cm }}", key: k}}
      - name: B
        valueFrom: {configMapKeyRef: {name: "\${CM}", key: k}}
      - name: C
        valueFrom: {configMapKeyRef: {name: "$(CM)", key: k}}
      - name: D
        valueFrom: {configMapKeyRef: {name: "", key: k}}
      - name: E
        valueFrom: {configMapKeyRef: {name: 42, key: k}}
      - name: F
        valueFrom: {configMapKeyRef: {key: k}}
      - name: G
        valueFrom: {configMapKeyRef: {name: ok, key: "{{ .k }}"}}
      - name: I
        valueFrom: {configMapKeyRef: {name: "<your-config>", key: k}}
      - name: J
        valueFrom: {configMapKeyRef: {name: "$CM_NAME", key: k}}
      - name: K
        valueFrom: {configMapKeyRef: {name: "  ", key: k}}
      - name: H
        valueFrom: {configMapKeyRef: {name: ok2, key: 7}}
`);
  const refs = referencesOf({ files: { 'd.yaml': yaml } });
  assert.deepEqual(
    refs.map((r) => [r.name, r.keys.map((k) => k.key)]),
    [
      ['ok', []],
      ['ok2', []],
    ],
  );
});

test('wrong field types are skipped without throwing', () => {
  const yaml = deployment(`
containers:
  - "not a container"
  - name: c
    env: "nope"
    envFrom: [null, 3, {configMapRef: "x"}, {secretRef: {name: [1]}}, {configMapRef: {name: good, optional: "true"}}]
  - name: d
    env: [null, {name: X}, {name: Y, valueFrom: "z"}, {name: Z, valueFrom: {secretKeyRef: null}}]
initContainers: {}
volumes:
  - null
  - name: v
    configMap: {name: cm, items: "all"}
  - name: w
    secret: {name: wrong-field}
  - name: p
    projected: {sources: {configMap: {name: x}}}
  - name: q
    projected: {sources: [null, {configMap: {name: pcm, items: [null, {key: 1}, {key: k}]}}]}
imagePullSecrets: [reg, {name: real}]
`);
  const refs = referencesOf({ files: { 'd.yaml': yaml } });
  assert.deepEqual(
    refs.map((r) => [r.form, r.name, r.keys.map((k) => k.key), r.optional]),
    [
      ['envfrom-configmap', 'good', [], false],
      ['volume-configmap', 'cm', [], false],
      ['projected-configmap', 'pcm', ['k'], false],
      ['image-pull-secret', 'real', [], false],
    ],
  );
});

test('namespaces: each build scope namespace (kustomize overrides metadata.namespace), else metadata.namespace, deduplicated', () => {
  const own = deployment('containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]', { namespace: 'web' });
  const none = deployment('containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]');
  const repo = repoOf({ 'base/own.yaml': own, 'base/own-unscoped.yaml': own, 'base/none.yaml': none, 'solo.yaml': none });
  const kustomize = kustomizeOf({
    'base/own.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }],
    'base/own-unscoped.yaml': [{}, { namespace: 'prod' }],
    'base/none.yaml': [{ namespace: 'dev' }, { namespace: 'prod' }, { namespace: 'dev' }, {}],
  });
  const refs = extractReferences(repo, kustomize);
  assert.deepEqual(
    refs.map((r) => [r.path, r.namespaces]),
    [
      ['base/own.yaml', ['dev', 'prod']],
      ['base/own-unscoped.yaml', ['web', 'prod']],
      ['base/none.yaml', ['dev', 'prod', undefined]],
      ['solo.yaml', [undefined]],
    ],
  );
});

test('a kustomize model that throws or returns nothing falls back to the object namespace', () => {
  const repo = repoOf({ 'd.yaml': deployment('containers: [{name: c, envFrom: [{configMapRef: {name: cm}}]}]', { namespace: 'a' }) });
  const throwing = { scopesOf: () => { throw new Error('boom'); }, scopesOfKustomization: () => [], generators: [] };
  assert.deepEqual(extractReferences(repo, throwing)[0]?.namespaces, ['a']);
  const empty = { scopesOf: () => [], scopesOfKustomization: () => [], generators: [] };
  assert.deepEqual(extractReferences(repo, empty)[0]?.namespaces, ['a']);
});

test('pod templates nested anywhere under spec of other kinds: RayCluster groups, JobSet replicated jobs', () => {
  const yaml = dedent(`
    apiVersion: ray.io/v1
    kind: RayCluster
    metadata: {name: ray}
    spec:
      headGroupSpec:
        template:
          spec:
            containers: [{name: head, envFrom: [{secretRef: {name: head-secret}}]}]
      workerGroupSpecs:
        - groupName: gpu
          template:
            spec:
              containers: [{name: worker, envFrom: [{secretRef: {name: worker-secret}}]}]
    ---
    apiVersion: jobset.x-k8s.io/v1alpha2
    kind: JobSet
    metadata: {name: js}
    spec:
      replicatedJobs:
        - name: workers
          template:
            spec:
              template:
                spec:
                  containers: [{name: w, envFrom: [{configMapRef: {name: js-config}}]}]`);
  const refs = referencesOf({ files: { 'x.yaml': yaml } });
  assert.deepEqual(
    refs.map((r) => [r.owner.kind, r.name, r.location.nodePath?.slice(0, -6).join('.')]),
    [
      ['RayCluster', 'head-secret', 'spec.headGroupSpec.template.spec'],
      ['RayCluster', 'worker-secret', 'spec.workerGroupSpecs.0.template.spec'],
      ['JobSet', 'js-config', 'spec.replicatedJobs.0.template.spec.template.spec'],
    ],
  );
});

test("a HelmRelease's chart values are read (helm-values.test.ts); a values key of any other kind is not", () => {
  const yaml = dedent(`
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata: {name: hr}
    spec:
      values:
        template:
          spec:
            containers: [{name: c, envFrom: [{secretRef: {name: from-values}}]}]
    ---
    apiVersion: example.com/v1
    kind: Thing
    metadata: {name: t}
    spec:
      values:
        template:
          spec:
            containers: [{name: c, envFrom: [{secretRef: {name: from-thing-values}}]}]`);
  assert.deepEqual(referencesOf({ files: { 'x.yaml': yaml } }).map((r) => [r.owner.kind, r.name]), [['HelmRelease', 'from-values']]);
});

test('ephemeral containers are read too', () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n  ephemeralContainers: [{name: debug, envFrom: [{secretRef: {name: dbg}}]}]';
  const refs = referencesOf({ files: { 'p.yaml': yaml } });
  assert.deepEqual(
    refs.map((r) => [r.where, r.container, r.location.nodePath?.join('.')]),
    [['envFrom of ephemeral container debug', 'debug', 'spec.ephemeralContainers.0.envFrom.0.secretRef.name']],
  );
});

test('equal node paths and descriptions of one extraction are one frozen value; each reference still reads as its own', () => {
  const twin = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  template:
    spec:
      containers:
        - name: main
          env:
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: ${name}-db, key: password}}
`;
  const refs = extractReferences(repoOf({ 'a.yaml': twin('a'), 'b.yaml': twin('b') }), kustomizeOf());
  assert.equal(refs.length, 2);
  const [a, b] = refs as [Reference, Reference];
  assert.notEqual(a.location, b.location);
  assert.deepEqual([a.location.path, b.location.path, a.name, b.name], ['a.yaml', 'b.yaml', 'a-db', 'b-db']);
  assert.equal(a.location.nodePath, b.location.nodePath, 'one node path for one position');
  assert.equal(a.keys[0]!.location.nodePath, b.keys[0]!.location.nodePath);
  assert.ok(Object.isFrozen(a.location.nodePath) && Object.isFrozen(a.keys[0]!.location.nodePath));
  assert.deepEqual(a.location.nodePath, ['spec', 'template', 'spec', 'containers', 0, 'env', 0, 'valueFrom', 'secretKeyRef', 'name']);
  assert.equal(a.where, 'env DB_PASSWORD of container main');
});
