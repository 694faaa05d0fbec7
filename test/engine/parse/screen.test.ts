import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { plainKind, screen, SCREEN_MIN_BYTES } from '../../../src/engine/parse/screen.js';

/** Makes a document large enough for the pre-screen to consider skipping it (padding is irrelevant annotations). */
function big(head: string, tail = ''): string {
  const pad = Array.from({ length: 80 }, (_, i) => `    note-${i}: "lorem ipsum dolor sit amet"`).join('\n');
  const text = `${head}\n  annotations:\n${pad}\n${tail}`;
  assert.ok(text.length > SCREEN_MIN_BYTES);
  return text;
}

const meta = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x`;

describe('pre-screen', () => {
  const mustKeep: [string, string][] = [
    ['Deployment', big(meta('apps/v1', 'Deployment'), 'spec:\n  template:\n    spec:\n      containers: []\n')],
    ['custom kind with a pod template', big(meta('example.com/v1', 'Widget'), 'spec:\n  podTemplate:\n    containers:\n    - name: a\n')],
    ['ConfigMap', big(meta('v1', 'ConfigMap'))],
    ['Secret', big(meta('v1', 'Secret'))],
    ['ConfigMapList', big(meta('v1', 'ConfigMapList'))],
    ['List', big(meta('v1', 'List'))],
    ['SealedSecret', big(meta('bitnami.com/v1alpha1', 'SealedSecret'))],
    ['ExternalSecret', big(meta('external-secrets.io/v1', 'ExternalSecret'))],
    ['ClusterExternalSecret', big(meta('external-secrets.io/v1', 'ClusterExternalSecret'))],
    ['Certificate', big(meta('cert-manager.io/v1', 'Certificate'))],
    ['KafkaUser', big(meta('kafka.strimzi.io/v1beta2', 'KafkaUser'))],
    ['Kafka', big(meta('kafka.strimzi.io/v1beta2', 'Kafka'))],
    ['CNPG Cluster', big(meta('postgresql.cnpg.io/v1', 'Cluster'))],
    ['Namespace', big(meta('v1', 'Namespace'))],
    ['ServiceAccount', big(meta('v1', 'ServiceAccount'))],
    ['anything with encryptedData', big(meta('example.com/v1', 'Vault'), 'spec:\n  encryptedData: {}\n')],
    ['anything with secretName', big(meta('networking.k8s.io/v1', 'Ingress'), 'spec:\n  tls:\n  - secretName: tls\n')],
    ['anything with data', big(meta('example.com/v1', 'Thing'), 'data:\n  a: b\n')],
    ['Crossplane connection secret', big(meta('rds.aws.crossplane.io/v1alpha1', 'DBInstance'), 'spec:\n  writeConnectionSecretToRef: {name: db}\n')],
    ['env in a custom resource', big(meta('example.com/v1', 'Runner'), 'spec:\n  env:\n  - name: A\n')],
    ['kind with an anchor', big(`apiVersion: v1\nkind: &k Service\nmetadata:\n  name: x`)],
    ['flow-style document', `{apiVersion: v1, kind: Service, metadata: {name: x, annotations: {a: "${'x'.repeat(3000)}"}}}`],
    ['indented document', big('  apiVersion: v1\n  kind: Service\n  metadata:\n    name: x')],
    ['two kind lines', big(`${meta('v1', 'Service')}\nkind: Service`)],
    ['small Service', meta('v1', 'Service')],
  ];
  for (const [name, text] of mustKeep) {
    test(`keeps: ${name}`, () => {
      assert.notEqual(screen(text), 'skip');
    });
  }

  const mustSkip: [string, string][] = [
    ['CustomResourceDefinition (its schema says containers/secret)', big(meta('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), 'spec:\n  versions:\n  - schema: {containers: {}, secretName: {}}\n')],
    ['small CRD', meta('apiextensions.k8s.io/v1', 'CustomResourceDefinition')],
    ['big Service', big(meta('v1', 'Service'), 'spec:\n  ports:\n  - port: 80\n')],
    ['big Service, kind quoted', big(`apiVersion: v1\nkind: "Service"\nmetadata:\n  name: x`)],
    ['big PrometheusRule', big(meta('monitoring.coreos.com/v1', 'PrometheusRule'), 'spec:\n  groups:\n  - name: g\n    rules:\n    - alert: Down\n      expr: up == 0\n')],
  ];
  for (const [name, text] of mustSkip) {
    test(`skips: ${name}`, () => {
      assert.equal(screen(text), 'skip');
    });
  }

  test('inert kinds are parsed for their syntax but not kept', () => {
    const role = `${meta('rbac.authorization.k8s.io/v1', 'Role')}\nrules:\n  - resources: [secrets]\n    verbs: [get]\n`;
    const annotated = `${meta('v1', 'Service')}\n  annotations:\n    service.beta.openshift.io/serving-cert-secret-name: tls\n`;
    const repo = parseRepository([
      { path: 'role.yaml', text: role },
      { path: 'svc.yaml', text: `${meta('v1', 'Service')}\nspec:\n  ports: [{port: 80}]\n---\n${annotated}` },
      { path: 'broken.yaml', text: `${meta('v1', 'Service')}\nspec:\n  ports:\n  - port: 80\n   targetPort: 8080\n` },
    ]);
    // Services are kept, annotated or not: a kustomize patch can add the serving-cert annotation.
    assert.deepEqual(repo.objects.map((o) => `${o.path}#${o.docIndex}`), ['svc.yaml#0', 'svc.yaml#1']);
    assert.deepEqual(repo.problems.map((p) => [p.path, p.kind]), [['broken.yaml', 'parse-error']]);
    assert.equal(screen(role), 'inert');
    assert.equal(screen(`${meta('v1', 'Role')}\nspec:\n  containers: []\n`), 'keep');
  });

  test('plainKind', () => {
    assert.equal(plainKind('apiVersion: v1\nkind: Secret # c\n'), 'Secret');
    assert.equal(plainKind("kind: 'Secret'\r\n"), 'Secret');
    assert.equal(plainKind('spec:\n  kind: Secret\n'), undefined);
    assert.equal(plainKind('kind: Secret\nkind: Other\n'), undefined);
  });

  test('property: plainKind finds exactly the lines a multiline `^kind:` regex finds', () => {
    // The reference implementation: one whole `kind: Word` line at a line start (after \n, \r, U+2028 or U+2029).
    const reference = (doc: string): string | undefined => {
      const all = [...doc.matchAll(/^kind:[ \t]*(["']?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*(?:#.*)?\r?$/gm)];
      return all.length === 1 ? all[0]![2] : undefined;
    };
    const piece = fc.constantFrom('kind:', 'kind: Secret', "kind: 'Pod'", 'kind: "Job" # c', '  kind: X', 'kind:Y', 'kind: {{ .k }}', 'xkind: Z', '\n', '\r\n', '\r', '\u2028', ' ', '#', 'a', 'kind: A\r');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const doc = parts.join('');
        assert.equal(plainKind(doc), reference(doc), JSON.stringify(doc));
      }),
      { numRuns: 2000 },
    );
  });

  test('screened documents keep their docIndex for the documents after them', () => {
    const crd = big(meta('apiextensions.k8s.io/v1', 'CustomResourceDefinition'));
    const text = `${crd}---\n${meta('v1', 'Secret')}\n`;
    const repo = parseRepository([{ path: 'a.yaml', text }]);
    assert.deepEqual(
      repo.objects.map((o) => [o.kind, o.docIndex]),
      [['Secret', 1]],
    );
  });

  test('property: every object with a pod spec or a provider kind survives the screen', () => {
    const kinds = ['Deployment', 'Service', 'ConfigMap', 'Secret', 'Widget', 'PrometheusRule', 'SealedSecret', 'Role'];
    const bodies = ['spec:\n  containers: []', 'data:\n  a: b', 'stringData:\n  a: b', 'spec:\n  ports: []', 'spec:\n  secretName: s', 'rules: []', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers: []'];
    fc.assert(
      fc.property(fc.array(fc.record({ kind: fc.constantFrom(...kinds), body: fc.constantFrom(...bodies), padded: fc.boolean() }), { minLength: 1, maxLength: 6 }), (docs) => {
        const text = docs.map((d, i) => (d.padded ? big(`${meta('v1', d.kind)}-${i}`, `${d.body}\n`) : `${meta('v1', d.kind)}-${i}\n${d.body}\n`)).join('---\n');
        const all = parseRepository([{ path: 'a.yaml', text }], { noScreen: true }).objects;
        const kept = new Set(parseRepository([{ path: 'a.yaml', text }]).objects.map((o) => `${o.name}#${o.docIndex}`));
        for (const o of all) {
          // Role, PrometheusRule and Service (without the OpenShift serving-cert annotation) are inert kinds: no stage reads them.
          const inert = ['Role', 'PrometheusRule', 'Service'].includes(o.kind);
          const json = JSON.stringify(o.value);
          const relevant = /ontainers"/i.test(json) || (!inert && (/ConfigMap|Secret/.test(o.kind) || /"data"|"stringData"|secret/i.test(json)));
          if (relevant) assert.ok(kept.has(`${o.name}#${o.docIndex}`), `${o.kind} ${o.name} dropped`);
        }
        assert.equal(all.length, docs.length);
      }),
      { numRuns: 200 },
    );
  });
});
