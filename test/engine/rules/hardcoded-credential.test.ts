import { test } from 'node:test';
import { rule } from '../../../src/engine/rules/hardcoded-credential.js';
import assert from 'node:assert/strict';
import { b64, checkCase, deploymentWithEnv, FAKE, runRule, type RuleCase } from '../secrets/helpers.js';

const one = (name: string, value: string): { 'd.yaml': string } => ({ 'd.yaml': deploymentWithEnv({ LOG_LEVEL: 'info', [name]: value }) });

const mustFire: RuleCase[] = [
  { name: 'password by name and shape', files: one('DB_PASSWORD', FAKE.password), expect: [{ line: 15, severity: 'error', includes: ['Env `DB_PASSWORD` of container `api`', 'in Deployment `api`', 'a password', 'secretKeyRef', 'rotate'] }] },
  { name: 'API key', files: one('OPENWEATHER_API_KEY', FAKE.apiKey), expect: [{ severity: 'error', includes: ['an API key'] }] },
  { name: 'GitHub token under any name', files: one('GH', FAKE.github), expect: [{ severity: 'error', includes: ['a GitHub token'] }] },
  { name: 'AWS secret access key', files: one('AWS_SECRET_ACCESS_KEY', FAKE.awsSecret), expect: [{ severity: 'error', includes: ['AWS secret access key'] }] },
  { name: 'connection string with a password', files: one('DATABASE_URL', `mysql://app:${FAKE.dbPassword}@mysql:3306/app`), expect: [{ severity: 'error', includes: ['a MySQL connection string'] }] },
  { name: 'JVM options with a password', files: one('JAVA_TOOL_OPTIONS', `-Djavax.net.ssl.keyStorePassword=${FAKE.dbPassword}`), expect: [{ severity: 'error', includes: ['`javax.net.ssl.keyStorePassword`'] }] },
  { name: 'base64 of a token', files: one('BLOB', b64(FAKE.github)), expect: [{ severity: 'error', includes: ['base64 of a GitHub token'] }] },
  { name: 'word-like password → warning', files: one('MYSQL_ROOT_PASSWORD', 'mysqlroot'), expect: [{ severity: 'warning' }] },
  {
    name: 'Pod, init container',
    files: { 'p.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  initContainers:', '    - name: init', '      image: x', '      env:', '        - name: API_TOKEN', `          value: "${FAKE.apiKey}"`, ''].join('\n') },
    expect: [{ line: 10, severity: 'error', includes: ['container `init`', 'in Pod `p`'] }],
  },
  {
    name: 'CronJob',
    files: { 'j.yaml': ['apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: nightly}', 'spec:', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          containers:', '            - name: job', '              env:', '                - name: SLACK_WEBHOOK_TOKEN', `                  value: "${FAKE.slack}"`, ''].join('\n') },
    expect: [{ line: 13, severity: 'error' }],
  },
];

const notFindings: Record<string, string> = {
  DB_PASSWORD: '$(DB_PASSWORD_FROM_SECRET)',
  API_TOKEN: '${API_TOKEN}',
  PASSWORD_FILE: '/run/secrets/db',
  GOOGLE_APPLICATION_CREDENTIALS: '/var/secrets/google/key.json',
  TOKEN_PATH: '/var/run/secrets/tokens/vault-token',
  SECRET_NAME: 'my-secret',
  TLS_SECRET_NAME: 'ingress-tls',
  TOKEN_URL: 'https://login.example.org/oauth2/v2.0/token',
  AUTH_HEADER_NAME: 'Authorization',
  JWT_ALGORITHM: 'RS256',
  CLIENT_ID: 'my-app-client',
  OIDC_CLIENT_ID: '0oa1b2c3d4e5f6g7h8i9',
  AUTH_ENABLED: 'true',
  TOKEN_EXPIRY: '15m',
  PASSWORD_MIN_LENGTH: '12',
  NGC_API_KEY: 'nvapi-NVKEY',
  OPENAI_API_KEY: 'sk-YOUR_KEY',
  DATABASE_URL: 'postgres://app@db:5432/app',
  REDIS_URL: 'redis://redis:6379',
  VAULT_ADDR: 'https://vault.internal:8200',
  SECRET_KEY_BASE: '<generate with rails secret>',
  KEYCLOAK_ADMIN_PASSWORD: 'changeme',
  POD_NAME: 'api-0',
};

/** Well-known default credentials are findings (warning), whatever object holds them; a weak password under a password key is a password. */
const defaults: Record<string, string> = {
  POSTGRES_PASSWORD: 'postgres',
  MYSQL_ROOT_PASSWORD: 'root',
  RABBITMQ_DEFAULT_PASS: 'guest',
  GF_SECURITY_ADMIN_PASSWORD: 'admin',
  MINIO_ROOT_PASSWORD: 'minio123',
  DB_PASSWORD: 'accounts-pwd',
};

test('hardcoded-credential: well-known default credentials → warning that says so; a weak but real password → error', async () => {
  for (const [k, v] of Object.entries(defaults)) {
    const reports = await runRule(rule, one(k, v));
    assert.equal(reports.length, 1, k);
    assert.equal(reports[0]!.severity, 'warning', k);
    assert.match(reports[0]!.message, /a well-known default credential/, k);
    assert.doesNotMatch(reports[0]!.message, /short or word-like/, k);
    assert.ok(!reports[0]!.message.includes(v), 'never the value');
  }
  const weak = await runRule(rule, one('POSTGRES_PASSWORD', 's3cr3t-Passw0rd-2024'));
  assert.equal(weak[0]?.severity, 'error');
});

const mustNotFire: RuleCase[] = [
  ...Object.entries(notFindings).map(([k, v]): RuleCase => ({ name: `${k}: ${JSON.stringify(v)}`, files: one(k, v), expect: [] })),
  {
    name: 'valueFrom.secretKeyRef is the fix',
    files: { 'd.yaml': deploymentWithEnv({}, ['            - name: DB_PASSWORD', '              valueFrom:', '                secretKeyRef: {name: db, key: password}']) },
    expect: [],
  },
  { name: 'non-string value', files: { 'd.yaml': deploymentWithEnv({}, ['            - name: API_TOKEN_RETRIES', '              value: 3']) }, expect: [] },
  {
    name: 'ConfigMap is not a workload',
    files: { 'c.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  env: "- name: DB_PASSWORD\\n  value: ${FAKE.password}"\n` },
    expect: [],
  },
];

for (const c of mustFire) test(`hardcoded-credential fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`hardcoded-credential silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
