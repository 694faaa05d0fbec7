import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { claimFiles } from '../../src/runner/protocol.js';

/**
 * The engine's worker and the parse helper receive the same batches, each at its own pace, and claim files
 * on one shared counter. Whatever the interleaving, every file is parsed exactly once, each side parses
 * only files it has received, and neither is left holding a claim once it has received every batch.
 */
test('claimFiles: any interleaving of batch arrivals and claims parses every file exactly once', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.boolean(), { minLength: 0, maxLength: 60 }),
      (batchSizes, schedule) => {
        const claims = new Int32Array(new SharedArrayBuffer(4));
        const sides = [0, 1].map(() => ({ batches: 0, available: 0, ahead: [] as number[], parsed: [] as number[] }));
        const total = batchSizes.reduce((a, b) => a + b, 0);
        const receive = (side: (typeof sides)[number]) => {
          side.available += batchSizes[side.batches]!;
          side.batches++;
          for (const i of claimFiles(claims, side.available, side.ahead)) {
            assert.ok(i < side.available, `claimed file ${i} before it arrived`);
            side.parsed.push(i);
          }
        };
        // The schedule says which side receives its next batch; then both receive what is left.
        for (const which of schedule) {
          const side = sides[which ? 1 : 0]!;
          if (side.batches < batchSizes.length) receive(side);
        }
        for (const side of sides) while (side.batches < batchSizes.length) receive(side);
        const all = [...sides[0]!.parsed, ...sides[1]!.parsed].sort((a, b) => a - b);
        assert.deepEqual(all, Array.from({ length: total }, (_, i) => i));
        for (const side of sides) assert.deepEqual(side.ahead, []);
      },
    ),
  );
});
