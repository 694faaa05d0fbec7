import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wantsParseHelper } from '../../src/cli/engine.js';

test('the parse helper runs only with a core to spare; KEYREF_PARSE_HELPER decides when set', () => {
  assert.equal(wantsParseHelper({}, 1, 0), false, 'one core');
  assert.equal(wantsParseHelper({}, 2, 0.3), true, 'two cores, quiet');
  assert.equal(wantsParseHelper({}, 2, 1.0), true, 'two cores, one busy');
  assert.equal(wantsParseHelper({}, 2, 2.5), false, 'two cores, both busy: the helper would only add CPU');
  assert.equal(wantsParseHelper({}, 8, 5), true);
  assert.equal(wantsParseHelper({ KEYREF_PARSE_HELPER: '0' }, 8, 0), false);
  assert.equal(wantsParseHelper({ KEYREF_PARSE_HELPER: '1' }, 1, 9), true);
});
