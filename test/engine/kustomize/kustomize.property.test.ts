import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { analyzeKustomize, listGeneratorInputs } from '../../../src/engine/kustomize/index.js';
import type { KustomizationDoc, ParsedRepository } from '../../../src/engine/model.js';

const pathSegment = fc.constantFrom('a', 'b', '..', '.', 'base', 'overlay', 'x.env', 'c.yaml', '', 'https://h/x?ref=1');
const pathLike = fc.array(pathSegment, { maxLength: 4 }).map((s) => s.join('/'));
/** Anything YAML can hold, biased towards path-like strings so the graph has edges. */
const anyValue = fc.oneof(pathLike, fc.jsonValue({ maxDepth: 3 }), fc.array(pathLike, { maxLength: 4 }));
const target = fc.record({ kind: fc.oneof(fc.constantFrom('ConfigMap', 'Secret'), anyValue), name: anyValue, namespace: anyValue }, { requiredKeys: [] });
/** Inline patch text: JSON 6902 lists and strategic-merge maps of any shape, or any string. */
const patchText = fc.oneof(
  fc.string(),
  fc.array(fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'copy', 'move', 7), path: fc.oneof(fc.constantFrom('/data', '/data/a', '/stringData/b~1c', '/metadata'), anyValue), value: anyValue }, { requiredKeys: [] })).map((v) => dump(v)),
  fc.record({ kind: fc.constantFrom('ConfigMap', 'Secret'), metadata: fc.oneof(anyValue, fc.record({ name: anyValue })), data: anyValue, stringData: anyValue }, { requiredKeys: [] }).map((v) => dump(v)),
);
const generatorEntry = fc.oneof(
  anyValue,
  fc.record(
    { name: anyValue, behavior: anyValue, literals: anyValue, files: anyValue, envs: anyValue, env: anyValue, namespace: anyValue, type: anyValue },
    { requiredKeys: [] },
  ),
);
const kustomizationValue = fc.record(
  {
    resources: anyValue,
    bases: anyValue,
    components: anyValue,
    patchesStrategicMerge: anyValue,
    patches: fc.oneof(anyValue, fc.array(fc.record({ path: anyValue, patch: fc.oneof(anyValue, patchText), target: fc.oneof(anyValue, target) }, { requiredKeys: [] }))),
    patchesJson6902: fc.oneof(anyValue, fc.array(fc.record({ path: anyValue, patch: fc.oneof(anyValue, patchText), target: fc.oneof(anyValue, target) }, { requiredKeys: [] }))),
    namespace: anyValue,
    namePrefix: anyValue,
    nameSuffix: anyValue,
    configMapGenerator: fc.oneof(anyValue, fc.array(generatorEntry, { maxLength: 3 })),
    secretGenerator: fc.oneof(anyValue, fc.array(generatorEntry, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);
const kustomizationPath = fc
  .tuple(fc.constantFrom('', 'a/', 'b/', 'base/', 'overlay/', 'a/b/'), fc.constantFrom('kustomization.yaml', 'kustomization.yml', 'Kustomization'))
  .map(([d, f]) => d + f);

test('analyzeKustomize never throws and always returns at least one scope', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(kustomizationPath, kustomizationValue), { maxLength: 6 }),
      fc.array(fc.tuple(pathLike, fc.string()), { maxLength: 3 }),
      (docs, aux) => {
        const repo: ParsedRepository = {
          objects: [],
          kustomizations: docs.map(([path, value]): KustomizationDoc => ({ path, value: value as Record<string, unknown> })),
          problems: [],
          auxFiles: new Map(aux),
          documentCount: docs.length,
        };
        const model = analyzeKustomize(repo);
        for (const [path] of docs) {
          assert.ok(model.scopesOfKustomization(path).length >= 1);
          assert.ok(model.scopesOf(path).length >= 1);
        }
        for (const g of model.generators) assert.equal(typeof g.name, 'string');
      },
    ),
    { numRuns: 300 },
  );
});

test('analyzeKustomize tolerates kustomization values that are not maps', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(kustomizationPath, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), (docs) => {
      const repo = {
        objects: [],
        kustomizations: docs.map(([path, value]) => ({ path, value })),
        problems: [],
        auxFiles: new Map(),
        documentCount: 0,
      } as unknown as ParsedRepository;
      analyzeKustomize(repo).scopesOf('a/x.yaml');
    }),
  );
});

test('listGeneratorInputs never throws, on valid YAML of any shape and on arbitrary text', () => {
  fc.assert(
    fc.property(kustomizationPath, fc.oneof(kustomizationValue.map((v) => dump(v)), fc.string()), (path, text) => {
      const inputs = listGeneratorInputs([{ path, text }]);
      for (const p of inputs) assert.ok(!p.startsWith('../') && !p.startsWith('/'));
    }),
    { numRuns: 300 },
  );
});
