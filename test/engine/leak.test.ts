/**
 * Never repeat a secret: plant known fake secrets in every place the secret rules look, run the rules,
 * the whole scan and review, and every output format, and assert that no output contains any planted
 * secret — raw, as any 8-character piece, base64-encoded (with or without a trailing newline).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan, review } from '../../src/engine/index.js';
import { DEFAULT_CONFIG } from '../../src/engine/config/schema.js';
import { analyzeKustomize } from '../../src/engine/kustomize/index.js';
import { parseRepository } from '../../src/engine/parse/index.js';
import { buildProviderIndex } from '../../src/engine/providers/index.js';
import { extractReferences } from '../../src/engine/references/index.js';
import { formatJson, formatSarif, formatText } from '../../src/engine/report/index.js';
import { rules } from '../../src/engine/rules/index.js';
import type { RuleContext } from '../../src/engine/rules/rule.js';
import type { SourceFile } from '../../src/engine/model.js';
import { rule as plaintextSecret } from '../../src/engine/rules/plaintext-secret.js';
import { rule as invalidSecretData } from '../../src/engine/rules/invalid-secret-data.js';
import { rule as secretTrailingNewline } from '../../src/engine/rules/secret-trailing-newline.js';
import { rule as credentialInConfigMap } from '../../src/engine/rules/credential-in-configmap.js';
import { rule as credentialFromConfigMap } from '../../src/engine/rules/credential-from-configmap.js';
import { rule as hardcodedCredential } from '../../src/engine/rules/hardcoded-credential.js';
import { b64, FAKE } from './secrets/helpers.js';

const SECRET_RULES = [plaintextSecret, invalidSecretData, secretTrailingNewline, credentialInConfigMap, credentialFromConfigMap, hardcodedCredential];

/** Planted values: every one distinct from every key name and from the words keyref writes. */
const P = {
  ...FAKE,
  dataPassword: 'Pq7Lz2Vm' + '9Xk4Rt8W',
  stringToken: 'Tn4Wq8Zr' + '2Lm6Xv9K',
  newlinePw: 'Nw3Qz8Lp' + '5Vx2Rk7M',
  invalidPlain: 'Iv9Pl4Xq' + '7Zm2Wt5K',
  literal: 'Lt6Kz3Qw' + '8Vn5Rx2P',
  envFile: 'Ef2Wq7Zx' + '4Lm9Kv3T',
  fileSource: 'Fs8Vz3Kq' + '6Wx2Lm9R',
  cmPassword: 'Cm5Rq9Zx' + '3Kv7Wl2T',
  cmProperties: 'Pr4Kx8Zq' + '2Wm6Vt9L',
  cmUrl: 'Ur7Zq3Kx' + '9Lv5Wm2T',
  cmBase64Inner: 'Bi3Qx7Zk' + '5Wv9Lm2R',
  cmReferenced: 'Rf6Wz2Kq' + '8Xm4Vt7L',
  envLiteral: 'El9Kq5Zx' + '3Vw7Rm2T',
  sealed: 'Sd2Vq8Kx' + '6Zw3Lm9T',
  weakPw: 'tabby' + 'cat',
  // kustomize env-file lines without `=`: kustomize makes the whole line a key
  envColon: 'Ec4Zq9Wx' + '2Kv7Lm3R',
  envSpace: 'Es8Kx2Vq' + '6Zm3Wt9L',
  envOnly: 'Eo3Wz7Kq' + '9Lx2Vm5T',
};

