import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import { analyzeKustomize } from '../../../src/engine/kustomize/index.js';
import type { ManifestObject, ParsedRepository } from '../../../src/engine/model.js';
import { buildProviderIndex, providerModules } from '../../../src/engine/providers/index.js';

const KINDS = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['bitnami.com/v1alpha1', 'SealedSecret'],
  ['external-secrets.io/v1', 'ExternalSecret'],
  ['external-secrets.io/v1beta1', 'ClusterExternalSecret'],
  ['cert-manager.io/v1', 'Certificate'],
  ['kafka.strimzi.io/v1beta2', 'KafkaUser'],
  ['kafka.strimzi.io/v1beta2', 'Kafka'],
  ['postgresql.cnpg.io/v1', 'Cluster'],
  ['acid.zalan.do/v1', 'postgresql'],
  ['app.redislabs.com/v1alpha1', 'RedisEnterpriseDatabase'],
  ['elasticsearch.k8s.elastic.co/v1', 'Elasticsearch'],
  ['example.org/v1', 'Claim'],
] as const;

const any = fc.jsonValue({ maxDepth: 3 });
/** An object of a known kind whose fields (spec, data, metadata…) hold values of any type. */
const object = fc
  .record({
    kindIndex: fc.nat({ max: KINDS.length - 1 }),
    metadata: fc.oneof(any, fc.record({ name: fc.oneof(fc.string(), any), namespace: any }, { requiredKeys: [] })),
    spec: fc.oneof(
      any,
      fc.record(
        {
          secretName: any,
          target: fc.oneof(any, fc.record({ name: any, template: any }, { requiredKeys: [] })),
          data: any,
          dataFrom: any,
          encryptedData: any,
          template: any,
          keystores: any,
          additionalOutputFormats: any,
          authentication: fc.oneof(any, fc.record({ type: any })),
          users: any,
          writeConnectionSecretToRef: fc.oneof(any, fc.record({ name: any, namespace: any }, { requiredKeys: [] })),
          namespaces: any,
          externalSecretSpec: any,
          auth: any,
          databaseSecretName: any,
        },
        { requiredKeys: [] },
      ),
    ),
    data: any,
    stringData: any,
    binaryData: any,
    type: any,
    sops: any,
  }, { requiredKeys: ['kindIndex'] })
  .map(({ kindIndex, ...value }, ): ManifestObject => {
    const [apiVersion, kind] = KINDS[kindIndex]!;
    const full = { apiVersion, kind, ...value } as Record<string, unknown>;
    const md = value.metadata as { name?: unknown } | undefined;
    return { apiVersion, kind, name: typeof md?.name === 'string' ? md.name : '', path: 'm.yaml', docIndex: 0, basePath: [], value: full };
  });

test('buildProviderIndex never throws on objects whose fields have arbitrary types', () => {
  fc.assert(
    fc.property(fc.array(object, { maxLength: 8 }), (objects) => {
      const repo: ParsedRepository = { objects, kustomizations: [], problems: [], auxFiles: new Map(), documentCount: objects.length };
      const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG, providerModules);
      for (const p of index.all()) {
        assert.equal(typeof p.name, 'string');
        assert.ok(p.names.includes(p.name));
        assert.ok(p.namespaces.length >= 1);
        assert.ok(p.keys === 'unknown' || p.keys instanceof Set);
        for (const n of p.names) assert.ok(index.lookup(p.kind, n).includes(p));
      }
    }),
    { numRuns: 500 },
  );
});

const dirs = ['', 'a/', 'a/b/', 'c/'];
const entry = fc.oneof(fc.constantFrom('.', '..', '../a', 'b', 'm.yaml', '../m.yaml', 'https://x/y?ref=1', '../../../up'), any);
/** Kustomizations of arbitrary shape in a few directories, around objects in those directories. */
const kustomization = fc.record({
  dir: fc.constantFrom(...dirs),
  value: fc.record(
    {
      resources: fc.oneof(any, fc.array(entry, { maxLength: 4 })),
      components: fc.oneof(any, fc.array(entry, { maxLength: 2 })),
      namespace: fc.oneof(fc.constantFrom('ns1', 'ns2'), any),
      namePrefix: fc.oneof(fc.constantFrom('p-', ''), any),
      nameSuffix: fc.oneof(fc.constantFrom('-s', ''), any),
      configMapGenerator: fc.oneof(any, fc.array(fc.record({ name: fc.oneof(fc.constantFrom('g'), any), literals: any, envs: any, behavior: any }, { requiredKeys: [] }), { maxLength: 2 })),
      patches: fc.oneof(any, fc.array(fc.record({ target: any, patch: fc.oneof(fc.string(), any), path: entry }, { requiredKeys: [] }), { maxLength: 2 })),
    },
    { requiredKeys: [] },
  ),
});

test('kustomizations and objects together: every provider is findable under each of its names', () => {
  fc.assert(
    fc.property(fc.array(kustomization, { maxLength: 5 }), fc.array(fc.tuple(fc.constantFrom(...dirs), object), { maxLength: 6 }), (ks, objs) => {
      const objects = objs.map(([dir, o]) => ({ ...o, path: `${dir}m.yaml` }));
      const kustomizations = ks.map(({ dir, value }) => ({ path: `${dir}kustomization.yaml`, value: value as Record<string, unknown> }));
      const repo: ParsedRepository = { objects, kustomizations, problems: [], auxFiles: new Map(), documentCount: 0 };
      const index = buildProviderIndex(repo, analyzeKustomize(repo), DEFAULT_CONFIG);
      for (const p of index.all()) for (const n of p.names) assert.ok(index.lookup(p.kind, n).includes(p));
      for (const kind of ['ConfigMap', 'Secret'] as const) assert.equal(new Set(index.names(kind)).size, index.names(kind).length);
    }),
    { numRuns: 300 },
  );
});
