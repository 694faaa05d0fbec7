// The base scan cache: a re-push to the same pull request (same base files, same configuration) scans
// the head only, and the review is the same as without the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { review, type ReviewInput } from '../../src/engine/review.js';
import { baseKey, withBaseScanCache } from '../../src/app/review/base-scan-cache.js';
import { loadFixture } from './helpers.js';

const base = loadFixture('removed-key', 'base');
const head = loadFixture('removed-key', 'head');

test('the next push reuses the base findings; the result equals an uncached review', async () => {
  const inputs: ReviewInput[] = [];
  const engine = withBaseScanCache(async (input) => {
    inputs.push(input);
    return review(input);
  });
  const first = await engine({ base, head });
  // A next push: another head, same base.
  const head2 = head.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n# touched\n` } : f));
  const second = await engine({ base, head: head2 });
  assert.equal(inputs[0]?.baseFindings, undefined, 'first review scans the base');
  assert.ok(inputs[1]?.baseFindings, 'second review is handed the base findings');
  assert.deepEqual(engine.stats, { hits: 1, misses: 1 });
  const uncached = await review({ base, head: head2 });
  assert.deepEqual(second.findings, uncached.findings);
  assert.deepEqual(second.fixed, uncached.fixed);
  assert.deepEqual(first.findings, (await review({ base, head })).findings);
  assert.ok(first.findings.some((f) => f.introduced), 'the fixture has an introduced finding, or this proves little');
});

test('another base text or another configuration is another key', async () => {
  const k = baseKey({ base });
  assert.equal(baseKey({ base: base.map((f) => ({ ...f })) }), k);
  assert.notEqual(baseKey({ base: base.map((f, i) => (i === 0 ? { ...f, text: `${f.text} ` } : f)) }), k);
  assert.notEqual(baseKey({ base: base.map((f, i) => (i === 0 ? { ...f, path: `x/${f.path}` } : f)) }), k);
  assert.notEqual(baseKey({ base, config: { rules: {} } as never }), k);
});
