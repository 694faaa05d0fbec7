import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema, DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import { analyzeKustomize } from '../../../src/engine/kustomize/index.js';
import { buildProviderIndex, CLUSTER_BUILTINS, providerModules } from '../../../src/engine/providers/index.js';
import { clusterBuiltinsProvider } from '../../../src/engine/providers/cluster-builtins.js';
import { declaredProvider } from '../../../src/engine/providers/declared.js';
import { kustomizeGeneratorProvider } from '../../../src/engine/providers/kustomize-generator.js';
import { fakeRepo, fixturePath, readFixtureDir } from '../kustomize/fake-repo.js';
import { provideWith } from './helpers.js';

const sortedNs = (ns: readonly (string | undefined)[]) => ns.map((n) => n ?? '(any)').sort();
const keysOf = (k: ReadonlySet<string> | 'unknown') => (k === 'unknown' ? k : [...k].sort());

test('every module has a unique id and a description', () => {
  const ids = providerModules.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const m of providerModules) assert.ok(m.description.length > 10, m.id);
});

test('namePrefix of the including kustomization is an alias (kubeflow jupyter-web-app-logos)', () => {
  const repo = fakeRepo({
    'base/kustomization.yaml': 'namePrefix: jupyter-web-app-\nnamespace: kubeflow\nresources: [configs/logos-configmap.yaml]\n',
    'base/configs/logos-configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: logos\ndata:\n  logo.svg: x\n',
  });
  const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG);
  const [byPrefixed] = index.lookup('ConfigMap', 'jupyter-web-app-logos');
  assert.equal(byPrefixed?.name, 'logos');
  assert.deepEqual(byPrefixed?.namespaces, ['kubeflow']);
  assert.equal(index.lookup('ConfigMap', 'logos')[0], byPrefixed);
  assert.deepEqual(index.lookup('Secret', 'jupyter-web-app-logos'), []);
  assert.deepEqual(index.lookup('ConfigMap', 'nope'), []);
  assert.ok(index.names('ConfigMap').includes('jupyter-web-app-logos'));
  assert.ok(index.names('ConfigMap').includes('logos'));
  assert.equal(new Set(index.names('ConfigMap')).size, index.names('ConfigMap').length);
});

test("kustomize's namespace overrides the object's own; the own one is kept as well", () => {
  const repo = fakeRepo({
    'kustomization.yaml': 'namespace: kust\nresources: [cm.yaml, cm2.yaml]\n',
    'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: own}\ndata: {k: v}\n',
    'cm2.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n',
    'loose.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n',
  });
  const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG);
  assert.deepEqual(sortedNs(index.lookup('ConfigMap', 'a')[0]!.namespaces), ['kust', 'own']);
  assert.deepEqual(sortedNs(index.lookup('ConfigMap', 'b')[0]!.namespaces), ['kust']);
  assert.deepEqual(sortedNs(index.lookup('ConfigMap', 'c')[0]!.namespaces), ['(any)']);
});

test('kustomize generators: keys, names and namespaces in every build, merge entries, unknown env files', () => {
  const provided = provideWith(kustomizeGeneratorProvider, readFixtureDir(fixturePath('kustomize', 'layered')));
  const create = provided.find((p) => p.name === 'settings' && p.location?.path === 'base/kustomization.yaml');
  assert.ok(create);
  assert.equal(create.kind, 'ConfigMap');
  assert.equal(create.via, 'kustomize configMapGenerator');
  // missing.env is not in the repository, so any key may exist.
  assert.equal(create.keys, 'unknown');
  assert.deepEqual([...create.names].sort(), ['app-settings-dev', 'prod-app-settings-v1', 'settings']);
  assert.deepEqual(sortedNs(create.namespaces), ['base-ns', 'prod']);

  const merge = provided.find((p) => p.name === 'settings' && p.location?.path === 'overlays/prod/kustomization.yaml');
  assert.deepEqual(keysOf(merge!.keys), ['LOG_LEVEL']);
  // A merge entry changes the object the base generates: it has that object's final name in the build.
  assert.deepEqual([...merge!.names].sort(), ['prod-app-settings-v1', 'settings']);
  assert.deepEqual(merge!.namespaces, ['prod']);

  const creds = provided.find((p) => p.name === 'creds');
  assert.equal(creds?.kind, 'Secret');
  assert.equal(creds?.via, 'kustomize secretGenerator');
  assert.equal(creds?.secretType, 'kubernetes.io/basic-auth');
  assert.deepEqual(keysOf(creds!.keys), ['password', 'username']);

  const extra = provided.find((p) => p.name === 'extra');
  assert.deepEqual(keysOf(extra!.keys), ['A']);
  assert.ok(extra!.names.includes('prod-app-extra-v1'));
});

test('kustomize generator keys from literals, files and envs together; default secret type Opaque; own namespace', () => {
  const provided = provideWith(kustomizeGeneratorProvider, {
    'k/kustomization.yaml': [
      'configMapGenerator:',
      '  - name: all',
      '    namespace: gen-ns',
      '    literals: [A=1]',
      '    files: [conf/app.ini, renamed=conf/other.txt]',
      '    envs: [vars.env]',
      'secretGenerator:',
      '  - name: s',
      '    literals: [token=x]',
    ].join('\n'),
    'k/vars.env': 'B=2\n# C=3\n',
  });
  const all = provided.find((p) => p.name === 'all')!;
  assert.deepEqual(keysOf(all.keys), ['A', 'B', 'app.ini', 'renamed']);
  assert.deepEqual(all.namespaces, ['gen-ns']);
  assert.equal(all.secretType, undefined);
  assert.deepEqual(all.location, { path: 'k/kustomization.yaml', docIndex: 0, nodePath: ['configMapGenerator', 0] });
  assert.equal(provided.find((p) => p.name === 's')!.secretType, 'Opaque');
});

