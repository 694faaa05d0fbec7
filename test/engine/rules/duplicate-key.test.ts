// Must-fire / must-not-fire fixtures for the duplicate-key rule: severity by who reads the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../../src/engine/scan.js';
import type { Finding } from '../../../src/engine/model.js';

const SECRET_VALUE = 'Zq8-not-to-be-printed-Kw3';

/** A Deployment whose pod spec repeats `image:` (line 12) and references a Secret no one defines (line 17). */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1.0
          imagePullPolicy: Always
          image: example/api:1.0
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef:
                  name: api-token
                  key: token
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  PASSWORD_HINT: "${SECRET_VALUE}"
  PASSWORD_HINT: "${SECRET_VALUE}"
`;

const brief = (findings: readonly Finding[]) => findings.map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.severity}`);

test('duplicate-key: a plain manifest is a warning at the repeated key, and the rest of the document is still checked', async () => {
  const { findings } = await scan({ files: [{ path: 'deploy.yaml', text: DEPLOYMENT }] });
  assert.deepEqual(brief(findings), ['deploy.yaml:12 duplicate-key warning', 'deploy.yaml:17 unresolved-reference warning']);
  const dup = findings.find((f) => f.ruleId === 'duplicate-key')!;
  assert.match(dup.message, /kubectl applies the last value/);
  assert.ok(dup.message.length <= 160);
  assert.match(dup.help ?? '', /`kustomize build` would reject/);
});

test('duplicate-key: a file a kustomization includes (or the kustomization itself) is an error: kustomize rejects it', async () => {
  const { findings } = await scan({
    files: [
      { path: 'app/deploy.yaml', text: DEPLOYMENT },
      { path: 'app/kustomization.yaml', text: 'resources:\n  - deploy.yaml\nresources:\n  - deploy.yaml\n' },
    ],
  });
  const dups = findings.filter((f) => f.ruleId === 'duplicate-key');
  assert.deepEqual(brief(dups), ['app/deploy.yaml:12 duplicate-key error', 'app/kustomization.yaml:3 duplicate-key error']);
  assert.match(dups[0]!.message, /kustomize build rejects the file/);
  // the pod's reference is still checked
  assert.ok(findings.some((f) => f.ruleId === 'unresolved-reference' && f.path === 'app/deploy.yaml' && f.line === 17));
});

test('duplicate-key: the ConfigMap is still defined (last value wins), and no message quotes the key or the value', async () => {
  const consumer = DEPLOYMENT.replace('          imagePullPolicy: Always\n          image: example/api:1.0\n', '').replace(
    'secretKeyRef:\n                  name: api-token\n                  key: token',
    'configMapKeyRef:\n                  name: settings\n                  key: PASSWORD_HINT',
  );
  const { findings } = await scan({ files: [{ path: 'cm.yaml', text: CONFIGMAP }, { path: 'deploy.yaml', text: consumer }] });
  assert.deepEqual(
    brief(findings).filter((b) => !b.includes('credential')),
    ['cm.yaml:7 duplicate-key warning'],
  );
  for (const f of findings) {
    if (f.ruleId !== 'duplicate-key') continue;
    assert.ok(!`${f.message} ${f.help}`.includes(SECRET_VALUE));
    assert.ok(!`${f.message} ${f.help}`.includes('PASSWORD_HINT'));
  }
});

test('duplicate-key: must not fire on distinct keys, on the same key in different mappings, or on a merge key', async () => {
  const files = [
    { path: 'a.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {name: x}\ndata:\n  name: b\n' },
    { path: 'b.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: b\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  <<: *m\n  namespace: x\n' },
  ];
  const { findings } = await scan({ files });
  assert.deepEqual(findings.filter((f) => f.ruleId === 'duplicate-key'), []);
});
