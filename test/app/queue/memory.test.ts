import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReviewQueue, type DropReason } from '../../../src/app/queue/index.js';
import { gatedHandler, job, queueContract } from './helpers/contract.js';
import { waitFor } from './helpers/redis-server.js';

queueContract('in-process queue', () => (options) => createReviewQueue(options));

test('in-process queue: jobs still queued at close() are reported as dropped for shutdown', async () => {
  const h = gatedHandler();
  const drops: { id: string; reason: DropReason }[] = [];
  const q = createReviewQueue({ handler: h.handler, concurrency: 1, onDropped: (j, reason) => void drops.push({ id: j.id, reason }) });
  const a = job('x#1');
  const b = job('x#2');
  await q.enqueue(a);
  await q.enqueue(b);
  await waitFor(() => h.started.includes(a.id));
  setTimeout(() => h.release(a.id), 50);
  await q.close();
  assert.deepEqual(h.started, [a.id]);
  assert.deepEqual(drops, [{ id: b.id, reason: 'shutdown' }]);
});

test('in-process queue: enqueue returns before the review runs; a throwing handler does not break the queue', async () => {
  const errors: unknown[] = [];
  let runs = 0;
  const q = createReviewQueue({
    concurrency: 1,
    handler: async () => {
      runs += 1;
      throw new Error('boom');
    },
    log: { info() {}, warn() {}, error: (...a) => void errors.push(a) },
  });
  await q.enqueue(job('y#1'));
  assert.equal(runs, 0, 'enqueue does not wait for the handler');
  await q.enqueue(job('y#2'));
  await waitFor(() => runs === 2 && errors.length === 2);
  await q.close();
});
