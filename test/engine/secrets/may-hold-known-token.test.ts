import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mayHoldKnownToken } from '../../../src/engine/secrets/secretlint.js';

/** The prefilter's definition, written with regular expressions: the scanner must agree with it. */
function reference(value: string): boolean {
  if (value.length < 16) return false;
  if (value.includes('PRIVATE KEY') || value.includes('eyJ')) return true;
  for (const m of value.matchAll(/[A-Za-z0-9_\-+/=]{16,}/g)) {
    if (/[A-Z]/.test(m[0]) || (m[0].match(/[0-9]/g) ?? []).length >= 6) return true;
  }
  return false;
}

test('mayHoldKnownToken agrees with its regular-expression definition', () => {
  const chars = fc.constantFrom(...'aZ09_-+/=.: \n\tëxQ7'.split(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 80 }), fc.string({ maxLength: 80 })), (value) => {
      assert.equal(mayHoldKnownToken(value), reference(value), JSON.stringify(value));
    }),
    { numRuns: 2000 },
  );
});

test('mayHoldKnownToken: examples', () => {
  assert.equal(mayHoldKnownToken('ghp_' + 'A'.repeat(20)), true);
  assert.equal(mayHoldKnownToken('abcdefghijklmnop123456'), true);
  assert.equal(mayHoldKnownToken('abcdefghijklmnopqrstu'), false);
  assert.equal(mayHoldKnownToken('https://example.com/some/path/here'), false);
});

test('detectKnownTokens: identical inputs are linted once and get the same tokens; others are unaffected', async () => {
  const { detectKnownTokens } = await import('../../../src/engine/secrets/secretlint.js');
  const token = 'ghp_' + 'k3Rq9ZpL2mWv8XcT5nYb7HsJ4dFg6AeQ1uVo'; // GitHub token shape, not a real token
  const found = await detectKnownTokens([
    { name: 'GITHUB_TOKEN', value: token },
    { name: 'HOST', value: 'db.internal.example' },
    { name: 'GITHUB_TOKEN', value: token },
    { name: 'long', value: `${'plain line of configuration\n'.repeat(200)}token: ${token}\n` },
  ]);
  assert.deepEqual(found.map((list) => list.map((t) => t.kind)), [['a GitHub token'], [], ['a GitHub token'], ['a GitHub token']]);
  assert.notEqual(found[0], found[2], 'each input gets its own list');
});

test('mayBeLinted: a value it rejects gets no known token, and leaving it out changes no other input', async () => {
  const { detectKnownTokens, mayBeLinted } = await import('../../../src/engine/secrets/secretlint.js');
  const token = 'ghp_' + 'k3Rq9ZpL2mWv8XcT5nYb7HsJ4dFg6AeQ1uVo'; // GitHub token shape, not a real token
  const short = ['ghp_k3Rq9ZpL2mW', 'AKIA0123456789A', '', 'x'];
  const long = `token: ${token}\n${'a'.repeat(64 * 1024)}`;
  for (const value of [...short, long]) assert.equal(mayBeLinted(value), false, `${value.length} characters`);
  assert.equal(mayBeLinted(token), true);
  const kept = [{ name: 'GITHUB_TOKEN', value: token }, { name: 'HOST', value: 'db.internal.example.org' }];
  const all = [...short.map((value) => ({ name: 'TOKEN', value })), ...kept, { name: 'TOKEN', value: long }];
  const withAll = await detectKnownTokens(all);
  const withKept = await detectKnownTokens(kept);
  assert.deepEqual(withAll.map((list) => list.length), [0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(withAll.slice(short.length, short.length + kept.length), withKept);
  // Short values: nothing in them can reach the linter (the prefilter needs 16 characters).
  fc.assert(fc.property(fc.string({ maxLength: 15 }), (value) => !mayBeLinted(value) && !mayHoldKnownToken(value)));
});
