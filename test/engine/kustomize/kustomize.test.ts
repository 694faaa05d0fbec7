import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeKustomize, generatorInputsOf, listGeneratorInputs, parseEnvFile } from '../../../src/engine/kustomize/index.js';
import { notAnalysed } from '../../../src/engine/coverage/index.js';
import type { BuildScope, SourceFile } from '../../../src/engine/model.js';
import type { ParsedFile } from '../../../src/engine/parse/index.js';
import { fakeRepo, fixturePath, readFixtureDir } from './fake-repo.js';

const layered = analyzeKustomize(fakeRepo(readFixtureDir(fixturePath('kustomize', 'layered'))));

/** Scopes in a stable order, for deepEqual. */
function sorted(scopes: readonly BuildScope[]): BuildScope[] {
  return [...scopes].sort((a, b) => ((a.root ?? '') < (b.root ?? '') ? -1 : (a.root ?? '') > (b.root ?? '') ? 1 : 0));
}

test('a base included by two overlays has one scope per overlay; the outermost namespace wins', () => {
  assert.deepEqual(sorted(layered.scopesOf('base/deployment.yaml')), [
    { namespace: 'base-ns', namePrefix: 'app-', nameSuffix: '-dev', root: 'overlays/dev/kustomization.yaml' },
    { namespace: 'prod', namePrefix: 'prod-app-', nameSuffix: '-v1', root: 'overlays/prod/kustomization.yaml' },
  ]);
});

test('prefixes stack outermost-first and suffixes innermost-first', () => {
  assert.deepEqual(sorted(layered.scopesOf('base/sub/cm.yaml')), [
    { namespace: 'base-ns', namePrefix: 'app-s-', nameSuffix: '-sub-dev', root: 'overlays/dev/kustomization.yaml' },
    { namespace: 'prod', namePrefix: 'prod-app-s-', nameSuffix: '-sub-v1', root: 'overlays/prod/kustomization.yaml' },
  ]);
});

test('components and patch files belong to the build of the kustomization that names them', () => {
  assert.deepEqual(sorted(layered.scopesOf('components/extra/extra-cm.yaml')), sorted(layered.scopesOf('base/deployment.yaml')));
  assert.deepEqual(sorted(layered.scopesOf('base/patch-cm.yaml')), sorted(layered.scopesOf('base/deployment.yaml')));
  assert.deepEqual(layered.scopesOf('overlays/prod/patch-prod.yaml'), [
    { namespace: 'prod', namePrefix: 'prod-', nameSuffix: '-v1', root: 'overlays/prod/kustomization.yaml' },
  ]);
});

test('a file no kustomization includes has the single empty scope', () => {
  assert.deepEqual(layered.scopesOf('somewhere/else.yaml'), [{ namePrefix: '', nameSuffix: '' }]);
  assert.deepEqual(layered.scopesOfKustomization('not/a/kustomization.yaml'), [{ namePrefix: '', nameSuffix: '' }]);
});

test('a kustomization builds its generators in its own scope chain', () => {
  assert.deepEqual(sorted(layered.scopesOfKustomization('base/kustomization.yaml')), sorted(layered.scopesOf('base/deployment.yaml')));
  assert.deepEqual(layered.scopesOfKustomization('overlays/prod/kustomization.yaml'), [
    { namespace: 'prod', namePrefix: 'prod-', nameSuffix: '-v1', root: 'overlays/prod/kustomization.yaml' },
  ]);
  assert.deepEqual(layered.scopesOfKustomization('overlays/dev/kustomization.yaml'), [
    { namePrefix: '', nameSuffix: '-dev', root: 'overlays/dev/kustomization.yaml' },
  ]);
});

