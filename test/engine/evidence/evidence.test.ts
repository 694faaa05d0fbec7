import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findCreatedObjects, isEvidencePath, isObjectName } from '../../../src/engine/evidence/index.js';
import { isEvidenceCandidate, isManifestCandidate } from '../../../src/engine/candidates.js';
import { scan } from '../../../src/engine/scan.js';
import type { Finding } from '../../../src/engine/model.js';

const created = (text: string, literal = true) => findCreatedObjects(text, { literalManifests: literal }).map((c) => `${c.kind}/${c.name}${c.namespace ? `@${c.namespace}` : ''}:${c.line}:${c.how}`);

test('evidence: kubectl create secret|configmap in docs and scripts, with types, flags, namespaces and continuation lines', () => {
  const readme = [
    '# Setup', // 1
    '```sh', // 2
    'kubectl create secret generic hf-secret \\', // 3
    '  --from-literal=hf_api_token=${HF_TOKEN} \\', // 4
    '  --dry-run=client -o yaml | kubectl apply -f -', // 5
    '$ kubectl -n bank create secret tls web-tls --cert=a.crt --key a.key', // 6
    'kubectl create configmap app-config --from-file=app.properties --namespace=web', // 7
    'oc create secret docker-registry pull-creds --docker-server=x', // 8
    'kubectl create cm short-cm --from-literal=a=b -n ops', // 9
    '```', // 10
    'oc secrets new app-config-files /config -o json > secret.json', // 11
    'docker run -v ${CFG}:/config openshift/origin cli secrets new openshift-config /config -o json', // 12
  ].join('\n');
  assert.deepEqual(created(readme), [
    'Secret/hf-secret:3:command',
    'Secret/web-tls@bank:6:command',
    'ConfigMap/app-config@web:7:command',
    'Secret/pull-creds:8:command',
    'ConfigMap/short-cm@ops:9:command',
    'Secret/app-config-files:11:command',
    'Secret/openshift-config:12:command',
  ]);
});

test('evidence: not every mention of a name is a creation', () => {
  const text = [
    'kubectl get secret apikeys -n weaviate', // reads it: not a creation
    'kubectl create secret generic $SECRET_NAME --from-literal=a=b', // a variable: unknown name
    'kubectl create secret generic "${NAME}"',
    'kubectl create secret mystery-type x', // not a secret type
    'kubectl delete secret old',
    'echo "create secret generic nope"', // not kubectl
    'kubectl create deployment web --image=nginx',
    'oc secrets link builder pull-secret', // links, does not create
    'cli secrets new', // no name
  ].join('\n');
  assert.deepEqual(created(text), []);
});

test('evidence: literal manifests in Markdown, not in YAML files (those are parsed)', () => {
  const md = ['```yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  labels:', '    a: b', '  name: game-demo', 'data: {}', '```'].join('\n');
  assert.deepEqual(created(md), ['ConfigMap/game-demo:3:manifest']);
  assert.deepEqual(created(md, false), []);
  // a name far below `kind:` belongs to something else
  const far = ['kind: Secret', ...Array.from({ length: 20 }, () => 'x: 1'), '  name: other'].join('\n');
  assert.deepEqual(created(far), []);
});

test('evidence: candidates — docs and scripts are evidence up to a size; manifests stay manifests', () => {
  for (const p of ['README.md', 'extras/cloudsql/README.md', 'deploy.sh', 'Makefile', 'docs/setup.rst', 'hack/x.bash']) {
    assert.equal(isEvidencePath(p), true, p);
    assert.equal(isEvidenceCandidate(p, 1000), true, p);
  }
  assert.equal(isEvidenceCandidate('README.md', 10 * 1024 * 1024), false);
  assert.equal(isEvidenceCandidate('node_modules/x/README.md', 10), false);
  for (const p of ['app.yaml', 'main.go', 'image.png']) assert.equal(isEvidenceCandidate(p, 10), false, p);
  assert.equal(isManifestCandidate('README.md'), false);
});

test('evidence: object names are DNS-1123 subdomains', () => {
  for (const n of ['a', 'hf-secret', 'a.b-c', '0x']) assert.equal(isObjectName(n), true, n);
  for (const n of ['', '-a', 'a-', 'A', 'a_b', '$X', 'a'.repeat(254)]) assert.equal(isObjectName(n), false, n);
});

