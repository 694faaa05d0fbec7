import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import { analyzeKustomize } from '../../../src/engine/kustomize/index.js';
import type { KustomizationDoc, ManifestObject, ParsedRepository } from '../../../src/engine/model.js';
import { buildProviderIndex } from '../../../src/engine/providers/index.js';

/** 10,000 objects in 500 bases, each included by two overlays with prefixes/namespaces, plus generators and patches. */
function bigRepo(): ParsedRepository {
  const objects: ManifestObject[] = [];
  const kustomizations: KustomizationDoc[] = [];
  const auxFiles = new Map<string, string>();
  const kinds = [
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['apps/v1', 'Deployment'],
    ['cert-manager.io/v1', 'Certificate'],
    ['external-secrets.io/v1', 'ExternalSecret'],
  ] as const;
  for (let b = 0; b < 500; b++) {
    const resources: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [apiVersion, kind] = kinds[i % kinds.length]!;
      const path = `apps/app${b}/base/o${i}.yaml`;
      resources.push(`o${i}.yaml`);
      const name = `obj-${b}-${i}`;
      objects.push({
        apiVersion,
        kind,
        name,
        path,
        docIndex: 0,
        basePath: [],
        value: {
          apiVersion,
          kind,
          metadata: { name },
          data: { a: 'x', b: 'y' },
          spec: { secretName: `${name}-tls`, data: [{ secretKey: 'k' }] },
        },
      });
    }
    auxFiles.set(`apps/app${b}/base/vars.env`, 'A=1\nB=2\n');
    kustomizations.push({
      path: `apps/app${b}/base/kustomization.yaml`,
      value: {
        resources,
        namePrefix: `app${b}-`,
        configMapGenerator: [{ name: 'gen', literals: ['X=1'], envs: ['vars.env'] }],
        patches: [{ target: { kind: 'ConfigMap', name: `obj-${b}-0` }, patch: '- {op: add, path: /data/c, value: z}' }],
      },
    });
    for (const env of ['staging', 'prod']) {
      kustomizations.push({
        path: `apps/app${b}/overlays/${env}/kustomization.yaml`,
        value: { resources: ['../../base'], namespace: `${env}-${b}`, nameSuffix: `-${env}` },
      });
    }
  }
  kustomizations.push({ path: 'clusters/all/kustomization.yaml', value: { resources: Array.from({ length: 500 }, (_, b) => `../../apps/app${b}/overlays/prod`) } });
  return { objects, kustomizations, problems: [], auxFiles, documentCount: objects.length };
}

/** Milliseconds for a fixed amount of plain Map work: the yardstick that makes the budget hold on a loaded CI machine too. */
function yardstick(): number {
  const start = performance.now();
  const m = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) m.set(`k${i}`, i);
  return performance.now() - start;
}

test('10,000 objects: kustomize analysis and provider index stay well inside the scan budget', () => {
  const repo = bigRepo();
  let best = Infinity;
  let unit = Infinity;
  for (let run = 0; run < 3; run++) {
    unit = Math.min(unit, yardstick());
    const start = performance.now();
    const kustomize = analyzeKustomize(repo);
    const index = buildProviderIndex(repo, kustomize, DEFAULT_CONFIG);
    for (const o of repo.objects) index.lookup('ConfigMap', o.name);
    best = Math.min(best, performance.now() - start);
    if (run === 0) {
      assert.ok(index.all().length > 6000, `providers: ${index.all().length}`);
      assert.equal(index.lookup('ConfigMap', 'app7-obj-7-0-prod').length, 2); // the ConfigMap and its patch
    }
  }
  // The whole scan must take < 2 s for 10,000 manifests; these two stages get a small share of it
  // (about 150 ms on an idle laptop, where the yardstick takes ~10 ms).
  const budget = Math.max(500, 40 * unit);
  assert.ok(best < budget, `took ${best.toFixed(0)} ms, budget ${budget.toFixed(0)} ms (yardstick ${unit.toFixed(1)} ms)`);
});