test('generators: literals, files, envs (present and absent), legacy env, behavior, type', () => {
  const settings = layered.generators.find((g) => g.name === 'settings' && g.behavior === 'create');
  assert.ok(settings);
  assert.equal(settings.kind, 'ConfigMap');
  assert.equal(settings.kustomization, 'base/kustomization.yaml');
  assert.deepEqual(settings.location, { path: 'base/kustomization.yaml', docIndex: 0, nodePath: ['configMapGenerator', 0] });
  assert.deepEqual(
    settings.literals.map((l) => [l.key, l.value, l.location.nodePath]),
    [
      ['LOG_LEVEL', 'debug', ['configMapGenerator', 0, 'literals', 0]],
      ['EMPTY', '', ['configMapGenerator', 0, 'literals', 1]],
      ['URL', 'http://example.com/?a=b', ['configMapGenerator', 0, 'literals', 2]],
    ],
  );
  assert.deepEqual(
    settings.files.map((f) => [f.key, f.source, f.location.nodePath]),
    [
      ['app.properties', 'base/config/app.properties', ['configMapGenerator', 0, 'files', 0]],
      ['custom', 'base/config/other.txt', ['configMapGenerator', 0, 'files', 1]],
    ],
  );
  assert.equal(settings.envs.length, 2);
  const [params, missing] = settings.envs;
  assert.equal(params?.source, 'base/params.env');
  assert.deepEqual(params?.location.nodePath, ['configMapGenerator', 0, 'envs', 0]);
  assert.deepEqual(params?.entries, [
    { key: 'export MODE', value: 'fast', line: 3 }, // as `kubectl kustomize`: kustomize does not strip `export`
    { key: 'DB_HOST', value: 'db.example.com', line: 4 },
    { key: 'ONLY_KEY', value: '', line: 5 },
    { key: 'WITH_EQUALS', value: 'a=b', line: 6 },
  ]);
  assert.equal(missing?.source, 'base/missing.env');
  assert.equal(missing?.entries, 'unknown');

  const creds = layered.generators.find((g) => g.name === 'creds');
  assert.equal(creds?.kind, 'Secret');
  assert.equal(creds?.type, 'kubernetes.io/basic-auth');
  assert.deepEqual(creds?.envs[0]?.location.nodePath, ['secretGenerator', 0, 'env']);
  assert.deepEqual(
    creds?.envs[0]?.entries !== 'unknown' && creds?.envs[0]?.entries.map((e) => e.key),
    ['username', 'password'],
  );

  const merge = layered.generators.find((g) => g.name === 'settings' && g.behavior === 'merge');
  assert.equal(merge?.kustomization, 'overlays/prod/kustomization.yaml');
  assert.deepEqual(layered.generators.find((g) => g.name === 'extra')?.kustomization, 'components/extra/kustomization.yaml');
});

test('remote resources and missing paths are ignored', () => {
  // Nothing to assert beyond "no crash and unchanged scopes": the overlay still has exactly its own scope.
  assert.equal(layered.scopesOf('does-not-exist').length, 1);
  assert.deepEqual(layered.scopesOf('does-not-exist'), [
    { namespace: 'prod', namePrefix: 'prod-', nameSuffix: '-v1', root: 'overlays/prod/kustomization.yaml' },
  ]);
  assert.deepEqual(layered.scopesOf('https://github.com/example/repo//deploy?ref=v1.0.0'), [{ namePrefix: '', nameSuffix: '' }]);
});

test('cycles terminate, and every file in the cycle still gets a scope', () => {
  const model = analyzeKustomize(fakeRepo(readFixtureDir(fixturePath('kustomize', 'cycle'))));
  const a = model.scopesOf('a/a.yaml').map((s) => `${s.namePrefix}|${s.root}`);
  const b = model.scopesOf('b/b.yaml').map((s) => `${s.namePrefix}|${s.root}`);
  assert.deepEqual(a, ['a-|a/kustomization.yaml']);
  assert.deepEqual(b, ['a-b-|a/kustomization.yaml']);
});

test('a self-including kustomization and a diamond do not loop or duplicate scopes', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'self/kustomization.yaml': 'resources: [".", "x.yaml"]\n',
      'top/kustomization.yaml': 'resources: [../left, ../right]\nnamespace: top\n',
      'left/kustomization.yaml': 'resources: [../shared]\n',
      'right/kustomization.yaml': 'resources: [../shared]\n',
      'shared/kustomization.yaml': 'resources: [cm.yaml]\n',
    }),
  );
  assert.deepEqual(model.scopesOf('self/x.yaml'), [{ namePrefix: '', nameSuffix: '', root: 'self/kustomization.yaml' }]);
  assert.deepEqual(model.scopesOf('shared/cm.yaml'), [{ namespace: 'top', namePrefix: '', nameSuffix: '', root: 'top/kustomization.yaml' }]);
});

test('legacy bases, kustomization.yml and Kustomization file names, and patches[].path', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'overlay/Kustomization': 'bases: [../base]\nnamePrefix: o-\npatches:\n  - path: p.yaml\n    target: {kind: ConfigMap}\n',
      'base/kustomization.yml': 'resources: [cm.yaml]\nnamespace: ns\n',
    }),
  );
  assert.deepEqual(model.scopesOf('base/cm.yaml'), [{ namespace: 'ns', namePrefix: 'o-', nameSuffix: '', root: 'overlay/Kustomization' }]);
  assert.deepEqual(model.scopesOf('overlay/p.yaml'), [{ namePrefix: 'o-', nameSuffix: '', root: 'overlay/Kustomization' }]);
});

