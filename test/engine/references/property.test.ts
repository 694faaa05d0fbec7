import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ManifestObject, ParsedRepository } from '../../../src/engine/model.js';
import { extractReferences } from '../../../src/engine/references/index.js';
import { resolveReference } from '../../../src/engine/resolve/resolve-reference.js';
import { rule as unresolved } from '../../../src/engine/rules/unresolved-reference.js';
import { rule as missingKey } from '../../../src/engine/rules/missing-key.js';
import { rule as wrongKind } from '../../../src/engine/rules/wrong-kind.js';
import { rule as crossNamespace } from '../../../src/engine/rules/cross-namespace-reference.js';
import { DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import { indexOf, kustomizeOf } from './helpers.js';

const KINDS = ['Pod', 'PodTemplate', 'CronJob', 'Deployment', 'StatefulSet', 'Job', 'Rollout', 'Service', 'Thing'];
const FIELDS = ['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'imagePullSecrets', 'env', 'envFrom', 'valueFrom', 'configMapKeyRef',
  'secretKeyRef', 'configMapRef', 'secretRef', 'configMap', 'secret', 'secretName', 'projected', 'sources', 'items', 'key', 'name', 'optional', 'template', 'spec', 'jobTemplate'];

/** Values shaped a bit like pod specs: records keyed by pod-spec field names, arrays, and anything at the leaves. */
const podish = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.anything(),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('node'), { maxKeys: 5 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.string(),
  ),
})).node;

function repoWith(kind: string, value: unknown): ParsedRepository {
  const obj = { apiVersion: 'v1', kind, name: 'x', path: 'a.yaml', docIndex: 0, basePath: [], value } as unknown as ManifestObject;
  return { objects: [obj], kustomizations: [], problems: [], auxFiles: new Map(), documentCount: 1 };
}

test('extractReferences never throws on arbitrary shapes inside spec', () => {
  fc.assert(
    fc.property(fc.constantFrom(...KINDS), fc.anything(), fc.anything(), (kind, spec, template) => {
      const value = { kind, metadata: { name: 'x' }, spec, template };
      const refs = extractReferences(repoWith(kind, value), kustomizeOf());
      for (const r of refs) {
        assert.equal(typeof r.name, 'string');
        assert.ok(r.name.length > 0);
      }
    }),
    { numRuns: 500 },
  );
});

test('extractReferences and the reference rules never throw on pod-spec-like garbage', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...KINDS), podish, podish, async (kind, podSpec, metadata) => {
      const value = { kind, metadata, spec: { template: { spec: podSpec }, jobTemplate: { spec: { template: { spec: podSpec } } }, ...(typeof podSpec === 'object' ? podSpec : {}) }, template: { spec: podSpec } };
      const repo = repoWith(kind, value);
      const kustomize = kustomizeOf();
      const references = extractReferences(repo, kustomize);
      const providers = indexOf([
        { name: 'name', keys: ['key'] },
        { kind: 'Secret', name: 'name', namespaces: ['other'] },
        { kind: 'Secret', name: 'secrets', keys: 'unknown' },
      ]);
      for (const r of references) resolveReference(r, providers);
      for (const rule of [unresolved, missingKey, wrongKind, crossNamespace]) {
        const reports = [...(await rule.check({ repo, kustomize, providers, references, config: DEFAULT_CONFIG }))];
        for (const report of reports) assert.equal(typeof report.message, 'string');
      }
    }),
    { numRuns: 500 },
  );
});

test('extractReferences tolerates a malformed repository and objects', () => {
  const junk = [null, 1, 'x', [], { value: null }, { value: [] }, { kind: 'Pod', value: { spec: { containers: null } } }];
  const repo = { objects: junk, kustomizations: [], problems: [], auxFiles: new Map(), documentCount: 0 } as unknown as ParsedRepository;
  assert.deepEqual(extractReferences(repo, kustomizeOf()), []);
  assert.deepEqual(extractReferences({} as ParsedRepository, kustomizeOf()), []);
});

test('a hostile getter does not escape', () => {
  const spec = {
    get containers(): unknown {
      throw new Error('boom');
    },
  };
  assert.deepEqual(extractReferences(repoWith('Pod', { spec }), kustomizeOf()), []);
});

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

test('every extracted location points at the name (and every key location at the key) in the document', async () => {
  const name = fc.constantFrom('app-config', 'db', 'x.y', 'regcred');
  const keyed = fc.record({ name, key: fc.constantFrom('a', 'b.conf'), optional: fc.boolean() }, { requiredKeys: ['name'] });
  const items = fc.array(fc.record({ key: fc.constantFrom('k1', 'k2'), path: fc.constant('p') }), { maxLength: 2 });
  const container = fc.record(
    {
      name: fc.constantFrom('api', 'sidecar'),
      env: fc.array(fc.record({ name: fc.constantFrom('A', 'B'), valueFrom: fc.oneof(fc.record({ configMapKeyRef: keyed }), fc.record({ secretKeyRef: keyed })) }), { maxLength: 3 }),
      envFrom: fc.array(fc.oneof(fc.record({ configMapRef: fc.record({ name }) }), fc.record({ secretRef: fc.record({ name }) })), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
  const volume = fc.oneof(
    fc.record({ name: fc.constant('v'), configMap: fc.record({ name, items }) }),
    fc.record({ name: fc.constant('s'), secret: fc.record({ secretName: name, items }) }),
    fc.record({ name: fc.constant('p'), projected: fc.record({ sources: fc.array(fc.oneof(fc.record({ configMap: fc.record({ name, items }) }), fc.record({ secret: fc.record({ name, items }) })), { maxLength: 2 }) }) }),
  );
  const podSpec = fc.record(
    {
      containers: fc.array(container, { maxLength: 2 }),
      initContainers: fc.array(container, { maxLength: 1 }),
      volumes: fc.array(volume, { maxLength: 3 }),
      imagePullSecrets: fc.array(fc.record({ name }), { maxLength: 2 }),
    },
    { requiredKeys: ['containers'] },
  );
  fc.assert(
    fc.property(podSpec, fc.boolean(), (spec, inList) => {
      const doc = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { template: { spec } } };
      const value = inList ? { apiVersion: 'v1', kind: 'List', items: [{ kind: 'ConfigMap' }, doc] } : doc;
      const obj = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w', path: 'a.yaml', docIndex: 0, basePath: inList ? ['items', 1] : [], value: doc } as unknown as ManifestObject;
      const repo = { objects: [obj], kustomizations: [], problems: [], auxFiles: new Map(), documentCount: 1 } as ParsedRepository;
      for (const r of extractReferences(repo, kustomizeOf())) {
        assert.equal(at(value, r.location.nodePath ?? []), r.name);
        for (const k of r.keys) assert.equal(at(value, k.location.nodePath ?? []), k.key);
      }
    }),
    { numRuns: 300 },
  );
});
