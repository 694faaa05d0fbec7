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

test('in-process queue: jobs of one serial key run one after another (different coalesce keys)', async () => {
  let active = 0;
  let maxActive = 0;
  const order: string[] = [];
  const handler = async (j: { id: string }) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    order.push(`start ${j.id}`);
    await new Promise((r) => setTimeout(r, 5));
    order.push(`end ${j.id}`);
    active -= 1;
  };
  const q = createReviewQueue({ handler, concurrency: 4 });
  const serialKey = 'o/r@' + 'b'.repeat(40);
  const jobs = Array.from({ length: 8 }, (_, i) => ({ ...job(`o/r@commit-${i}`), serialKey }));
  await Promise.all(jobs.map((j) => q.enqueue(j)));
  await waitFor(() => order.length === 16, 10_000, 'all ran');
  await q.close();
  assert.equal(maxActive, 1);
  assert.equal(order.length, 16);
  for (let i = 0; i < order.length; i += 2) assert.equal(order[i]!.replace('start', 'end'), order[i + 1]);
});
