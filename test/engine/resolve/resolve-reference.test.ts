import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ProvidedKind, Reference, ReferenceForm } from '../../../src/engine/model.js';
import { isRelated, namespacesMatch, resolveReference, resolveReferenceCached, typoDistance } from '../../../src/engine/resolve/resolve-reference.js';
import { indexOf, kustomizeOf, provider, type ProviderSpec } from '../references/helpers.js';

function ref(over: Omit<Partial<Reference>, 'keys'> & { keys?: string[] } = {}): Reference {
  const { keys, ...rest } = over;
  const form: ReferenceForm = rest.form ?? 'env-configmap-key';
  const targetKind: ProvidedKind = rest.targetKind ?? (form.includes('secret') ? 'Secret' : 'ConfigMap');
  return {
    form,
    targetKind,
    name: 'app-config',
    location: { path: 'd.yaml', docIndex: 0, nodePath: ['x'] },
    keys: (keys ?? []).map((key, i) => ({ key, location: { path: 'd.yaml', docIndex: 0, nodePath: ['k', i] } })),
    optional: false,
    owner: { kind: 'Deployment', name: 'api' },
    namespaces: [undefined],
    where: 'env X of container api',
    path: 'd.yaml',
    ...rest,
  };
}

const resolve = (r: Reference, providers: ProviderSpec[]) => resolveReference(r, indexOf(providers));

test('namespacesMatch: equal, or either side unset', () => {
  assert.equal(namespacesMatch('a', 'a'), true);
  assert.equal(namespacesMatch(undefined, 'a'), true);
  assert.equal(namespacesMatch('a', undefined), true);
  assert.equal(namespacesMatch(undefined, undefined), true);
  assert.equal(namespacesMatch('a', 'b'), false);
});

test('ok when a provider of the kind and name is in scope and has the keys', () => {
  const r = resolve(ref({ keys: ['a'] }), [{ name: 'app-config', keys: ['a', 'b'] }]);
  assert.equal(r.status, 'ok');
});

test('a key resolves when ANY provider in scope has it', () => {
  const r = resolve(ref({ keys: ['a', 'b'] }), [
    { name: 'app-config', keys: ['a'], path: 'one.yaml' },
    { name: 'app-config', keys: ['b'], path: 'two.yaml' },
  ]);
  assert.equal(r.status, 'ok');
  assert.equal(r.providers.length, 2);
});

test('missing keys are listed; unknown key sets and service-account-token secrets never miss', () => {
  const r = resolve(ref({ keys: ['a', 'zz', 'b'] }), [{ name: 'app-config', keys: ['a'] }]);
  assert.equal(r.status, 'missing-keys');
  assert.deepEqual(
    r.status === 'missing-keys' ? r.missing.map((m) => m.key.key) : [],
    ['zz', 'b'],
  );
  assert.equal(resolve(ref({ keys: ['zz'] }), [{ name: 'app-config', keys: ['a'] }, { name: 'app-config', keys: 'unknown' }]).status, 'ok');
  assert.equal(
    resolve(ref({ form: 'env-secret-key', name: 'sa', keys: ['token'] }), [
      { kind: 'Secret', name: 'sa', keys: [], secretType: 'kubernetes.io/service-account-token' },
    ]).status,
    'ok',
  );
});

test('aliases (kustomize prefixes) resolve through lookup', () => {
  assert.equal(resolve(ref({ name: 'dev-app-config' }), [{ name: 'app-config', names: ['app-config', 'dev-app-config'] }]).status, 'ok');
});

test('namespaces: provider unset matches every pod namespace; pod unset matches every provider', () => {
  assert.equal(resolve(ref({ namespaces: ['web'] }), [{ name: 'app-config', namespaces: [undefined] }]).status, 'ok');
  assert.equal(resolve(ref({ namespaces: [undefined] }), [{ name: 'app-config', namespaces: ['other'] }]).status, 'ok');
  assert.equal(resolve(ref({ namespaces: [] }), [{ name: 'app-config', namespaces: ['other'] }]).status, 'ok');
  assert.equal(resolve(ref({ namespaces: ['web'] }), [{ name: 'app-config', namespaces: ['web'] }]).status, 'ok');
});

