import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rule } from '../../../src/engine/rules/credential-in-configmap.js';
import { b64, checkCase, configMapYaml, FAKE, type RuleCase } from '../secrets/helpers.js';

const cm = (entries: Record<string, string>): { 'c.yaml': string } => ({ 'c.yaml': configMapYaml(entries) });
const kustomization = (body: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

const mustFire: RuleCase[] = [
  // Default credentials are credentials (issue 11): the same value is reported in a ConfigMap as in a Secret.
  { name: 'POSTGRES_PASSWORD: accounts-pwd → warning, a well-known default', files: cm({ POSTGRES_PASSWORD: 'accounts-pwd' }), expect: [{ severity: 'warning', includes: ['a well-known default credential'] }] },
  { name: 'MINIO_ROOT_PASSWORD: minio123 → warning', files: cm({ MINIO_ROOT_PASSWORD: 'minio123' }), expect: [{ severity: 'warning', includes: ['a well-known default credential'] }] },
  { name: 'AMQP URL with guest:guest → warning', files: cm({ AMQP_URL: 'amqp://guest:guest@rabbitmq:5672' }), expect: [{ severity: 'warning' }] },
  { name: 'a weak but real password under a password key → error, not "word-like"', files: cm({ POSTGRES_PASSWORD: 's3cr3t-Passw0rd-2024' }), expect: [{ severity: 'error' }] },
  { name: 'key name + real-looking password', files: cm({ LOG_LEVEL: 'info', DB_PASSWORD: FAKE.password }), expect: [{ line: 7, severity: 'error', includes: ['ConfigMap `app-config` holds a password', 'in key `DB_PASSWORD`', 'a password', 'no RBAC split', 'secretKeyRef', 'rotate'] }] },
  { name: 'camelCase key name', files: cm({ apiKey: FAKE.apiKey }), expect: [{ severity: 'error', includes: ['an API key'] }] },
  { name: 'client secret', files: cm({ OAUTH_CLIENT_SECRET: 'pUBnBOY80SnXgjibTYM9ZWNzY2xreNGQok' }), expect: [{ severity: 'error', includes: ['a secret'] }] },
  { name: 'GitHub token under a neutral key', files: cm({ settings: FAKE.github }), expect: [{ severity: 'error', includes: ['a GitHub token'] }] },
  { name: 'AWS access key id', files: cm({ AWS_ACCESS_KEY_ID: FAKE.awsKeyId }), expect: [{ severity: 'error', includes: ['an AWS access key id'] }] },
  { name: 'AWS secret access key', files: cm({ AWS_SECRET_ACCESS_KEY: FAKE.awsSecret }), expect: [{ severity: 'error', includes: ['AWS secret access key'] }] },
  { name: 'Slack token', files: cm({ notify: FAKE.slack }), expect: [{ severity: 'error', includes: ['a Slack token'] }] },
  { name: 'Stripe key', files: cm({ payments: FAKE.stripe }), expect: [{ severity: 'error', includes: ['a Stripe secret key'] }] },
  { name: 'npm token', files: cm({ npmrc: FAKE.npm }), expect: [{ severity: 'error', includes: ['an npm access token'] }] },
  { name: 'PEM private key', files: cm({ 'server.pem': FAKE.pem }), expect: [{ severity: 'error', includes: ['a PEM private key'] }] },
  { name: 'JWT', files: cm({ bootstrap: FAKE.jwt }), expect: [{ severity: 'error', includes: ['a JSON Web Token'] }] },
  { name: 'PostgreSQL URL with a password', files: cm({ DATABASE_URL: `postgres://app:${FAKE.dbPassword}@db.internal:5432/app` }), expect: [{ severity: 'error', includes: ['a PostgreSQL connection string with an embedded password'] }] },
  { name: 'Redis URL with only a password', files: cm({ REDIS_URL: `redis://:${FAKE.dbPassword}@redis:6379/0` }), expect: [{ severity: 'error', includes: ['a Redis URL'] }] },
  { name: 'https URL with basic auth', files: cm({ webhook: `https://deploy:${FAKE.dbPassword}@hooks.internal/x` }), expect: [{ severity: 'error' }] },
  {
    name: '.properties file with a password line',
    files: cm({ 'application.properties': `spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.username=app\nspring.datasource.password=${FAKE.dbPassword}\n` }),
    expect: [{ line: 9, severity: 'error', includes: ['`spring.datasource.password`', 'line 3'] }],
  },
  { name: '.env file', files: cm({ '.env': `APP_ENV=prod\nSTRIPE_API_KEY=${FAKE.apiKey}\n` }), expect: [{ severity: 'error', includes: ['`STRIPE_API_KEY`'] }] },
  { name: 'YAML config file', files: cm({ 'config.yaml': `database:\n  host: db\n  password: "${FAKE.dbPassword}"\n` }), expect: [{ severity: 'error', includes: ['`password`'] }] },
  { name: 'JSON config file', files: cm({ 'config.json': `{\n  "db": {\n    "user": "app",\n    "password": "${FAKE.dbPassword}"\n  }\n}\n` }), expect: [{ severity: 'error', includes: ['`password`'] }] },
  { name: 'single-line JSON', files: cm({ 'creds.json': `{"user":"app","client_secret":"${FAKE.apiKey}"}` }), expect: [{ severity: 'error', includes: ['`client_secret`'] }] },
  { name: '.ini file', files: cm({ 'my.cnf': `[client]\nuser = app\npassword = ${FAKE.dbPassword}\n` }), expect: [{ severity: 'error' }] },
  { name: 'XML config', files: cm({ 'settings.xml': `<settings>\n  <server><id>repo</id><password>${FAKE.dbPassword}</password></server>\n</settings>\n` }), expect: [{ severity: 'error' }] },
  { name: 'JVM options with -D password', files: cm({ JAVA_OPTS: `-Xmx512m -Ddb.password=${FAKE.dbPassword} -Dfoo=bar` }), expect: [{ severity: 'error', includes: ['`db.password`'] }] },
  { name: 'ADO.NET connection string', files: cm({ ConnectionStrings__Default: `Server=db;Database=app;User Id=app;Password=${FAKE.dbPassword};` }), expect: [{ severity: 'error', includes: ['`Password`'] }] },
  { name: 'base64 of a connection string', files: cm({ DB: b64(`postgres://app:${FAKE.dbPassword}@db:5432/app`) }), expect: [{ severity: 'error', includes: ['base64 of a PostgreSQL connection string'] }] },
  { name: 'base64 of a GitHub token', files: cm({ blob: b64(FAKE.github) }), expect: [{ severity: 'error', includes: ['base64 of a GitHub token'] }] },
  { name: 'base64 of a config file', files: cm({ payload: b64(`user=app\npassword=${FAKE.dbPassword}\n`) }), expect: [{ severity: 'error', includes: ['base64 of'] }] },
  { name: 'word-like password → warning', files: cm({ DB_PASSWORD: 'hunter2' }), expect: [{ severity: 'warning', includes: ['check whether'] }] },
  { name: 'URL with a word-like password → warning', files: cm({ DB_URI: 'postgresql://accounts-admin:accounts-pwd@db:5432/accounts' }), expect: [{ severity: 'warning' }] },
  {
    name: 'configMapGenerator literal',
    files: { 'kustomization.yaml': kustomization(`configMapGenerator:\n  - name: cfg\n    literals:\n      - LOG=debug\n      - SMTP_PASSWORD=${FAKE.password}\n`) },
    expect: [{ path: 'kustomization.yaml', line: 7, severity: 'error', includes: ['configMapGenerator `cfg`', 'in literal `SMTP_PASSWORD`'] }],
  },
  {
    name: 'configMapGenerator env file',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: cfg\n    envs: [app.env]\n'), 'app.env': `A=1\nAPI_TOKEN=${FAKE.apiKey}\n` },
    expect: [{ path: 'app.env', line: 2, severity: 'error', includes: ['of the env file'] }],
  },
  {
    name: 'configMapGenerator file',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: cfg\n    files: [application.properties]\n'), 'application.properties': `a=1\nmail.password=${FAKE.password}\n` },
    expect: [{ path: 'kustomization.yaml', severity: 'error', includes: ['file `application.properties`'] }],
  },
];

const notFindings: Record<string, string> = {
  DB_PASSWORD: '$(DB_PASSWORD)',
  API_TOKEN: '${API_TOKEN}',
  TOKEN: '{{ .Values.token }}',
  PASSWORD_ENABLED: 'true',
  AUTH_TOKEN_REQUIRED: 'false',
  TOKEN_TTL: '3600',
  PASSWORD_MIN_LENGTH: '12',
  SESSION_SECRET_ROTATION: '24h',
  SERVICE_URL: 'https://api.example.org/v1',
  JDBC_URL: 'jdbc:postgresql://db:5432/app',
  PASSWORD_FILE: '/run/secrets/db-password',
  TOKEN_PATH: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  SECRET_DIR: '/etc/secrets',
  SECRET_KEY_LOCATION: './keys/secret.key',
  SECRET_NAME: 'my-secret',
  DB_SECRET_NAME: 'postgres-credentials',
  JWT_SECRET_REF: 'jwt-signing-key',
  TOKEN_URL: 'https://auth.example.org/oauth/token',
  TOKEN_ENDPOINT: 'https://auth.internal/token',
  AUTH_HEADER: 'Authorization',
  API_KEY_HEADER: 'X-Api-Key',
  JWT_ALGORITHM: 'RS256',
  TOKEN_SIGNING_ALG: 'HS256',
  PASSWORD_HASHER: 'argon2',
  CLIENT_ID: '8f0c2a1e-6d3b-4b7a-9c15-2e4f6a8b0d13',
  OAUTH_CLIENT_ID: 'kubeflow-oidc-authservice',
  TOKEN_AUDIENCE: 'api://default',
  SECRET_STORE: 'vault',
  DB_PASSWORD_PLACEHOLDER_COMMENT: 'changeme',
  ADMIN_PASSWORD: '<your-password>',
  API_KEY: 'REPLACE_ME',
  SECRET: 'xxx',
  PASSWORD: 'TODO',
  GITHUB_TOKEN: 'dummy',
  SLACK_TOKEN: 'example',
  DB_PASS: '',
  REDIS_URL: 'redis://user:@redis:6379',
  PG_URL: 'postgres://app:${PASSWORD}@db/app',
  MONGO_URL: 'mongodb://$(MONGO_USER):$(MONGO_PASS)@mongo:27017',
  SOPS_PASSWORD: 'ENC[AES256_GCM,data:Tr5kq1w=,iv:abc=,tag:def==,type:str]',
  JASYPT_PASSWORD: 'ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)',
  SPRING_PASSWORD: '{cipher}AQA7Jd1vQ2sdf3',
  AVP_PASSWORD: '<path:secret/data/db#password>',
  VAULT_TOKEN_ROLE: 'app',
  ENCODED: b64('hello world, this is plain config'),
  NUMBERS_TOKEN: '1234567890',
  PASSWORD_POLICY: 'strong',
  EMAIL_PASSWORD_RESET_SUBJECT: 'Reset your password',
  TOKEN_TYPE: 'Bearer',
  SECRETS_MANAGER_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
  AWS_ACCOUNT_ID: '123456789012',
  PUBLIC_KEY: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  RECAPTCHA_SITE_KEY: '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI',
  DB_USER: 'reporting_ro',
  PASSWORD_AUTHENTICATION: 'yes',
};

const mustNotFire: RuleCase[] = [
  ...Object.entries(notFindings).map(([k, v]): RuleCase => ({ name: `${k}: ${JSON.stringify(v).slice(0, 50)}`, files: cm({ [k]: v }), expect: [] })),
  {
    name: 'config file with references and placeholders only',
    files: cm({ 'application.yaml': 'spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n    password: ${DB_PASSWORD}\n    token-file: /run/secrets/token\nsecret-name: app-creds\n' }),
    expect: [],
  },
  { name: '.properties with placeholder', files: cm({ 'app.properties': 'db.password=changeme\napi.key=<your-key>\n' }), expect: [] },
  { name: 'nginx config', files: cm({ 'nginx.conf': 'server {\n  listen 80;\n  location / { proxy_pass http://api:8080; }\n}\n' }), expect: [] },
  { name: 'base64-looking value that is hex', files: cm({ checksum: 'a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4' }), expect: [] },
  { name: 'Secret is not a ConfigMap', files: { 's.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  DB_PASSWORD: "${FAKE.password}"\n` }, expect: [] },
  {
    name: 'SOPS-encrypted ConfigMap',
    files: { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  DB_PASSWORD: ENC[AES256_GCM,data:abc,type:str]\nsops:\n  version: 3.8.1\n' },
    expect: [],
  },
  { name: 'binaryData is not inspected', files: { 'c.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbinaryData:\n  blob: ${b64(FAKE.github)}\n` }, expect: [] },
];

for (const c of mustFire) test(`credential-in-configmap fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`credential-in-configmap silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));

test('credential-in-configmap: a setting inside a block scalar is reported on the line that holds it (literal, folded, indentation indicator)', async () => {
  const { scan } = await import('../../../src/engine/scan.js');
  const pw = ['Vq7', 'mZ2', 'xLp9', 'Rt4w'].join(''); // assembled so the fixture holds no literal credential
  const literal = [
    'apiVersion: v1', // 1
    'kind: ConfigMap', // 2
    'metadata:', // 3
    '  name: app', // 4
    'data:', // 5
    '  application.properties: |', // 6
    '    server.port=8080', // 7
    '', // 8
    '    spring.datasource.url=jdbc:postgresql://db:5432/app', // 9
    `    spring.datasource.password=${pw}`, // 10
    '  other: x', // 11
  ].join('\n');
  const folded = literal.replace('application.properties: |', 'application.properties: >-');
  const indented = literal.replace('application.properties: |', 'application.properties: |2-').replaceAll('\n    ', '\n      ').replace('\n      spring', '\n      spring');
  for (const [name, text] of [['literal', literal], ['folded', folded], ['indentation indicator', indented]] as const) {
    const { findings } = await scan({ files: [{ path: 'cm.yaml', text }] });
    const f = findings.filter((x) => x.ruleId === 'credential-in-configmap');
    assert.deepEqual(f.map((x) => `${x.line}-${x.endLine} ${x.severity}`), ['10-10 error'], name);
    assert.ok(!JSON.stringify(f).includes(pw), name);
  }
  // a one-line value keeps the key's line; a quoted multi-line string (no block header) keeps the value's own line
  const quoted = literal.split('\n').slice(0, 5).join('\n') + `\n  application.properties: "server.port=8080\\nspring.datasource.password=${pw}\\n"\n`;
  const { findings } = await scan({ files: [{ path: 'cm.yaml', text: quoted }] });
  assert.deepEqual(findings.filter((x) => x.ruleId === 'credential-in-configmap').map((x) => x.line), [6]);
});

test('plaintext-secret: a setting inside a block scalar of a Secret is reported on its own line', async () => {
  const { scan } = await import('../../../src/engine/scan.js');
  const pw = ['Kd8', 'wQ3', 'nZp5', 'Lm2y'].join('');
  const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'stringData:', '  app.properties: |', '    user=app', `    password=${pw}`].join('\n');
  const { findings } = await scan({ files: [{ path: 'deploy/s.yaml', text }] });
  assert.deepEqual(findings.filter((x) => x.ruleId === 'plaintext-secret').map((x) => x.line), [8]);
});