test('evidence: hostile text — never throws, stays linear (a long run of continuations and repeated commands)', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('kubectl', 'create', 'secret', 'generic', 'configmap', '-n', 'x', '\\', '\n', ' ', '|', 'kind: Secret\n', '  name: a\n', '#', '# kind: ConfigMap\n', '$(kubectl'), { maxLength: 200 }), (parts) => {
      const text = parts.join(' ');
      assert.ok(Array.isArray(findCreatedObjects(text, { literalManifests: true })));
      assert.ok(Array.isArray(findCreatedObjects(text, { literalManifests: false, commentManifests: true })));
    }),
  );
  const big = 'kubectl create secret generic a '.repeat(20000) + '\\\n'.repeat(20000);
  const out = findCreatedObjects(big, { literalManifests: true });
  assert.ok(out.length > 0);
  const comments = `${'#'.repeat(200000)}\n${'# kind: Secret\n'.repeat(20000)}`;
  assert.deepEqual(findCreatedObjects(comments, { literalManifests: false, commentManifests: true }), []);
});

test('evidence: line ends — CRLF reads as LF, and whitespace after a continuation backslash is dropped as trimEnd drops it', () => {
  const part = fc.constantFrom('kubectl', 'create', 'secret', 'generic', 'configmap', 'db', '-n', 'ns', '\\', '\\ \t', '\\\u00a0', '\n', ' ', '# kind: Secret\n', '#   name: a\n', 'kind: ConfigMap\n', '  name: b\n');
  fc.assert(
    fc.property(fc.array(part, { maxLength: 60 }), (parts) => {
      const text = parts.join(' ');
      for (const options of [{ literalManifests: true }, { literalManifests: false, commentManifests: true }]) {
        assert.deepEqual(findCreatedObjects(text.replaceAll('\n', '\r\n'), options), findCreatedObjects(text, options));
      }
    }),
    { numRuns: 300 },
  );
  const continued = 'kubectl create secret generic \\ \t\n  db-creds --from-literal=a=b\n';
  assert.deepEqual(
    findCreatedObjects(continued, { literalManifests: true }).map((c) => `${c.kind}/${c.name}:${c.line}`),
    ['Secret/db-creds:1'],
  );
  assert.deepEqual(findCreatedObjects(continued.replaceAll('\n', '\r\n'), { literalManifests: true }).map((c) => `${c.kind}/${c.name}:${c.line}`), ['Secret/db-creds:1']);
});

const deployment = (secret: string, extra = '', namespace?: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web${namespace ? `\n  namespace: ${namespace}` : ''}
spec:
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: example/web:1
          envFrom:
            - secretRef:
                name: ${secret}${extra}
`;

const unresolved = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === 'unresolved-reference').map((f) => `${f.path}:${f.line} ${f.severity} ${f.message}`);

test('evidence: a README that creates the Secret turns the warning into a notice that cites it', async () => {
  const readme = 'Create the secret first:\n\n```\nkubectl create secret generic cloud-sql-admin --from-file=creds.json\n```\n';
  const { findings } = await scan({ files: [{ path: 'apps/web/deploy.yaml', text: deployment('cloud-sql-admin') }, { path: 'extras/cloudsql/README.md', text: readme }] });
  assert.deepEqual(unresolved(findings), ['apps/web/deploy.yaml:14 notice Secret "cloud-sql-admin" is not defined in this repository; created by hand per extras/cloudsql/README.md:4.']);
  assert.deepEqual(findings[0]?.related, ['extras/cloudsql/README.md']);
});

test('evidence: the nearest README wins; a namespace that does not fit is no evidence', async () => {
  const files = [
    { path: 'a/b/deploy.yaml', text: deployment('db', '', 'web') },
    { path: 'z/README.md', text: 'kubectl create secret generic db\n' },
    { path: 'a/README.md', text: '\nkubectl create secret generic db -n web\n' },
  ];
  assert.match(unresolved((await scan({ files })).findings)[0]!, /notice .*per a\/README\.md:2\.$/);
  const other = [files[0]!, { path: 'a/README.md', text: 'kubectl create secret generic db -n other\n' }];
  assert.match(unresolved((await scan({ files: other })).findings)[0]!, /warning Secret "db" is not defined in this repository\.$/);
});

test('evidence: a comment in the same file, a script, a workflow step', async () => {
  const withComment = `# kubectl create secret generic api-keys --from-literal=k=v\n${deployment('api-keys')}`;
  assert.match(unresolved((await scan({ files: [{ path: 'd.yaml', text: withComment }] })).findings)[0]!, /notice .*per d\.yaml:1\.$/);
  const script = { path: 'hack/setup.sh', text: '#!/bin/sh\nset -e\nkubectl create secret generic api-keys \\\n  --from-literal=k="$K"\n' };
  assert.match(unresolved((await scan({ files: [{ path: 'd.yaml', text: deployment('api-keys') }, script] })).findings)[0]!, /per hack\/setup\.sh:3\.$/);
  const workflow = { path: '.github/workflows/deploy.yml', text: 'on: push\njobs:\n  d:\n    steps:\n      - run: kubectl create secret generic api-keys --from-literal=k=${{ secrets.K }}\n' };
  assert.match(unresolved((await scan({ files: [{ path: 'd.yaml', text: deployment('api-keys') }, workflow] })).findings)[0]!, /per \.github\/workflows\/deploy\.yml:5\.$/);
});