test('cross-namespace when the object exists only in other namespaces', () => {
  const r = resolve(ref({ namespaces: ['web'] }), [
    { name: 'app-config', namespaces: ['backend'] },
    { name: 'app-config', namespaces: ['jobs', 'backend'] },
  ]);
  assert.equal(r.status, 'cross-namespace');
  if (r.status === 'cross-namespace') {
    assert.deepEqual(r.providerNamespaces, ['backend', 'jobs']);
    assert.deepEqual(r.podNamespaces, ['web']);
  }
});

test('keys are checked per namespace the pod runs in', () => {
  const r = resolve(ref({ namespaces: ['dev', 'prod'], keys: ['a'] }), [
    { name: 'app-config', namespaces: ['dev'], keys: ['a'] },
    { name: 'app-config', namespaces: ['prod'], keys: ['b'] },
  ]);
  assert.equal(r.status, 'missing-keys');
  if (r.status === 'missing-keys') assert.deepEqual(r.missing[0]?.namespaces, ['prod']);
});

test('partial: found for some of the pod namespaces only → unresolved with foundIn/missingIn', () => {
  const r = resolve(ref({ namespaces: ['dev', 'prod'] }), [{ name: 'app-config', namespaces: ['dev'] }]);
  assert.equal(r.status, 'unresolved');
  if (r.status === 'unresolved') {
    assert.deepEqual(r.foundIn, ['dev']);
    assert.deepEqual(r.missingIn, ['prod']);
  }
});

test('wrong-kind when no object of the right kind has the name but one of the other kind does in scope', () => {
  const r = resolve(ref({ name: 'db' }), [{ kind: 'Secret', name: 'db', path: 's.yaml' }]);
  assert.equal(r.status, 'wrong-kind');
  if (r.status === 'wrong-kind') assert.equal(r.actualKind, 'Secret');
  const reverse = resolve(ref({ form: 'volume-secret', name: 'cfg' }), [{ kind: 'ConfigMap', name: 'cfg' }]);
  assert.equal(reverse.status, 'wrong-kind');
  // the other kind only in another namespace: plain unresolved
  assert.equal(resolve(ref({ name: 'db', namespaces: ['a'] }), [{ kind: 'Secret', name: 'db', namespaces: ['b'] }]).status, 'unresolved');
  // the right kind exists elsewhere: cross-namespace wins
  assert.equal(
    resolve(ref({ name: 'db', namespaces: ['a'] }), [
      { kind: 'Secret', name: 'db', namespaces: ['a'] },
      { kind: 'ConfigMap', name: 'db', namespaces: ['b'] },
    ]).status,
    'cross-namespace',
  );
});

const NEAR_CASES: { name: string; defined: string[]; near: string[] }[] = [
  { name: 'app-confg', defined: ['app-config', 'other'], near: ['app-config'] },
  { name: 'app-config', defined: ['app-conifg'], near: ['app-conifg'] },
  { name: 'postgres-credentails', defined: ['postgres-credentials'], near: ['postgres-credentials'] },
  // a different short token names a different thing
  { name: 'cache-x', defined: ['cache-y', 'cache-z'], near: [] },
  { name: 'web-confg', defined: ['web-config', 'web-conf'], near: ['web-conf', 'web-config'] },
  { name: 'app-confg', defined: ['app-config', 'app-conf'], near: ['app-conf', 'app-config'] },
  { name: 'app-cnfg', defined: ['app-config'], near: ['app-config'] },
  // too far
  { name: 'app-cfg', defined: ['app-config'], near: [] },
  // short names: one edit is more than a third
  { name: 'db', defined: ['dc'], near: [] },
  { name: 'redis', defined: ['redis-x'], near: [] },
  // digits only: versions, not typos
  { name: 'db-v2', defined: ['db-v1'], near: [] },
  { name: 'shard-10', defined: ['shard-1'], near: [] },
];

for (const c of NEAR_CASES) {
  test(`near names of ${c.name} among [${c.defined.join(', ')}] → [${c.near.join(', ')}]`, () => {
    const r = resolve(
      ref({ name: c.name }),
      c.defined.map((name) => ({ name })),
    );
    assert.equal(r.status, 'unresolved');
    if (r.status === 'unresolved') assert.deepEqual([...r.near].sort(), c.near);
  });
}

