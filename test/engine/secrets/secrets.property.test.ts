import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectCredential, hasJwt, likelyBase64 } from '../../../src/engine/secrets/detect.js';
import { credentialKindOfName, nameWords } from '../../../src/engine/secrets/names.js';
import { detectKnownTokens } from '../../../src/engine/secrets/secretlint.js';
import {
  credentialSettings,
  decodeSecretData,
  describeValue,
  isPlaceholder,
  isReferenceOrEncrypted,
  shapeOf,
  urlPassword,
} from '../../../src/engine/secrets/values.js';
import { scan } from '../../../src/engine/scan.js';
import { rule as plaintextSecret } from '../../../src/engine/rules/plaintext-secret.js';
import { rule as invalidSecretData } from '../../../src/engine/rules/invalid-secret-data.js';
import { rule as secretTrailingNewline } from '../../../src/engine/rules/secret-trailing-newline.js';
import { rule as credentialInConfigMap } from '../../../src/engine/rules/credential-in-configmap.js';
import { rule as hardcodedCredential } from '../../../src/engine/rules/hardcoded-credential.js';

const NAMES = ['DB_PASSWORD', 'API_TOKEN', 'CLIENT_SECRET', 'apiKey', 'config', 'app.properties', 'DATABASE_URL', 'PRIVATE_KEY', 'value'];
/** Strings of at least 8 characters, from full unicode, ASCII and a secret-ish alphabet. */
const value = fc.oneof(
  fc.string({ minLength: 8, maxLength: 80 }),
  fc.string({ minLength: 8, maxLength: 80, unit: 'binary' }),
  fc.stringMatching(/^[A-Za-z0-9+/=_:@.\-$#{}\n]{8,60}$/),
  fc.constantFrom('postgres://u:', 'ghp_', 'eyJ', '-----BEGIN RSA PRIVATE KEY-----\n', 'password=', 'ENC[').chain((prefix) =>
    fc.stringMatching(/^[A-Za-z0-9+/=_:@.\-]{8,60}$/).map((rest) => prefix + rest),
  ),
);

test('property: value detectors never throw and their descriptions never contain the value', () => {
  fc.assert(
    fc.property(fc.constantFrom(...NAMES), value, (name, v) => {
      isPlaceholder(v);
      isReferenceOrEncrypted(v);
      shapeOf(v);
      urlPassword(v);
      hasJwt(v);
      decodeSecretData(v);
      likelyBase64(v);
      credentialKindOfName(v);
      nameWords(v);
      const settings = credentialSettings(v);
      for (const s of settings) assert.ok(!s.name.includes(v));
      const described = describeValue(v);
      assert.ok(!described.includes(v), `describeValue repeats the value`);
      const d = detectCredential({ name, value: v, tokens: [], ...(likelyBase64(v) ? { decoded: { text: likelyBase64(v)!, tokens: [] } } : {}) });
      if (d) assert.ok(!d.what.includes(v.trim()), `detection repeats the value: ${d.what}`);
    }),
    { numRuns: 2000 },
  );
});

test('property: the secretlint batch never throws and maps one result list per input', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ name: fc.string({ maxLength: 20 }), value: value }), { maxLength: 20 }), async (inputs) => {
      const found = await detectKnownTokens(inputs);
      assert.equal(found.length, inputs.length);
      for (const list of found) for (const t of list) assert.ok(!inputs.some((i) => i.value.length >= 8 && t.kind.includes(i.value)));
    }),
    { numRuns: 200 },
  );
});

test('property: the six rules never throw on arbitrary values and never repeat a value in a finding', async () => {
  const rules = [plaintextSecret, invalidSecretData, secretTrailingNewline, credentialInConfigMap, hardcodedCredential];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...NAMES), value, fc.constantFrom('data', 'stringData'), async (name, v, field) => {
      const q = JSON.stringify(v);
      const b64 = Buffer.from(v).toString('base64');
      const text = [
        `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n${field}:\n  ${JSON.stringify(name)}: ${field === 'data' ? JSON.stringify(b64) : q}\n  raw: ${q}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ${JSON.stringify(name)}: ${q}\n  b: ${JSON.stringify(b64)}\n`,
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      env:\n        - name: ${JSON.stringify(name)}\n          value: ${q}\n`,
      ].join('---\n');
      const result = await scan({ files: [{ path: 'x.yaml', text }], rules });
      const out = JSON.stringify(result.findings);
      const needle = v.trim();
      if (needle.length >= 8) {
        assert.ok(!out.includes(JSON.stringify(needle).slice(1, -1)), 'a finding repeats the value');
        assert.ok(!out.includes(b64), 'a finding repeats the base64 of the value');
      }
    }),
    { numRuns: 150 },
  );
});

test('pathological values are inspected in bounded time', async () => {
  const big = [
    'A'.repeat(200_000),
    'a='.repeat(100_000),
    'password: ' + ' '.repeat(4000) + 'x',
    ('x'.repeat(30) + '://').repeat(5000),
    'postgres://' + ':'.repeat(50_000) + '@',
    '-----BEGIN PRIVATE KEY-----' + 'A'.repeat(100_000),
    ('KEY_' + 'A'.repeat(50)).repeat(3000),
    'eyJ' + 'a'.repeat(100_000) + '.eyJ' + 'b'.repeat(100_000),
  ];
  const start = performance.now();
  for (const v of big) {
    for (const name of ['DB_PASSWORD', 'config', 'app.properties']) {
      detectCredential({ name, value: v, tokens: [], ...(likelyBase64(v) ? { decoded: { text: likelyBase64(v)!, tokens: [] } } : {}) });
      shapeOf(v);
      credentialSettings(v);
    }
  }
  await detectKnownTokens(big.map((value) => ({ name: 'x', value })));
  assert.ok(performance.now() - start < 5000, `took ${Math.round(performance.now() - start)} ms`);
});
