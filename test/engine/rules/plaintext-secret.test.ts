import { test } from 'node:test';
import { rule } from '../../../src/engine/rules/plaintext-secret.js';
import { b64, checkCase, FAKE, secretYaml, type RuleCase } from '../secrets/helpers.js';

const kustomization = (body: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

const mustFire: RuleCase[] = [
  {
    name: 'data with a real password (base64) → error at the password entry',
    files: { 's.yaml': secretYaml('data', { username: b64('app'), password: b64(FAKE.password) }) },
    expect: [{ line: 7, severity: 'error', includes: ['Secret `app-secret`', 'a password', '`data.password`', 'encoding, not encryption', 'rotate', 'SealedSecret', '`username`'] }],
  },
  {
    name: 'stringData with a real API key → error, says not even encoded',
    files: { 's.yaml': secretYaml('stringData', { API_KEY: FAKE.apiKey }) },
    expect: [{ line: 6, severity: 'error', includes: ['an API key', 'not even encoded', 'ExternalSecret'] }],
  },
  {
    name: 'a known token format under any key → error naming the format',
    files: { 's.yaml': secretYaml('stringData', { config: FAKE.github }) },
    expect: [{ severity: 'error', includes: ['a GitHub token'] }],
  },
  {
    name: 'a PEM private key in data (tls.key) → error',
    files: { 's.yaml': secretYaml('data', { 'tls.crt': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), 'tls.key': b64(FAKE.pem) }) },
    expect: [{ line: 7, severity: 'error', includes: ['a PEM private key', '`data.tls.key`'] }],
  },
  {
    name: 'a high-entropy value under a neutral key → error',
    files: { 's.yaml': secretYaml('data', { value: b64('p7Qz2Lm9Zr4Tn8Vb3Kc6Hd1Jf5Gs0Wq') }) },
    expect: [{ severity: 'error', includes: ['high-entropy'] }],
  },
  {
    name: 'one finding per Secret, at the strongest value',
    files: { 's.yaml': secretYaml('data', { host: b64('db.internal'), user: b64('app'), token: b64(FAKE.slack) }) },
    expect: [{ line: 8, severity: 'error', includes: ['a Slack token', '`host`', '`user`'] }],
  },
  {
    name: 'secretGenerator literal → error at the literal',
    files: {
      'k/kustomization.yaml': kustomization(`secretGenerator:\n  - name: api\n    literals:\n      - user=app\n      - API_TOKEN=${FAKE.apiKey}\n`),
    },
    expect: [{ path: 'k/kustomization.yaml', line: 7, severity: 'error', includes: ['secretGenerator `api`', 'literal `API_TOKEN`', 'plain text'] }],
  },
  {
    name: 'secretGenerator env file in the repository → error at the env-file line',
    files: {
      'k/kustomization.yaml': kustomization('secretGenerator:\n  - name: db\n    envs:\n      - db.env\n'),
      'k/db.env': `DB_USER=app\nDB_PASSWORD=${FAKE.dbPassword}\n`,
    },
    expect: [{ path: 'k/db.env', line: 2, severity: 'error', includes: ['of the env file', '`DB_PASSWORD`'] }],
  },
  {
    name: 'secretGenerator file source in the repository → error',
    files: {
      'k/kustomization.yaml': kustomization('secretGenerator:\n  - name: tls\n    files:\n      - tls.key\n'),
      'k/tls.key': FAKE.pem,
    },
    expect: [{ path: 'k/kustomization.yaml', severity: 'error', includes: ['a PEM private key', 'file `k/tls.key`'] }],
  },
  {
    name: 'word-like password → warning (a default or weak credential)',
    files: { 's.yaml': secretYaml('stringData', { password: 'katib' }) },
    expect: [{ severity: 'warning', includes: ['a password'] }],
  },
  {
    name: 'values that are not credentials (user, host) → notice',
    files: { 's.yaml': secretYaml('stringData', { username: 'reporting', host: 'db.internal' }) },
    expect: [{ severity: 'notice', includes: ['do not look like credentials', '`stringData.username`', '`host`'] }],
  },
  {
    name: 'password hash → warning, described as a hash',
    files: { 's.yaml': secretYaml('stringData', { DEX_PASSWORD: '$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9D' }) },
    expect: [{ severity: 'warning', includes: ['a password hash'] }],
  },
  {
    name: 'a well-known default password ("password", "admin", "accounts-pwd") → warning: it is a credential, not a placeholder',
    files: { 's.yaml': secretYaml('stringData', { password: 'password', ADMIN_PASSWORD: 'admin', POSTGRES_PASSWORD: 'accounts-pwd' }) },
    expect: [{ severity: 'warning' }],
  },
  ...['changeme', '<your-key>', 'REPLACE_ME', '${DB_PASSWORD}', 'xxx', 'TODO', 'dummy', 'example-password', '**token goes here**'].map(
    (v): RuleCase => ({
      name: `placeholder ${JSON.stringify(v)} → notice`,
      files: { 's.yaml': secretYaml('stringData', { password: v }) },
      expect: [{ severity: 'notice', includes: ['placeholder'] }],
    }),
  ),
  {
    name: 'placeholder in data (base64 of changeme) → notice',
    files: { 's.yaml': secretYaml('data', { password: b64('changeme') }) },
    expect: [{ severity: 'notice' }],
  },
  {
    name: 'secretGenerator with placeholder literals → notice',
    files: { 'kustomization.yaml': kustomization('secretGenerator:\n  - name: api\n    literals:\n      - password=changeme\n') },
    expect: [{ severity: 'notice' }],
  },
  {
    name: 'List item Secret → error at the item',
    files: {
      'l.yaml': `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: a}\n    stringData:\n      password: "${FAKE.password}"\n`,
    },
    expect: [{ line: 8, severity: 'error' }],
  },
];

