import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/engine/model.js';
import { rule } from '../../../src/engine/rules/cross-build-reference.js';
import { scan } from '../../../src/engine/scan.js';

const deployment = (secret: string, optional = false) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api}',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: example/api:1.0',
    '          envFrom:',
    `            - secretRef: {name: ${secret}${optional ? ', optional: true' : ''}}`,
    '',
  ].join('\n');
const build = (ns: string, resources: string[], secret?: string) =>
  [`namespace: ${ns}`, `resources: [${resources.join(', ')}]`, ...(secret ? ['secretGenerator:', `  - name: ${secret}`, '    literals: [k=v]'] : []), ''].join('\n');

async function run(files: Record<string, string>): Promise<Finding[]> {
  return (await scan({ files: Object.entries(files).map(([path, text]) => ({ path, text })), rules: [rule] })).findings;
}

test('must fire: the Secret exists only in another build of the same namespace', async () => {
  const found = await run({ 'a/kustomization.yaml': build('shop', ['d.yaml']), 'a/d.yaml': deployment('db'), 'b/kustomization.yaml': build('shop', [], 'db') });
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'warning');
  assert.equal(found[0]!.line, 11);
  assert.match(found[0]!.message, /is defined only by another kustomize build, not by the build this pod is part of\./);
  assert.match(found[0]!.help ?? "", /defined by build "b" \(.*\), not by "a"\./);
});

test('must fire as a notice: an optional reference', async () => {
  const found = await run({ 'a/kustomization.yaml': build('shop', ['d.yaml']), 'a/d.yaml': deployment('db', true), 'b/kustomization.yaml': build('shop', [], 'db') });
  assert.deepEqual(found.map((f) => f.severity), ['notice']);
});

test('must not fire: defined by its own build, outside kustomize, or in another namespace only', async () => {
  assert.deepEqual(await run({ 'a/kustomization.yaml': build('shop', ['d.yaml'], 'db'), 'a/d.yaml': deployment('db'), 'b/kustomization.yaml': build('shop', [], 'db') }), []);
  const plain = 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ntype: Opaque\n';
  assert.deepEqual(await run({ 'a/kustomization.yaml': build('shop', ['d.yaml']), 'a/d.yaml': deployment('db'), 'plain/db.yaml': plain }), []);
  assert.deepEqual(await run({ 'a/kustomization.yaml': build('shop', ['d.yaml']), 'a/d.yaml': deployment('db'), 'b/kustomization.yaml': build('other', [], 'db') }), []);
});