const REDIS_RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: redis
rules:
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [app-redis]
    verbs: [get]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: redis
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: redis}
subjects:
  - kind: ServiceAccount
    name: redis
`;

test('evidence: RBAC that lets a workload create the named Secret → no finding (argo-cd argocd-redis)', async () => {
  const { findings } = await scan({ files: [{ path: 'server.yaml', text: deployment('app-redis') }, { path: 'rbac.yaml', text: REDIS_RBAC }] });
  assert.deepEqual(unresolved(findings), []);
});

test('evidence: RBAC must fire only with create AND the name, and a binding to a ServiceAccount', async () => {
  const noCreate = REDIS_RBAC.replace('verbs: [create]', 'verbs: [list]');
  const otherName = REDIS_RBAC.replace('[app-redis]', '[other]');
  const unbound = REDIS_RBAC.replace('kind: ServiceAccount', 'kind: User');
  for (const rbac of [noCreate, otherName, unbound]) {
    const { findings } = await scan({ files: [{ path: 'server.yaml', text: deployment('app-redis') }, { path: 'rbac.yaml', text: rbac }] });
    assert.equal(unresolved(findings).length, 1, rbac);
    assert.match(unresolved(findings)[0]!, / warning /);
  }
});

test('evidence: platform-managed namespaces and docs/testdata folders → notice; a typo there stays loud', async () => {
  const managed = await scan({ files: [{ path: 'hubble.yaml', text: deployment('hubble-certs', '', 'gke-managed-dpv2-observability') }] });
  assert.match(unresolved(managed.findings)[0]!, /notice .*namespace gke-managed-dpv2-observability is managed by the platform\.$/);
  const docs = await scan({ files: [{ path: 'docs/snippets/d.yaml', text: deployment('cloak-key') }] });
  // the innermost such folder is cited
  assert.match(unresolved(docs.findings)[0]!, /notice .*in a snippets\/ folder \(an illustration, not a deployment\)\.$/);
  const plain = await scan({ files: [{ path: 'Pod/broken-Secret/d.yaml', text: deployment('secret-doesnotexist') }] });
  assert.match(unresolved(plain.findings)[0]!, / warning /);
  const typo = await scan({
    files: [
      { path: 'docs/d.yaml', text: deployment('app-setings') },
      { path: 'docs/s.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-settings\nstringData:\n  a: b\n' },
    ],
  });
  assert.match(unresolved(typo.findings)[0]!, / error .*did you mean "app-settings"/);
});

const RATELIMIT_NOTE = [
  '# Note: a configmap is needed to make the rate limit deployment work properly, for example:', // 1
  '#', // 2
  '#  apiVersion: v1', // 3
  '#  kind: ConfigMap', // 4
  '#  metadata:', // 5
  '#    name: cloak-key', // 6
  '#  data:', // 7
  '#    config.yaml: |', // 8
  '#      domain: echo-ratelimit', // 9
  '##########', // 10
].join('\n');

test('evidence: a commented-out manifest in YAML comments is read; only whole-line comments, a live line ends it', () => {
  const yaml = (text: string) => findCreatedObjects(text, { literalManifests: false, commentManifests: true }).map((c) => `${c.kind}/${c.name}:${c.line}:${c.how}`);
  assert.deepEqual(yaml(RATELIMIT_NOTE), ['ConfigMap/cloak-key:4:comment']);
  assert.deepEqual(yaml('### kind: Secret\n### metadata:\n###   name: db\n'), ['Secret/db:1:comment']);
  // live objects are the parser's: never read as evidence
  assert.deepEqual(yaml('apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n'), []);
  // a commented `kind:` followed by a live `name:` is not one object
  assert.deepEqual(yaml('# kind: Secret\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n'), []);
  assert.deepEqual(yaml('# kind: Secret\n\n# metadata:\n#   name: db\n'), []);
  // a trailing comment is not a commented-out manifest
  assert.deepEqual(yaml('kind: Service # kind: Secret\nmetadata:\n  name: db # name: db\n'), []);
  // other kinds are not ConfigMaps or Secrets
  assert.deepEqual(yaml('# kind: Deployment\n# metadata:\n#   name: db\n'), []);
});

test('evidence: a commented-out manifest of the object in the same file → notice citing its line; in another file → no evidence', async () => {
  const same = await scan({ files: [{ path: 'samples/ratelimit/svc.yaml', text: `${RATELIMIT_NOTE}\n${deployment('cloak-key').replace('secretRef', 'configMapRef')}` }] });
  assert.deepEqual(unresolved(same.findings), [
    'samples/ratelimit/svc.yaml:24 notice ConfigMap "cloak-key" is not defined in this repository; a comment on line 4 shows it.',
  ]);
  assert.equal(same.findings[0]?.related, undefined);
  const other = await scan({
    files: [
      { path: 'samples/ratelimit/svc.yaml', text: deployment('cloak-key').replace('secretRef', 'configMapRef') },
      { path: 'samples/ratelimit/note.yaml', text: RATELIMIT_NOTE },
    ],
  });
  assert.match(unresolved(other.findings)[0]!, / warning ConfigMap "cloak-key" is not defined in this repository\.$/);
  // another name, or another kind, in the comment is no evidence
  const otherName = await scan({ files: [{ path: 'svc.yaml', text: `${RATELIMIT_NOTE.replace('name: cloak-key', 'name: other')}\n${deployment('cloak-key').replace('secretRef', 'configMapRef')}` }] });
  assert.match(unresolved(otherName.findings)[0]!, / warning /);
  const otherKind = await scan({ files: [{ path: 'svc.yaml', text: `${RATELIMIT_NOTE}\n${deployment('cloak-key')}` }] });
  assert.match(unresolved(otherKind.findings)[0]!, / warning Secret "cloak-key"/);
});

test('evidence: examples/ and archived folders → notice citing the folder (kubernetes/website, kubernetes/examples _archived)', async () => {
  const at = async (path: string) => unresolved((await scan({ files: [{ path, text: deployment('cloak-key') }] })).findings)[0]!;
  assert.equal(
    await at('content/en/examples/pods/d.yaml'),
    'content/en/examples/pods/d.yaml:14 notice Secret "cloak-key" is not defined in this repository; the manifest is in an examples/ folder (an illustration, not a deployment).',
  );
  assert.equal(
    await at('_archived/https-nginx/d.yaml'),
    '_archived/https-nginx/d.yaml:14 notice Secret "cloak-key" is not defined in this repository; the manifest is in an _archived/ folder (retired, not deployed).',
  );
  assert.match(await at('apps/Archived/d.yaml'), /notice .*in an Archived\/ folder \(retired, not deployed\)\.$/);
  // the innermost folder says the most: test data inside an examples tree is test data
  assert.match(await at('functions/examples/app/testdata/expected.yaml'), /notice .*in a testdata\/ folder/);
  // an image pull Secret keeps its wording
  const pull = deployment('x').replace(/          envFrom:\n.*\n.*\n/, '').replace('      containers:', '      imagePullSecrets:\n        - name: regcred\n      containers:');
  assert.match(unresolved((await scan({ files: [{ path: 'examples/pull.yaml', text: pull }] })).findings)[0]!, /notice Image pull Secret "regcred" is not defined in this repository; the manifest is in an examples\/ folder/);
});

test('evidence: samples/, example/ (a main install, kubeflow), archive/ (a component) and names that only contain "example" or "archive" stay loud', async () => {
  for (const path of ['samples/mtls-echo/mtls-echo.yaml', 'example/d.yaml', 'archive/v1/d.yaml', 'Pod/broken-Secret/d.yaml', 'apps/examples-api/d.yaml', 'apps/archiver/d.yaml', 'deploy/d.examples.yaml', 'examples.yaml']) {
    const found = unresolved((await scan({ files: [{ path, text: deployment('cloak-key') }] })).findings);
    assert.equal(found.length, 1, path);
    assert.match(found[0]!, / warning Secret "cloak-key" is not defined in this repository\.$/, path);
  }
});

test('evidence: a near miss of a name defined nearby stays an error in examples/ and _archived/', async () => {
  for (const dir of ['examples', '_archived']) {
    const typo = await scan({
      files: [
        { path: `${dir}/app/d.yaml`, text: deployment('app-setings') },
        { path: `${dir}/app/s.yaml`, text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-settings\nstringData:\n  a: b\n' },
      ],
    });
    assert.match(unresolved(typo.findings)[0]!, / error .*did you mean "app-settings"/, dir);
  }
});

test('evidence: a near name in an unrelated part of the repository stays a hint in the help of the notice', async () => {
  const files = [
    { path: 'examples/pods/d.yaml', text: deployment('mysecret2') },
    { path: 'other/tree/s.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecret\nstringData:\n  a: b\n' },
  ];
  const f = (await scan({ files })).findings.find((x) => x.ruleId === 'unresolved-reference')!;
  assert.equal(f.severity, 'notice');
  assert.match(f.message, /in an examples\/ folder/);
  assert.match(f.help ?? '', /did you mean "mysecret" \(defined in another part of the repository\)\?$/);
});

test('context: a committed password in a test or docs folder is a warning, elsewhere an error', async () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: 9fQ2xL7mRt4Kp8Wz\n';
  const sev = async (path: string) => (await scan({ files: [{ path, text: secret }] })).findings.find((f) => f.ruleId === 'plaintext-secret')?.severity;
  assert.equal(await sev('deploy/secret.yaml'), 'error');
  assert.equal(await sev('test/krm/want.yaml'), 'warning');
  assert.equal(await sev('docs/snippets/secret.yaml'), 'warning');
  // examples illustrate like docs (kubernetes/website content/en/examples): sample values, a warning
  assert.equal(await sev('content/en/examples/secret/secret.yaml'), 'warning');
  assert.equal(await sev('example/secret.yaml'), 'error');
  // an archived manifest was once deployed: its committed password may be real, archiving does not un-leak it
  assert.equal(await sev('_archived/app/secret.yaml'), 'error');
  assert.equal(await sev('archive/secret.yaml'), 'error');
  // samples/ ship deployable add-ons (istio samples/addons)
  assert.equal(await sev('samples/addons/secret.yaml'), 'error');
});

test('evidence: a Makefile or script loop over a list of names creates each of them', () => {
  const makefile = [
    'SECRETS := env-key api-key', // 1
    'PROJECT ?= demo', // 2
    'secrets:', // 3
    '\t@for s in $(SECRETS); do \\', // 4
    '\t  v=$$(gcloud secrets versions access latest --secret $$s) || exit 1; \\', // 5
    '\t  kubectl -n sandbox create secret generic $$s --from-literal=value="$$v"; \\', // 6
    '\tdone', // 7
  ].join('\n');
  assert.deepEqual(created(makefile, false), ['Secret/env-key@sandbox:4:command', 'Secret/api-key@sandbox:4:command']);
  const script = ['#!/bin/sh', 'for name in web-tls api-tls; do', '  kubectl create secret tls "${name}" --cert=a --key=b', 'done'].join('\n');
  assert.deepEqual(created(script, false), ['Secret/web-tls:3:command', 'Secret/api-tls:3:command']);
  // a variable that no loop binds, or a loop over something that is not a list of names, creates nothing
  const unbound = ['NAMES="a b"', 'kubectl create secret generic $NAME --from-literal=a=b', 'for f in *.env; do kubectl create secret generic $f; done'].join('\n');
  assert.deepEqual(created(unbound, false), []);
});

const FLUX_KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: photos
spec:
  path: ./apps/photos/app
  components:
    - ../../../components/cnpg
  sourceRef: {kind: GitRepository, name: flux-system}
`;