const mustNotFire: RuleCase[] = [
  { name: 'Secret with no data (filled by a controller)', files: { 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sa-token\n  annotations:\n    kubernetes.io/service-account.name: api\ntype: kubernetes.io/service-account-token\n' }, expect: [] },
  { name: 'Secret with empty data map', files: { 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {}\n' }, expect: [] },
  { name: 'Secret with only empty values', files: { 's.yaml': secretYaml('stringData', { password: '', token: '' }) }, expect: [] },
  {
    name: 'SOPS-encrypted Secret',
    files: {
      's.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: ENC[AES256_GCM,data:Tr5kq1w=,iv:abc=,tag:def==,type:str]\n' +
        'sops:\n  kms: []\n  lastmodified: "2024-01-01T00:00:00Z"\n  mac: ENC[AES256_GCM,data:xyz=,type:str]\n  version: 3.8.1\n',
    },
    expect: [],
  },
  { name: 'SOPS value without sops block', files: { 's.yaml': secretYaml('stringData', { password: 'ENC[AES256_GCM,data:Tr5kq1w=,iv:abc=,tag:def==,type:str]' }) }, expect: [] },
  {
    name: 'SealedSecret encryptedData',
    files: { 's.yaml': `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: a}\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq${FAKE.apiKey}\n` },
    expect: [],
  },
  {
    name: 'ExternalSecret definition',
    files: {
      's.yaml':
        'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: a}\nspec:\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n' +
        '  target: {name: db}\n  data:\n    - secretKey: password\n      remoteRef: {key: db/prod, property: password}\n',
    },
    expect: [],
  },
  {
    name: 'secretGenerator env file not in the repository',
    files: { 'kustomization.yaml': kustomization('secretGenerator:\n  - name: db\n    envs:\n      - missing.env\n') },
    expect: [],
  },
  { name: 'ConfigMap is not a Secret', files: { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  LOG_LEVEL: debug\n' }, expect: [] },
];

for (const c of mustFire) test(`plaintext-secret fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`plaintext-secret silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