const files: SourceFile[] = [
  {
    path: 'app/secret.yaml',
    text: [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: app, namespace: prod}',
      'data:',
      `  DB_PASSWORD: ${b64(P.dataPassword)}`,
      `  GITHUB_TOKEN: ${b64(P.github)}`,
      `  tls.key: ${b64(P.pem)}`,
      `  NEWLINE_PASSWORD: ${b64(P.newlinePw + '\n')}`,
      `  PLAIN_PASSWORD: "${P.invalidPlain} x"`,
      'stringData:',
      `  API_TOKEN: "${P.stringToken}"`,
      `  STRIPE_KEY: "${P.stripe}"`,
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: weak}',
      'stringData:',
      `  password: ${P.weakPw}`,
      '',
    ].join('\n'),
  },
  {
    path: 'app/config.yaml',
    text: [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: app-config, namespace: prod}',
      'data:',
      `  SMTP_PASSWORD: "${P.cmPassword}"`,
      `  AWS_ACCESS_KEY_ID: ${P.awsKeyId}`,
      `  AWS_SECRET_ACCESS_KEY: ${P.awsSecret}`,
      `  DATABASE_URL: postgres://app:${P.cmUrl}@db:5432/app`,
      `  BLOB: ${b64(`mysql://root:${P.cmBase64Inner}@mysql/app`)}`,
      `  JWT: ${P.jwt}`,
      `  NPM: ${P.npm}`,
      `  db-password: "${P.cmReferenced}"`,
      '  application.properties: |',
      '    spring.datasource.username=app',
      `    spring.datasource.password=${P.cmProperties}`,
      '',
    ].join('\n'),
  },
  {
    path: 'app/deploy.yaml',
    text: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: api, namespace: prod}',
      'spec:',
      '  selector: {matchLabels: {app: api}}',
      '  template:',
      '    metadata: {labels: {app: api}}',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          image: example/api:1.0',
      '          env:',
      '            - name: PAYMENT_API_KEY',
      `              value: "${P.envLiteral}"`,
      '            - name: SLACK',
      `              value: "${P.slack}"`,
      '            - name: DB_PASSWORD',
      '              valueFrom:',
      '                configMapKeyRef: {name: app-config, key: db-password}',
      '',
    ].join('\n'),
  },
  {
    path: 'app/sealed.yaml',
    text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: sealed}\nspec:\n  encryptedData:\n    password: ${P.sealed}\n`,
  },
  {
    path: 'gen/kustomization.yaml',
    text: [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'secretGenerator:',
      '  - name: gen',
      '    literals:',
      `      - CLIENT_SECRET=${P.literal}`,
      '    envs: [creds.env]',
      '    files: [service.key]',
      'resources: [deploy.yaml]',
      '',
    ].join('\n'),
  },
  { path: 'gen/creds.env', text: `USER=app\nREDIS_PASSWORD=${P.envFile}\nAPI_PASSWORD: ${P.envColon}\nDB_PASS ${P.envSpace}\n` },
  {
    path: 'gen/deploy.yaml',
    text: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: worker}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: worker',
      '          env:',
      '            - name: API_PASSWORD',
      '              valueFrom: {secretKeyRef: {name: gen, key: API_PASSWORD}}',
      '            - name: DB_PASS',
      '              valueFrom: {secretKeyRef: {name: gen, key: DB_PASSWORD}}',
      '',
    ].join('\n'),
  },
  { path: 'gen/service.key', text: `SERVICE_TOKEN=${P.fileSource}\n` },
];

function forbidden(): { label: string; needle: string }[] {
  const out: { label: string; needle: string }[] = [];
  for (const [name, value] of Object.entries(P)) {
    const core = value.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    for (let i = 0; i + 8 <= core.length; i++) out.push({ label: `${name} (piece at ${i})`, needle: core.slice(i, i + 8) });
    for (const v of [value, value + '\n']) out.push({ label: `${name} (base64)`, needle: b64(v) }, { label: `${name} (base64url)`, needle: Buffer.from(v).toString('base64url') });
  }
  return out;
}

function assertNoLeak(where: string, output: string): void {
  for (const { label, needle } of forbidden()) {
    assert.ok(!output.includes(needle), `${where} repeats planted secret ${label}`);
  }
}

async function contextOf(input: readonly SourceFile[]): Promise<RuleContext> {
  const repo = parseRepository(input);
  const kustomize = analyzeKustomize(repo);
  return { repo, kustomize, providers: buildProviderIndex(repo, kustomize, DEFAULT_CONFIG), references: extractReferences(repo, kustomize), config: DEFAULT_CONFIG };
}

test('leak: every secret rule fires on the planted fixture, and no report (message, identity, location) repeats a secret', async () => {
  const context = await contextOf(files);
  for (const rule of SECRET_RULES) {
    const reports = [...(await rule.check(context))];
    assert.ok(reports.length > 0, `${rule.meta.id} should fire on the leak fixture`);
    assertNoLeak(`${rule.meta.id} reports`, JSON.stringify(reports));
  }
});

test('leak: scan() with every rule, and the text, json and sarif reports', async () => {
  const result = await scan({ files });
  const ids = new Set(result.findings.map((f) => f.ruleId));
  for (const rule of SECRET_RULES) assert.ok(ids.has(rule.meta.id), `${rule.meta.id} should be among the findings`);
  assertNoLeak('scan result (JSON.stringify)', JSON.stringify(result));
  const input = { findings: result.findings, skipped: result.skipped, stats: result.stats };
  assertNoLeak('text report', formatText(input));
  assertNoLeak('text report (color)', formatText(input, { color: true }));
  assertNoLeak('json report', formatJson(input));
  assertNoLeak('sarif report', formatSarif(input, { rules: rules.map((r) => r.meta) }));
});

test('leak: review() of a change that adds the secrets, and its reports', async () => {
  const result = await review({ base: [], head: files });
  assert.ok(result.findings.some((f) => f.introduced === true));
  assertNoLeak('review result', JSON.stringify(result));
  const input = { findings: result.findings, skipped: result.skipped, stats: result.stats, review: { base: 'base', head: 'head', fixed: result.fixed, changedPaths: result.changedPaths } };
  assertNoLeak('review text report', formatText(input));
  assertNoLeak('review json report', formatJson(input));
  assertNoLeak('review sarif report', formatSarif(input, { rules: rules.map((r) => r.meta) }));
  const back = await review({ base: files, head: [] });
  assertNoLeak('review that removes the secrets', JSON.stringify(back));
});

test('leak: env-file lines that are not KEY=VALUE are reported at their line, never echoed (missing-key, parse-error)', async () => {
  const result = await scan({ files });
  const malformed = result.findings.filter((f) => f.ruleId === 'parse-error' && f.path === 'gen/creds.env').map((f) => f.line);
  assert.deepEqual(malformed, [3, 4]);
  const missing = result.findings.filter((f) => f.ruleId === 'missing-key' && f.path === 'gen/deploy.yaml');
  assert.equal(missing.length, 2, JSON.stringify(result.findings.map((f) => f.message)));
  // The short message names the missing key; the help lists what the Secret has, describing the invalid keys.
  for (const f of missing) assert.match(f.help ?? '', /2 keys that are not valid data keys/);
  assertNoLeak('malformed env lines', JSON.stringify(result));
});

test('leak: a secretGenerator whose only values are on malformed env-file lines is a plaintext Secret', async () => {
  const input: SourceFile[] = [
    { path: 'k/kustomization.yaml', text: 'secretGenerator:\n  - name: only\n    envs: [only.env]\n' },
    { path: 'k/only.env', text: `API_TOKEN: ${P.envOnly}\n` },
  ];
  const result = await scan({ files: input });
  const found = result.findings.filter((f) => f.ruleId === 'plaintext-secret');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'error');
  assert.equal(found[0]!.path, 'k/only.env');
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'parse-error').map((f) => `${f.path}:${f.line}`), ['k/only.env:1']);
  const input2 = { findings: result.findings, skipped: result.skipped, stats: result.stats };
  assertNoLeak('malformed-only generator', JSON.stringify(result) + formatText(input2) + formatJson(input2) + formatSarif(input2, { rules: rules.map((r) => r.meta) }));
});

test('leak: rule docs never contain a planted secret', () => {
  assertNoLeak('rule docs', JSON.stringify(rules.map((r) => r.meta)));
});