test('a kustomization at the repository root resolves paths without a leading ./', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'kustomization.yaml': 'resources: [./app, ./cm.yaml]\nnamePrefix: r-\nconfigMapGenerator:\n  - name: g\n    envs: [./vars.env]\n',
      'app/kustomization.yaml': 'resources: [../cm2.yaml]\n',
      'vars.env': 'A=1\n',
    }),
  );
  assert.equal(model.scopesOf('cm.yaml')[0]?.namePrefix, 'r-');
  assert.equal(model.scopesOf('cm2.yaml')[0]?.namePrefix, 'r-');
  assert.equal(model.generators[0]?.envs[0]?.source, 'vars.env');
  assert.deepEqual(model.generators[0]?.envs[0]?.entries, [{ key: 'A', value: '1', line: 1 }]);
});

test('generator namespace, quoted literals and malformed entries', () => {
  const model = analyzeKustomize(
    fakeRepo({
      'k/kustomization.yaml': [
        'configMapGenerator:',
        '  - name: cm',
        '    namespace: own',
        '    literals: ["Q=\\"quoted\\"", "=novalue", "nokey", 42]',
        '    files: [42, "=x", "k=", "a/../b/file.txt"]',
        '    envs: 7',
        '  - literals: [A=1]',
        '  - name: 42',
        '  - "string"',
        'secretGenerator: {name: notalist}',
      ].join('\n'),
    }),
  );
  assert.equal(model.generators.length, 1);
  const [cm] = model.generators;
  assert.equal(cm?.namespace, 'own');
  assert.deepEqual(cm?.literals.map((l) => [l.key, l.value]), [['Q', 'quoted']]);
  assert.deepEqual(cm?.files.map((f) => [f.key, f.source]), [['file.txt', 'k/b/file.txt']]);
  assert.deepEqual(cm?.envs, []);
});

test('parseEnvFile: CRLF, BOM, comments, indentation', () => {
  assert.deepEqual(parseEnvFile('\uFEFFA=1\r\n  # c\r\n\r\n  B = 2\r\n'), [
    { key: 'A', value: '1', line: 1 },
    { key: 'B ', value: ' 2', line: 4 }, // as `kubectl kustomize`: the key is kept up to the `=`
  ]);
});

test('listGeneratorInputs returns resolved files/envs/env sources of kustomization files only', () => {
  const inputs = listGeneratorInputs([
    {
      path: 'app/kustomization.yaml',
      text: [
        'configMapGenerator:',
        '  - name: a',
        '    files: [conf/app.ini, key=../shared/x.txt, https://example.com/remote.txt]',
        '    envs: [./a.env]',
        'secretGenerator:',
        '  - name: s',
        '    env: s.env',
        '    files: [../../outside.txt]',
      ].join('\n'),
    },
    { path: 'other.yaml', text: 'configMapGenerator:\n  - name: nope\n    files: [no.txt]\n' },
    { path: 'broken/kustomization.yaml', text: 'configMapGenerator: [\n' },
    { path: 'Kustomization', text: 'secretGenerator:\n  - name: r\n    envs: [root.env]\n' },
  ]);
  assert.deepEqual(inputs.sort(), ['app/a.env', 'app/conf/app.ini', 'app/s.env', 'root.env', 'shared/x.txt']);
});

test('listGeneratorInputs: a generator key written with an escape is still read; files without generators are not parsed', () => {
  const inputs = listGeneratorInputs([
    { path: 'a/kustomization.yaml', text: '"configMapGener\\u0061tor":\n  - name: a\n    envs: [a.env]\n' },
    { path: 'b/kustomization.yaml', text: 'resources: [deploy.yaml]\nnamespace: b\n' },
    { path: 'c/kustomization.yaml', text: 42 as unknown as string },
  ]);
  assert.deepEqual(inputs, ['a/a.env']);
});

