import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeInvalidKey, isDataKey, keyList, keyText, quotedKey } from '../../src/engine/key-names.js';

test('valid data keys are quoted; anything else is described by its length', () => {
  assert.equal(keyText('DB_PASSWORD'), 'key "DB_PASSWORD"');
  assert.equal(quotedKey('tls.crt', '`'), '`tls.crt`');
  assert.equal(keyText('API_PASSWORD: hunter2'), 'a key that is not a valid data key (21 characters)');
  assert.equal(describeInvalidKey('é'), 'a key that is not a valid data key (1 character)');
  assert.equal(isDataKey('a'.repeat(253)), true);
  assert.equal(isDataKey('a'.repeat(254)), false);
  assert.equal(isDataKey(''), false);
  assert.equal(keyList(['a', 'b', 'x y', 'p q'], 8, 'and'), '"a", "b" and 2 keys that are not valid data keys');
  assert.equal(keyList(['a', 'b', 'c'], 2, 'and'), '"a", "b" and 1 more');
  assert.equal(keyList(['x y']), 'a key that is not a valid data key');
});

test('property: nothing of an invalid key is printed (a value after `:`, a space, any character outside the data-key set)', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9]{8,20}$/);
  const separator = fc.constantFrom(': ', ' ', ':', '\t', '/', '=', 'é', '\n');
  fc.assert(
    fc.property(token, separator, token, fc.array(token, { maxLength: 3 }), (name, sep, value, others) => {
      // The other keys are valid and printed: one that happens to spell the value is not the value leaking
      // (fast-check tries such collisions, e.g. `toString` in both).
      fc.pre(!others.some((o) => o.includes(value)));
      const key = `${name}${sep}${value}`;
      assert.equal(isDataKey(key), false);
      for (const out of [keyText(key), quotedKey(key), quotedKey(key, '`'), keyList([key, ...others], 8, 'and')]) {
        assert.ok(!out.includes(value), out);
      }
    }),
  );
});
