import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialKindOfName, nameWords } from '../../../src/engine/secrets/names.js';
import {
  credentialSettings,
  decodeSecretData,
  describeValue,
  isDefaultCredential,
  isPlaceholder,
  isReferenceOrEncrypted,
  shapeOf,
  urlPassword,
} from '../../../src/engine/secrets/values.js';
import { hasJwt, hasPrivateKey } from '../../../src/engine/secrets/detect.js';
import { mayHoldKnownToken } from '../../../src/engine/secrets/secretlint.js';
import { FAKE } from './helpers.js';

test('nameWords splits snake, kebab, dotted and camel case', () => {
  assert.deepEqual(nameWords('spring.datasource.password'), ['SPRING', 'DATASOURCE', 'PASSWORD']);
  assert.deepEqual(nameWords('dbPassword'), ['DB', 'PASSWORD']);
  assert.deepEqual(nameWords('AWSSecretKey'), ['AWS', 'SECRET', 'KEY']);
});

test('credentialKindOfName: credential names and names about credentials', () => {
  const yes: Record<string, string> = {
    DB_PASSWORD: 'password', MYSQL_ROOT_PASSWORD: 'password', PGPASSWORD: 'password', SMTP_PASS: 'password', passphrase: 'password',
    API_TOKEN: 'token', accessToken: 'token', CLIENT_SECRET: 'secret', SECRET_KEY_BASE: 'access key', apiKey: 'API key', STRIPE_API_KEY: 'API key',
    SSH_PRIVATE_KEY: 'private key', AWS_SECRET_ACCESS_KEY: 'access key', GCP_CREDENTIALS: 'credential', auth: 'credential', '1password-credentials.json': 'credential',
  };
  for (const [name, kind] of Object.entries(yes)) assert.equal(credentialKindOfName(name), kind, name);
  for (const name of ['PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'DB_SECRET_NAME', 'JWT_SECRET_REF', 'TOKEN_URL', 'AUTH_HEADER', 'JWT_ALGORITHM',
    'CLIENT_ID', 'TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'AUTH_ENABLED', 'PUBLIC_KEY', 'RECAPTCHA_SITE_KEY', 'DB_USER', 'BYPASS_CACHE', 'LOG_LEVEL',
    'PASSWORD_HASH', 'SECRETS_MANAGER_ARN', 'tokenSecretName']) {
    assert.equal(credentialKindOfName(name), undefined, name);
  }
});

