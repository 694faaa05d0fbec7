import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fingerprintOf } from '../../src/engine/fingerprint.js';

test('fingerprints are stable across releases: SHA-256 of the NUL-joined parts, 20 hex digits', () => {
  // Pinned: review comments and check-run markers of earlier pushes carry these values.
  const parts = ['missing-key', 'k8s/app.yaml', 'Deployment', 'prod', 'web', 'app', 'DB_HOST'] as const;
  const expected = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 20);
  assert.equal(fingerprintOf(parts[0], parts[1], parts.slice(2)), expected);
  assert.equal(expected, '4163c3d72613ca674456');
});

test('fingerprints separate their parts: moving a boundary changes the value', () => {
  assert.notEqual(fingerprintOf('r', 'a', ['bc']), fingerprintOf('r', 'a', ['b', 'c']));
  assert.notEqual(fingerprintOf('r', 'a', []), fingerprintOf('r', 'a', ['']));
});