test('listGeneratorInputs reads a kustomization as the scan does: its first document, a repeated key by its last value', () => {
  const inputs = listGeneratorInputs([
    { path: 'two/kustomization.yaml', text: 'configMapGenerator:\n- name: a\n  envs: [first.env]\n---\nconfigMapGenerator:\n- name: b\n  envs: [second.env]\n' },
    { path: 'dup/kustomization.yaml', text: 'configMapGenerator:\n- name: a\n  envs: [old.env]\nconfigMapGenerator:\n- name: a\n  envs: [new.env]\n' },
  ]);
  assert.deepEqual(inputs, ['two/first.env', 'dup/new.env']);
  assert.deepEqual(generatorInputsOf([{ path: 'k/kustomization.yaml', value: { secretGenerator: [{ name: 's', files: ['x.pem', 'key=x.pem'], envs: ['s.env'] }] } }]), ['k/x.pem', 'k/s.env']);
});

test('listGeneratorInputs takes parse results at hand and records those it makes (the engine worker parses ahead)', () => {
  const ahead = { path: 'a/kustomization.yaml', text: 'resources: []\n' };
  const fresh = { path: 'b/kustomization.yaml', text: 'secretGenerator:\n- name: s\n  envs: [s.env]\n' };
  const plain = { path: 'c/kustomization.yaml', text: 'resources: [x.yaml]\n' };
  // The result at hand wins over the text (which names no input): it is used, not parsed again.
  const parsed = new Map<SourceFile, ParsedFile>([[ahead, { objects: [], kustomizations: [{ path: ahead.path, value: { configMapGenerator: [{ name: 'c', envs: ['c.env'] }] } }], problems: [], documents: 1 }]]);
  const told: string[] = [];
  assert.deepEqual(listGeneratorInputs([ahead, fresh, plain], parsed, (p) => told.push(p)), ['a/c.env', 'b/s.env']);
  assert.deepEqual(told, ['b/kustomization.yaml'], 'only what could name an input is parsed here');
  assert.deepEqual([...parsed.keys()], [ahead, fresh]);
});

test('buildNamespaces: the build overrides metadata.namespace; namespacesInScopes keeps the own one too', async () => {
  const { buildNamespaces, namespacesInScopes } = await import('../../../src/engine/kustomize/index.js');
  const scopes = [
    { namespace: 'prod', namePrefix: '', nameSuffix: '' },
    { namePrefix: '', nameSuffix: '' },
  ];
  assert.deepEqual(buildNamespaces('own', scopes), ['prod', 'own']);
  assert.deepEqual(buildNamespaces(undefined, scopes), ['prod', undefined]);
  assert.deepEqual(buildNamespaces('own', [{ namespace: 'prod', namePrefix: '', nameSuffix: '' }]), ['prod']);
  assert.deepEqual(namespacesInScopes('own', [{ namespace: 'prod', namePrefix: '', nameSuffix: '' }]), ['prod', 'own']);
  assert.deepEqual(namespacesInScopes(undefined, [{ namespace: 'prod', namePrefix: '', nameSuffix: '' }]), ['prod']);
  assert.deepEqual(namespacesInScopes(undefined, []), [undefined]);
});

test('what the model does not build is listed as not analysed, with its kustomization', () => {
  const repo = fakeRepo({
    'app/kustomization.yaml': [
      'resources: [https://github.com/example/repo//deploy?ref=v1, local.yaml]',
      'generators: [ksops.yaml]',
      'helmCharts: [{name: redis}]',
      'patches:',
      '  - target: {kind: Deployment, labelSelector: app=api}',
      '    path: p.yaml',
      '  - target: {kind: Deployment, name: "api-.*"}',
      '    path: p.yaml',
      '  - target: {kind: Deployment, name: api}',
      '    path: p.yaml',
      'configMapGenerator:',
      '  - name: settings',
      '    envs: [absent.env]',
    ].join('\n'),
    'plain/kustomization.yaml': 'resources: [a.yaml]\n',
  });
  const skipped = notAnalysed(repo, analyzeKustomize(repo), [], ['app/kustomization.yaml', 'plain/kustomization.yaml']);
  assert.deepEqual(
    skipped.map((u) => `${u.path} ${u.kind} ${JSON.stringify(u.nodePath)}`),
    [
      'app/kustomization.yaml remote-base ["resources",0]',
      'app/kustomization.yaml kustomize-plugin ["generators",0]',
      'app/kustomization.yaml selector-patch ["patches",0,"target"]',
      'app/kustomization.yaml selector-patch ["patches",1,"target"]',
      'app/kustomization.yaml helm-chart ["helmCharts",0]',
      'app/kustomization.yaml generator-input ["configMapGenerator",0,"envs",0]',
    ],
  );
  assert.match(skipped[2]!.reason, /label or annotation selector/);
  assert.match(skipped[3]!.reason, /name pattern/);
});