test('placeholders and references', () => {
  for (const v of ['', 'changeme', 'CHANGE_ME', '<your-key>', 'REPLACE_ME', 'replace-with-your-token', 'xxx', 'XXXXXXXX', '****', 'TODO', 'dummy',
    'example', 'my-token', 'your_api_key', 'nvapi-NVKEY', 'sk-YOUR_KEY', '**access token goes here**', '12345678', 'aaaaaaaa',
    'AKIAIOSFODNN7EXAMPLE']) {
    assert.ok(isPlaceholder(v), `placeholder: ${v}`);
  }
  // default credentials and documentation values are credentials, decided by shape, not placeholders
  for (const v of [FAKE.password, FAKE.apiKey, 'pUBnBOY80SnXgjibTYM9ZWNzY2xreNGQok', 'accounts-pwd', 'password', 'postgres', 'admin', 'minio123', '1f2d1e2e67df']) {
    assert.ok(!isPlaceholder(v), `not a placeholder: ${v}`);
  }
  for (const v of ['admin', 'postgres', 'password', 'supersecret', 'minio123', 'accounts-pwd', 'db-password', ' "guest" ']) assert.ok(isDefaultCredential(v), `default: ${v}`);
  for (const v of [FAKE.password, 'my-app-secret-name-x', 'accounts', 'hunter2x!']) assert.ok(!isDefaultCredential(v), `not a default: ${v}`);
  for (const v of ['$(DB_PASSWORD)', '${DB_PASSWORD}', '${DB_PASSWORD:-x}', '{{ .Values.password }}', '$DB_PASSWORD', 'ENC[AES256_GCM,data:x,type:str]', 'ENC(abc)',
    '{cipher}AQAabc', '<path:secret/data/db#password>', 'vault:secret/data/db#password', 'ref+vault://secret/db#/password',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', 'projects/p/secrets/db/versions/1', '%s']) {
    assert.ok(isReferenceOrEncrypted(v), `reference: ${v}`);
  }
  assert.ok(!isReferenceOrEncrypted(FAKE.password));
});

test('shapeOf: what a credential-named value looks like', () => {
  for (const v of ['true', 'false', 'yes', '3600', '30s', '1.5', '/run/secrets/x', './key.pem', 'https://auth.example.org/token', 'ops@example.org',
    'Authorization', 'X-Api-Key', 'RS256', 'HS512', 'bcrypt', 'my-app-secret', 'db.internal', '10.0.0.1:5432', 'key.json', 'DB_PASSWORD',
    'two words', '$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9D']) {
    assert.equal(shapeOf(v), 'no', v);
  }
  for (const v of [FAKE.password, FAKE.apiKey, FAKE.dbPassword, 'pUBnBOY80SnXgjibTYM9ZWNzY2xreNGQok', '8f0c2a1e-9d3b-4b7a-9c15-2e4f6a8b0d13']) assert.equal(shapeOf(v), 'real', v);
  for (const v of ['hunter2', 'katib', 'Password$123456', 'supersecretpassword', 'abcd-1234-efgh', 'admin', 'postgres', 'minio123', 'accounts-pwd']) assert.equal(shapeOf(v), 'weak', v);
});

test('URLs with a password, and those without', () => {
  assert.deepEqual(urlPassword(`postgres://app:${FAKE.dbPassword}@db:5432/app`), { scheme: 'postgres', shape: 'real' });
  assert.deepEqual(urlPassword(`redis://:${FAKE.dbPassword}@redis:6379`), { scheme: 'redis', shape: 'real' });
  assert.deepEqual(urlPassword('postgresql://accounts-admin:accounts-pwd@db/accounts'), { scheme: 'postgresql', shape: 'weak' });
  assert.deepEqual(urlPassword('amqp://guest:guest@mq'), { scheme: 'amqp', shape: 'weak' }, 'a default password is still a password');
  for (const v of ['redis://user:@redis:6379', 'postgres://app:${PASSWORD}@db/app', 'mongodb://$(U):$(P)@mongo', 'https://example.org/a@b',
    'postgres://app@db/app', 'https://user:%s@host', 'http://u:<password>@h']) {
    assert.equal(urlPassword(v), undefined, v);
  }
});

test('credentialSettings reads .properties, .env, YAML, JSON, ini, XML, -D options and connection strings', () => {
  const pw = FAKE.dbPassword;
  const names = (t: string): string[] => credentialSettings(t).map((s) => s.name);
  assert.deepEqual(names(`a=1\nspring.datasource.password=${pw}\n`), ['spring.datasource.password']);
  assert.deepEqual(names(`export API_TOKEN="${pw}"\n`), ['API_TOKEN']);
  assert.deepEqual(names(`db:\n  password: '${pw}'\n`), ['password']);
  assert.deepEqual(names(`{"user": "a", "client_secret": "${pw}"}`), ['client_secret']);
  assert.deepEqual(names(`[client]\npassword = ${pw}\n`), ['password']);
  assert.deepEqual(names(`<password>${pw}</password>`), ['password']);
  assert.deepEqual(names(`-Xmx1g -Ddb.password=${pw} -Dx=y`), ['db.password']);
  assert.deepEqual(names(`Server=db;User Id=a;Password=${pw};`), ['Password']);
  assert.deepEqual(names('password: ${DB_PASSWORD}\ntoken: none\npasswd: compat\n# password=' + pw + '\npassword_file: /x\n'), []);
});

test('base64 as the API server reads it', () => {
  assert.equal(Buffer.from(decodeSecretData('aGVsbG8=')!).toString(), 'hello');
  assert.equal(Buffer.from(decodeSecretData('aGVs\nbG8=')!).toString(), 'hello');
  for (const v of ['aGVsbG8', 'aGVs bG8=', 'aGVsbG8-', 'a=bc', 'hello world']) assert.equal(decodeSecretData(v), undefined, v);
});

test('describeValue never shows characters', () => {
  assert.equal(describeValue('hunter2'), 'a 7-character value');
  assert.equal(describeValue('p7Qz2Lm9Zr4Tn8Vb3Kc6Hd1Jf5Gs0Wq'), 'a 31-character high-entropy string');
  assert.equal(describeValue('abcdefgh'), 'an 8-character value');
  assert.equal(describeValue('a\nb\nc'), 'a 3-line value');
});

test('private keys need a body; JWTs need a JSON header', () => {
  assert.ok(hasPrivateKey(FAKE.pem));
  assert.ok(!hasPrivateKey('-----BEGIN PRIVATE KEY-----\n<your-client-private-key>\n-----END PRIVATE KEY-----'));
  assert.ok(!hasPrivateKey('"-----BEGIN PRIVATE KEY-----\\nA key\\n-----END PRIVATE KEY-----\\n"'));
  assert.ok(hasJwt(FAKE.jwt));
  assert.ok(!hasJwt('eyJnb3RjaGEiOiJ5ZXMifQ.eyJzdWIiOiJhcGkifQ.c2lnbmF0dXJlc2lnbmF0dXJl'));
});

test('mayHoldKnownToken prefilter keeps token formats and drops hosts and URLs', () => {
  for (const v of [FAKE.github, FAKE.slack, FAKE.stripe, FAKE.npm, FAKE.awsKeyId, `aws_secret_access_key=${FAKE.awsSecret}`, FAKE.pem, FAKE.jwt, 'dapi' + '0123456789abcdef0123456789abcdef']) {
    assert.ok(mayHoldKnownToken(v), v.slice(0, 12));
  }
  for (const v of ['db-1.internal.example.svc.cluster.local', 'https://features.internal/api/v1/flags/12', 'info', 'jdbc:postgresql://db:5432/app']) assert.ok(!mayHoldKnownToken(v), v);
});
