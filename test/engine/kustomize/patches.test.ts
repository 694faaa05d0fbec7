import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeKustomize } from '../../../src/engine/kustomize/index.js';
import { fakeRepo } from './fake-repo.js';

const keysOf = (k: ReadonlySet<string> | 'unknown') => (k === 'unknown' ? k : [...k].sort());

test('inline and JSON 6902 patches that set ConfigMap/Secret keys', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'o/kustomization.yaml': [
        'resources: [../base]',
        'patches:',
        '  - target: {kind: ConfigMap, name: argocd-cmd-params-cm}',
        '    patch: |-',
        '      - op: add',
        '        path: /data',
        '        value: {"hydrator.enabled": "true"}',
        '  - target: {kind: Secret, name: creds, namespace: ns}',
        '    patch: |-',
        '      - op: replace',
        '        path: /stringData/api~1key',
        '        value: x',
        '      - op: remove',
        '        path: /data/old',
        '  - patch: |-',
        '      apiVersion: v1',
        '      kind: ConfigMap',
        '      metadata: {name: inline-smp}',
        '      data: {A: "1"}',
        '  - path: json-patch.yaml',
        '    target: {kind: ConfigMap, name: from-file}',
        '  - path: smp-file.yaml',
        '  - target: {kind: ConfigMap, name: "app-.*"}',
        '    patch: "- {op: add, path: /data/X, value: y}"',
        '  - target: {kind: Deployment, name: web}',
        '    patch: "- {op: add, path: /data/X, value: y}"',
        '  - target: {kind: ConfigMap, name: labels-only}',
        '    patch: "- {op: add, path: /metadata/labels/a, value: b}"',
        '  - target: {kind: ConfigMap, name: whole}',
        '    patch: "- {op: add, path: /data, value: not-a-map}"',
        'patchesStrategicMerge:',
        '  - |-',
        '    apiVersion: v1',
        '    kind: Secret',
        '    metadata: {name: legacy-inline}',
        '    stringData: {token: t}',
        '  - smp-file.yaml',
        'patchesJson6902:',
        '  - target: {version: v1, kind: ConfigMap, name: legacy-json}',
        '    path: legacy.yaml',
      ].join('\n'),
      'o/smp-file.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: smp}\ndata: {B: "2"}\n',
    }),
  );
  const patches = (model.keyPatches ?? []).map((p) => [p.kind, p.name, p.namespace ?? null, keysOf(p.keys), p.location.nodePath]);
  assert.deepEqual(patches, [
    ['Secret', 'legacy-inline', null, ['token'], ['patchesStrategicMerge', 0]],
    ['ConfigMap', 'argocd-cmd-params-cm', null, ['hydrator.enabled'], ['patches', 0, 'patch']],
    ['Secret', 'creds', 'ns', ['api/key'], ['patches', 1, 'patch']],
    ['ConfigMap', 'inline-smp', null, ['A'], ['patches', 2, 'patch']],
    ['ConfigMap', 'from-file', null, 'unknown', ['patches', 3, 'path']],
    ['ConfigMap', 'whole', null, 'unknown', ['patches', 8, 'patch']],
    ['ConfigMap', 'legacy-json', null, 'unknown', ['patchesJson6902', 0, 'path']],
  ]);
  assert.equal(model.keyPatches?.[0]?.kustomization, 'o/kustomization.yaml');
});

test('broken inline patches are ignored', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'kustomization.yaml': 'patches:\n  - patch: "{{{"\n    target: {kind: ConfigMap, name: x}\n  - patch: 42\n  - "str"\npatchesStrategicMerge: ["a: [\\n"]\n',
    }),
  );
  assert.deepEqual(model.keyPatches, []);
});

test('parsedDocuments: the table of parsed files is made on the first lookup only, and answers like a map', async () => {
  const { parsedDocuments, readPatches } = await import('../../../src/engine/kustomize/patch-set.js');
  let reads = 0;
  const value = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } };
  const objects = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', path: 'base/patch.yaml', docIndex: 0, basePath: [], value }];
  const repo = {
    get objects() {
      reads++;
      return objects;
    },
    kustomizations: [],
    problems: [],
    auxFiles: new Map<string, string>(),
    documentCount: 1,
  };
  const parsed = parsedDocuments(repo);
  const interest = { text: () => true, json6902: () => true, strategic: () => true };
  const plain = { path: 'base/kustomization.yaml', value: { resources: ['patch.yaml'] } };
  assert.deepEqual(readPatches(plain, new Map(), parsed, interest), []);
  assert.equal(reads, 0, 'no patch file: the table is not made');
  const patched = { path: 'base/kustomization.yaml', value: { patches: [{ path: 'patch.yaml' }] } };
  const patches = readPatches(patched, new Map(), parsed, interest);
  assert.equal(reads, 1);
  assert.equal(patches.length, 1);
  assert.equal(patches[0]!.body.type === 'strategic' ? patches[0]!.body.value : undefined, value);
  assert.equal(parsed.has('base/patch.yaml'), true);
  assert.equal(parsed.get('elsewhere.yaml'), undefined);
  assert.equal(reads, 1, 'made once');
});
