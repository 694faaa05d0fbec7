/**
 * Hostile values complete. A pull request chooses every value keyref reads: a CA bundle of ~40
 * certificates followed by a comment made the old PEM regex backtrack exponentially (minutes), and a
 * 1 MB one-line value made quadratic regexes run for minutes. These tests assert on outcomes only;
 * the per-test timeout is a hang guard (a regression fails instead of blocking the suite), not a speed goal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../../src/engine/index.js';
import type { Finding } from '../../../src/engine/model.js';
import { isOnlyPublicPem, pemBlocks } from '../../../src/engine/secrets/pem.js';
import { hasPrivateKey } from '../../../src/engine/secrets/detect.js';
import { isPemPlaceholder } from '../../../src/engine/secrets/values.js';
import { FAKE } from './helpers.js';

const HANG_GUARD = { timeout: 120_000 };

/** A certificate-shaped PEM block (fake base64 body, 20 lines of 64 characters). */
function certificate(i: number): string {
  const line = (n: number) => Buffer.from(`certificate ${i} line ${n} `.repeat(4)).toString('base64').slice(0, 64);
  return ['-----BEGIN CERTIFICATE-----', ...Array.from({ length: 20 }, (_, n) => line(n)), '-----END CERTIFICATE-----'].join('\n');
}

const bundle = (n: number) => Array.from({ length: n }, (_, i) => certificate(i)).join('\n');

function secretWith(key: string, value: string): string {
  const indented = value.split('\n').map((l) => `    ${l}`).join('\n');
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bundle\nstringData:\n  ${key}: |-\n${indented}\n`;
}

const plaintext = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === 'plaintext-secret');

test('a chain of 40 certificates followed by another line completes, reported as a value that is not a credential', HANG_GUARD, async () => {
  const result = await scan({ files: [{ path: 'ca.yaml', text: secretWith('ca.crt', `${bundle(40)}\n# end of bundle`) }] });
  const found = plaintext(result.findings);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'notice');
});

test('a bundle of only certificates is public material; one holding a private key is not', HANG_GUARD, async () => {
  assert.equal(isOnlyPublicPem(bundle(40)), true);
  assert.equal(isOnlyPublicPem(`\n  ${bundle(3)}\n\n`), true);
  assert.equal(isOnlyPublicPem(`${bundle(40)}\n# end`), false);
  assert.equal(isOnlyPublicPem(`${bundle(2)}\n${FAKE.pem}`), false);
  assert.equal(isOnlyPublicPem('-----BEGIN CERTIFICATE-----\nabc\n-----END PRIVATE KEY-----'), false);
  assert.equal(isOnlyPublicPem('no pem at all'), false);
  // A certificate followed by its private key (a tls bundle) is a credential, not public material.
  const result = await scan({ files: [{ path: 'tls.yaml', text: secretWith('bundle.pem', `${bundle(1)}\n${FAKE.pem}`) }] });
  assert.equal(plaintext(result.findings)[0]?.severity, 'error');
});

test('PEM reading is linear: thousands of unterminated BEGIN lines', HANG_GUARD, () => {
  const text = '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(50_000);
  assert.deepEqual(pemBlocks(text), []);
  assert.equal(hasPrivateKey(text), false);
  assert.equal(isPemPlaceholder(text), false);
  const labels = '-----BEGIN CERTIFICATE REQUEST '.repeat(40_000);
  assert.deepEqual(pemBlocks(labels), []);
  // A wanted block after an unwanted, unterminated BEGIN is still found.
  assert.deepEqual(pemBlocks(`-----BEGIN CERTIFICATE-----\nx\n${FAKE.pem}`, (l) => l.endsWith('PRIVATE KEY')).map((b) => b.label).length, 1);
});

/** One-line values of 1 MB, each shaped to defeat a regex keyref used to run on values. */
const ONE_MB = 1 << 20;
const fill = (unit: string) => unit.repeat(Math.ceil(ONE_MB / unit.length)).slice(0, ONE_MB);
const HOSTILE_LINES: Record<string, string> = {
  letters: fill('a'),
  'upper-case run': fill('A'),
  'underscores and caps': fill('_A'),
  'template openers': fill('#{'),
  'argocd-vault-plugin openers': fill('<path:'),
  'angle openers': fill('<'),
  'jwt starts': fill('-eyJ'),
  'suppress directives': `${fill('\t#keyref-ignore\t')}\u2028`,
  'url schemes': fill('a+a://:'),
  'pem begins': fill('-----BEGIN X-----'),
};

for (const [name, value] of Object.entries(HOSTILE_LINES)) {
  test(`a 1 MB one-line value completes: ${name}`, HANG_GUARD, async () => {
    const quoted = JSON.stringify(value);
    const files = [
      { path: 'secret.yaml', text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  API_TOKEN: ${quoted}\n` },
      { path: 'data.yaml', text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: d\ndata:\n  blob: ${Buffer.from(value).toString('base64')}\n` },
      { path: 'config.yaml', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  SETTINGS: ${quoted}\n` },
      {
        path: 'deploy.yaml',
        text: [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: web}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: web',
          '          env:',
          `            - {name: DB_PASSWORD, value: ${quoted}}`,
          `            - name: X`,
          `              valueFrom: {secretKeyRef: {name: ${quoted}, key: k}}`,
          '',
        ].join('\n'),
      },
    ];
    const result = await scan({ files });
    // Completed, and the values were read (not skipped): the Secrets are reported.
    assert.deepEqual(
      plaintext(result.findings).map((f) => f.path).sort(),
      ['data.yaml', 'secret.yaml'],
    );
  });
}