test('cluster built-ins exist in every namespace and are exported for the docs', () => {
  const provided = provideWith(clusterBuiltinsProvider, {});
  assert.deepEqual(provided.map((p) => p.name).sort(), ['istio-ca-root-cert', 'kube-root-ca.crt', 'openshift-service-ca.crt']);
  const root = provided.find((p) => p.name === 'kube-root-ca.crt')!;
  assert.deepEqual(root.namespaces, [undefined]);
  assert.deepEqual(keysOf(root.keys), ['ca.crt']);
  assert.equal(root.location, undefined);
  assert.deepEqual(keysOf(provided.find((p) => p.name === 'istio-ca-root-cert')!.keys), ['root-cert.pem']);
  assert.deepEqual(keysOf(provided.find((p) => p.name === 'openshift-service-ca.crt')!.keys), ['service-ca.crt']);
  assert.equal(CLUSTER_BUILTINS.length, 3);
});

test('declared externalObjects: keys or unknown, namespace or any', () => {
  const config = configSchema.parse({
    externalObjects: [
      { kind: 'Secret', name: 'ci-token', namespace: 'ci', keys: ['token'] },
      { kind: 'ConfigMap', name: 'cluster-info' },
    ],
  });
  const provided = provideWith(declaredProvider, {}, config);
  assert.deepEqual(
    provided.map((p) => [p.kind, p.name, p.names, sortedNs(p.namespaces), keysOf(p.keys), p.via]),
    [
      ['Secret', 'ci-token', ['ci-token'], ['ci'], ['token'], 'declared in .github/keyref.yml'],
      ['ConfigMap', 'cluster-info', ['cluster-info'], ['(any)'], 'unknown', 'declared in .github/keyref.yml'],
    ],
  );
  assert.deepEqual(provideWith(declaredProvider, {}), []);
});

test('a ConfigMap patch in a kustomization is a provider in that build', () => {
  const repo = fakeRepo(readFixtureDir(fixturePath('kustomize', 'layered')));
  const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG);
  // The overlay's patch names `settings`; in the prod build that object is the base's prod-app-settings-v1.
  const patched = index.lookup('ConfigMap', 'prod-app-settings-v1').find((p) => p.location?.path === 'overlays/prod/patch-prod.yaml');
  assert.ok(patched);
  assert.deepEqual(keysOf(patched.keys), ['PROD_ONLY']);
  assert.equal(patched.modifies, 'merge');
  assert.deepEqual(index.lookup('ConfigMap', 'prod-settings-v1'), []);
  const all = index.lookup('ConfigMap', 'prod-app-settings-v1').map((p) => p.location?.path).sort();
  assert.deepEqual(all, ['base/kustomization.yaml', 'base/patch-cm.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/patch-prod.yaml']);
});

test('the default module list indexes everything once; all() and names() are consistent', () => {
  const repo = fakeRepo(readFixtureDir(fixturePath('kustomize', 'layered')));
  const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG);
  for (const p of index.all()) for (const n of p.names) assert.ok(index.lookup(p.kind, n).includes(p));
  assert.ok(index.names('ConfigMap').includes('kube-root-ca.crt'));
});

test('kustomize patches: keys added by an inline JSON 6902 patch, in the builds of the patching kustomization', async () => {
  const { kustomizePatchProvider } = await import('../../../src/engine/providers/kustomize-patch.js');
  const overlay = [
    'namespace: argocd',
    'nameSuffix: -x',
    'resources: [../base]',
    'patches:',
    '  - target: {kind: ConfigMap, name: argocd-cmd-params-cm}',
    '    patch: |-',
    '      - op: add',
    '        path: /data/hydrator.enabled',
    '        value: "true"',
  ].join('\n');
  const base = {
    'base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cmd-params-cm}\ndata: {a: b}\n',
  };
  const provided = provideWith(kustomizePatchProvider, { 'overlay/kustomization.yaml': overlay, ...base }).filter((p) => p.via === 'kustomize patch');
  // Only the patch module runs here: the ConfigMap it patches is not provided, so the patch makes nothing exist.
  assert.equal(provided.length, 0);
  const repo = fakeRepo({ 'overlay/kustomization.yaml': overlay, ...base });
  const patches = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG).all().filter((p) => p.via === 'kustomize patch');
  assert.equal(patches.length, 1);
  const [p] = patches;
  assert.equal(p?.kind, 'ConfigMap');
  assert.deepEqual([...p!.names].sort(), ['argocd-cmd-params-cm', 'argocd-cmd-params-cm-x']);
  assert.deepEqual(p?.namespaces, ['argocd']);
  assert.deepEqual(keysOf(p!.keys), ['hydrator.enabled']);
  assert.deepEqual(p?.location, { path: 'overlay/kustomization.yaml', docIndex: 0, nodePath: ['patches', 0, 'patch'] });
});

test('sharedKeySets: equal key sets (same keys, same order) are held once; any other set is its own', async () => {
  const { sharedKeySets } = await import('../../../src/engine/providers/provider.js');
  const shared = sharedKeySets();
  const a = shared(new Set(['user', 'password']));
  assert.equal(shared(new Set(['user', 'password'])), a);
  assert.notEqual(shared(new Set(['password', 'user'])), a, 'another order is another set: iteration order is visible');
  // Keys are untrusted: no separator can make two different lists look alike.
  const x = shared(new Set(['a\u0000', 'b']));
  const y = shared(new Set(['a', '\u0000b']));
  assert.notEqual(x, y);
  assert.deepEqual([...x], ['a\u0000', 'b']);
  assert.deepEqual([...y], ['a', '\u0000b']);
});