test('evidence: a Flux Kustomization that applies components to the path → notice citing it; not for other paths', async () => {
  const files = [
    { path: 'repo/apps/photos/app.ks.yaml', text: FLUX_KS },
    { path: 'repo/apps/photos/app/release.yaml', text: deployment('photos-postgres-app') },
    { path: 'repo/apps/other/app/release.yaml', text: deployment('other-postgres-app') },
  ];
  const found = unresolved((await scan({ files })).findings);
  assert.deepEqual(found, [
    'repo/apps/other/app/release.yaml:14 warning Secret "other-postgres-app" is not defined in this repository.',
    'repo/apps/photos/app/release.yaml:14 notice Secret "photos-postgres-app" is not defined in this repository; it may come from the Flux components applied per repo/apps/photos/app.ks.yaml:7 (not analysed).',
  ]);
  // without components there is nothing Flux adds: loud
  const plain = FLUX_KS.replace('  components:\n    - ../../../components/cnpg\n', '');
  const loud = unresolved((await scan({ files: [{ path: 'repo/apps/photos/app.ks.yaml', text: plain }, files[1]!] })).findings);
  assert.match(loud[0]!, / warning /);
  // a path that only looks alike (apps/photos/app-old) is not the Kustomization's tree
  const near = unresolved((await scan({ files: [files[0]!, { path: 'repo/apps/photos/app-old/r.yaml', text: deployment('x-app') }] })).findings);
  assert.match(near[0]!, / warning /);
});