test('near names must resolve where the reference fails and be of the same kind', () => {
  const otherNs = resolve(ref({ name: 'app-confg', namespaces: ['web'] }), [{ name: 'app-config', namespaces: ['other'] }]);
  assert.equal(otherNs.status, 'unresolved');
  if (otherNs.status === 'unresolved') assert.deepEqual(otherNs.near, []);
  const otherKind = resolve(ref({ name: 'app-confg' }), [{ kind: 'Secret', name: 'app-config' }]);
  if (otherKind.status === 'unresolved') assert.deepEqual(otherKind.near, []);
  else assert.fail(otherKind.status);
});

test('a misbehaving index does not make resolution throw', () => {
  const bad = {
    lookup: () => {
      throw new Error('x');
    },
    names: () => {
      throw new Error('y');
    },
    all: () => [],
  };
  assert.equal(resolveReference(ref(), bad).status, 'unresolved');
});

test('cached resolution returns the same result object per (reference, index)', () => {
  const index = indexOf([{ name: 'app-config' }]);
  const r = ref();
  assert.equal(resolveReferenceCached(r, index), resolveReferenceCached(r, index));
  assert.notEqual(resolveReferenceCached(r, index), resolveReferenceCached(r, indexOf([])));
});

test('typoDistance: typos yes; versions, short tokens and far names no', () => {
  assert.equal(typoDistance('app-confg', 'app-config'), 1);
  assert.equal(typoDistance('pasword', 'password'), 1);
  assert.equal(typoDistance('tls.cert', 'tls.crt'), 1);
  assert.equal(typoDistance('a.conf', 'b.conf'), undefined);
  assert.equal(typoDistance('api-v2', 'api-v3'), undefined);
  assert.equal(typoDistance('same', 'same'), undefined);
  assert.equal(typoDistance('abc', 'abd'), 1);
  assert.equal(typoDistance('ab', 'ac'), undefined);
  assert.equal(typoDistance('config', 'configuration'), undefined);
});

test('isRelated: declared, same file, explicit namespace, nested or sibling directories, shared kustomize root', () => {
  const at = (path: string, namespaces: (string | undefined)[] = [undefined]) => provider({ name: 'x', path, namespaces });
  const r = ref({ path: 'apps/web/deploy.yaml', namespaces: [undefined] });
  assert.equal(isRelated(r, provider({ name: 'x' })), true, 'declared in config / built-in');
  assert.equal(isRelated(r, at('apps/web/deploy.yaml')), true, 'same file');
  assert.equal(isRelated(r, at('apps/web/cm.yaml')), true, 'same dir');
  assert.equal(isRelated(r, at('apps/web/config/cm.yaml')), true, 'nested');
  assert.equal(isRelated(r, at('apps/cm.yaml')), true, 'ancestor');
  assert.equal(isRelated(r, at('cm.yaml')), true, 'repository root');
  assert.equal(isRelated(r, at('apps/api/cm.yaml')), true, 'sibling under a common parent');
  assert.equal(isRelated(r, at('samples/other/cm.yaml')), false, 'another tree');
  assert.equal(isRelated(ref({ path: 'a/x/d.yaml', namespaces: ['web'] }), at('b/y/cm.yaml', ['web'])), true, 'same explicit namespace');
  assert.equal(isRelated(ref({ path: 'a/x/d.yaml', namespaces: ['web'] }), at('b/y/cm.yaml', [undefined])), false);
  const kustomize = kustomizeOf({
    'base/app/d.yaml': [{ root: 'overlays/prod/kustomization.yaml' }],
    'overlays/prod/kustomization.yaml': [{ root: 'overlays/prod/kustomization.yaml' }],
  });
  assert.equal(isRelated(ref({ path: 'base/app/d.yaml' }), at('overlays/prod/kustomization.yaml'), kustomize), true, 'same build');
  assert.equal(isRelated(ref({ path: 'base/app/d.yaml' }), at('overlays/prod/kustomization.yaml')), false);
});

