/** The Kubernetes manifests agree with the runtime: probes, ports, shutdown timings, secrets, selectors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
/** Parsed YAML, navigated freely in assertions. */
type Any = any;
const load = (file: string): Any[] => parseAllDocuments(readFileSync(join(deploy, file), 'utf8')).map((d) => d.toJS());
const one = (file: string, kind: string): Any => {
  const found = load(file).find((o) => o?.kind === kind);
  assert.ok(found, `${kind} in ${file}`);
  return found;
};

test('kustomizations list files that exist', () => {
  for (const dir of ['', 'redis/', 'monitoring/']) {
    const k = parse(readFileSync(join(deploy, dir, 'kustomization.yaml'), 'utf8'));
    for (const r of k.resources as string[]) assert.ok(existsSync(join(deploy, dir, r)), `${dir}${r}`);
  }
});

test('the Deployment probes the runtime endpoints, is locked down, and outlives its own drain', () => {
  const deployment = one('deployment.yaml', 'Deployment');
  const config = one('configmap.yaml', 'ConfigMap');
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  assert.equal(container.ports[0].containerPort, 3000, 'the image listens on PORT=3000');
  assert.equal(container.readinessProbe.httpGet.path, '/readyz');
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  assert.equal(container.readinessProbe.httpGet.port, container.ports[0].name);
  assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  assert.equal(container.envFrom[0].configMapRef.name, config.metadata.name);
  const drainMs = Number(config.data.KEYREF_SHUTDOWN_DELAY_MS) + Number(config.data.KEYREF_SHUTDOWN_TIMEOUT_MS);
  assert.ok(pod.terminationGracePeriodSeconds * 1000 > drainMs, 'Kubernetes waits longer than the app drains');
  for (const secretish of ['PRIVATE_KEY', 'WEBHOOK_SECRET', 'PRIVATE_KEY_PATH']) assert.ok(!(secretish in config.data), `${secretish} not in the ConfigMap`);
});

test('credentials come from the out-of-band Secret with secretKeyRef, with the keys declared for keyref', () => {
  const [container] = one('deployment.yaml', 'Deployment').spec.template.spec.containers;
  const refs = (container.env as Any[]).filter((e) => e.valueFrom?.secretKeyRef).map((e) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
  assert.deepEqual(refs, [
    ['PRIVATE_KEY', 'keyref-github', 'private-key.pem'],
    ['WEBHOOK_SECRET', 'keyref-github', 'webhook-secret'],
  ]);
  const declared = parse(readFileSync(join(deploy, '.github/keyref.yml'), 'utf8')).externalObjects[0];
  assert.deepEqual(declared, { kind: 'Secret', name: 'keyref-github', keys: ['private-key.pem', 'webhook-secret'] });
  assert.ok(!load('deployment.yaml').some((o) => o.kind === 'Secret'), 'no Secret object is shipped');
});

test('Service and PodDisruptionBudget select the app pods (not Redis)', () => {
  const labels = one('deployment.yaml', 'Deployment').spec.template.metadata.labels;
  const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
  assert.ok(matches(one('service.yaml', 'Service').spec.selector));
  assert.ok(matches(one('pdb.yaml', 'PodDisruptionBudget').spec.selector.matchLabels));
  const redisLabels = one('redis/redis.yaml', 'Deployment').spec.template.metadata.labels;
  assert.notEqual(redisLabels['app.kubernetes.io/component'], labels['app.kubernetes.io/component']);
});

test('metrics: the Service is ServiceMonitor-ready and the optional ServiceMonitor selects it on the named port', () => {
  const service = one('service.yaml', 'Service');
  const monitor = one('monitoring/servicemonitor.yaml', 'ServiceMonitor');
  const kustomization = parse(readFileSync(join(deploy, 'kustomization.yaml'), 'utf8'));
  // kustomize adds the common labels to the Service too.
  const serviceLabels = { ...service.metadata.labels, ...kustomization.labels[0].pairs };
  for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(serviceLabels[k], v, `Service label ${k}`);
  assert.ok((service.spec.ports as Any[]).some((p) => p.name === monitor.spec.endpoints[0].port));
  assert.equal(monitor.spec.endpoints[0].path, '/metrics');
  assert.equal(service.metadata.annotations['prometheus.io/path'], '/metrics');
});

test('a private CA can be mounted without editing the Deployment (optional ConfigMap keyref-ca)', () => {
  const pod = one('deployment.yaml', 'Deployment').spec.template.spec;
  const volume = (pod.volumes as Any[]).find((v) => v.configMap?.name === 'keyref-ca');
  assert.ok(volume, 'a keyref-ca volume');
  assert.equal(volume.configMap.optional, true, 'absent CA: the pod still starts');
  const mount = (pod.containers[0].volumeMounts as Any[]).find((m) => m.name === volume.name);
  assert.equal(mount.readOnly, true);
  const configText = readFileSync(join(deploy, 'configmap.yaml'), 'utf8');
  assert.ok(configText.includes(`NODE_EXTRA_CA_CERTS: ${mount.mountPath}/ca.pem`), 'the ConfigMap names the mounted file');
});
