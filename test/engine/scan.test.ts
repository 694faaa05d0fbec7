import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../src/engine/index.js';

test('scan of no files returns no findings', async () => {
  const result = await scan({ files: [] });
  assert.deepEqual(result.findings, []);
});

test('scan: include/exclude choose where findings are reported, never which definitions are known', async () => {
  const { DEFAULT_CONFIG: defaults } = await import('../../src/engine/config/schema.js');
  const pod = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1\n      envFrom:\n        - configMapRef:\n            name: ${name}\n`;
  const files = [
    { path: 'apps/api.yaml', text: pod('shared-config') },
    { path: 'base/config.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared-config\ndata:\n  A: b\n' },
    { path: 'base/other.yaml', text: pod('missing-config') },
  ];
  const { findings } = await scan({ files, config: { ...defaults, include: ['apps/**'] } });
  assert.deepEqual(findings, [], 'the ConfigMap in base/ resolves; the finding in base/ is not reported');
  const excluded = await scan({ files, config: { ...defaults, exclude: ['apps/**'] } });
  assert.deepEqual(excluded.findings.map((f) => f.path), ['base/other.yaml']);
});