test('namesakes in unrelated trees do not make error-level claims', () => {
  const r = ref({ path: 'samples/a/deploy.yaml', name: 'db', form: 'env-secret-key', keys: ['password'] });
  // wrong kind only in an unrelated tree → plain unresolved
  assert.equal(resolve(r, [{ kind: 'ConfigMap', name: 'db', path: 'other/b/cm.yaml' }]).status, 'unresolved');
  // typo candidate only in an unrelated tree → no near names
  const typo = resolve({ ...r, name: 'app-confg', form: 'env-configmap-key', targetKind: 'ConfigMap' }, [{ name: 'app-config', path: 'other/b/cm.yaml' }]);
  assert.deepEqual(typo.status === 'unresolved' ? typo.near : 'x', []);
  // missing key only in an unrelated definition → not confident
  const mk = resolve(r, [{ kind: 'Secret', name: 'db', keys: ['user'], path: 'other/b/s.yaml' }]);
  assert.equal(mk.status === 'missing-keys' && mk.missing[0]?.confident, false);
  const mk2 = resolve(r, [{ kind: 'Secret', name: 'db', keys: ['user'], path: 'samples/a/s.yaml' }]);
  assert.equal(mk2.status === 'missing-keys' && mk2.missing[0]?.confident, true);
  // other namespace only in an unrelated tree → unresolved, not cross-namespace
  const ns = { ...r, namespaces: ['web'] };
  assert.equal(resolve(ns, [{ kind: 'Secret', name: 'db', namespaces: ['backend'], path: 'other/b/s.yaml' }]).status, 'unresolved');
  assert.equal(resolve(ns, [{ kind: 'Secret', name: 'db', namespaces: ['backend'], path: 'samples/a/s.yaml' }]).status, 'cross-namespace');
});

test('scales: 5000 defined names × 5000 unresolved references resolve quickly', () => {
  const providers = Array.from({ length: 5000 }, (_, i) => ({ name: `service-${i.toString(36)}-config` }));
  const index = indexOf(providers);
  const refs = Array.from({ length: 5000 }, (_, i) => ref({ name: `missing-${(i % 2500).toString(36)}-settings`, path: `apps/a${i}/d.yaml` }));
  const start = performance.now();
  for (const r of refs) resolveReference(r, index);
  const ms = performance.now() - start;
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('property: the bigram prefilter finds exactly the typo candidates a full scan finds', () => {
  const word = fc.stringMatching(/^[a-c][a-c-]{1,9}$/);
  fc.assert(
    fc.property(word, fc.uniqueArray(word, { maxLength: 40 }), (name, defined) => {
      const r = resolve(
        ref({ name }),
        defined.filter((d) => d !== name).map((d) => ({ name: d })),
      );
      const scored = defined
        .filter((d) => d !== name)
        .map((d) => ({ d, dist: typoDistance(name, d) }))
        .filter((x): x is { d: string; dist: number } => x.dist !== undefined);
      const best = Math.min(...scored.map((x) => x.dist));
      const expected = scored.filter((x) => x.dist === best).map((x) => x.d).sort();
      assert.equal(r.status, 'unresolved');
      if (r.status === 'unresolved') assert.deepEqual([...r.near].sort(), expected);
    }),
    { numRuns: 400 },
  );
});

test('cached resolution: references that resolve to the same providers share one ok answer, equal to their own', () => {
  const specs: ProviderSpec[] = [
    { name: 'app-config', keys: ['a', 'b'], namespaces: ['one'] },
    { name: 'app-config', keys: ['a'], namespaces: ['two'], path: 'two.yaml' },
    { name: 'pull', kind: 'Secret', namespaces: ['one'] },
    { name: 'pull', kind: 'Secret', namespaces: ['two'], path: 'two.yaml' },
  ];
  const index = indexOf(specs);
  const refs = [
    ref({ keys: ['a'], namespaces: [undefined] }), // every object of the name
    ref({ keys: ['a'], namespaces: [undefined], path: 'e.yaml' }),
    ref({ form: 'image-pull-secret', name: 'pull', namespaces: ['one'] }), // one object
    ref({ form: 'image-pull-secret', name: 'pull', namespaces: ['one'], path: 'e.yaml' }),
    ref({ form: 'image-pull-secret', name: 'pull', namespaces: ['two'] }),
    ref({ keys: ['b'], namespaces: ['two'] }), // a key the object lacks: its own answer
  ];
  const cached = refs.map((r) => resolveReferenceCached(r, index));
  refs.forEach((r, i) => assert.deepStrictEqual(cached[i], resolveReference(r, index)));
  assert.equal(cached[0]!.status, 'ok');
  assert.equal(cached[0], cached[1]);
  assert.equal(cached[2], cached[3]);
  assert.notEqual(cached[2], cached[4]);
  assert.equal(cached[5]!.status, 'missing-keys');
});
