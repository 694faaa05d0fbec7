/** Behaviour every ReviewQueue implementation must have (run against the in-process and the Redis queue). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  abortReason,
  type DropReason,
  type ReviewHandler,
  type ReviewJob,
  type ReviewQueue,
  type ReviewQueueOptions,
} from '../../../../src/app/queue/index.js';
import { waitFor } from './redis-server.js';

export type MakeQueue = (options: ReviewQueueOptions) => ReviewQueue;

let counter = 0;
export function job(coalesceKey: string, headSha = 'a'.repeat(40), data: Record<string, unknown> = {}): ReviewJob {
  counter += 1;
  return { id: `${process.pid}-${Date.now()}-${counter}-delivery`, coalesceKey, headSha, data };
}

/** A handler whose runs can be released one by one. */
export function gatedHandler() {
  const started: string[] = [];
  const finished: string[] = [];
  const aborted: { id: string; reason: string | undefined }[] = [];
  const gates = new Map<string, () => void>();
  let active = 0;
  let maxActive = 0;
  const handler: ReviewHandler = async (j, signal) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    started.push(j.id);
    try {
      await new Promise<void>((resolve) => {
        gates.set(j.id, resolve);
        signal.addEventListener('abort', () => {
          aborted.push({ id: j.id, reason: abortReason(signal)?.reason });
          resolve();
        });
      });
      if (!signal.aborted) finished.push(j.id);
    } finally {
      active -= 1;
    }
  };
  return {
    handler,
    started,
    finished,
    aborted,
    release: (id: string) => gates.get(id)?.(),
    releaseAll: () => [...gates.values()].forEach((g) => g()),
    get maxActive() {
      return maxActive;
    },
  };
}

export function queueContract(name: string, make: () => MakeQueue | undefined): void {
  const queues: ReviewQueue[] = [];
  const open = (options: ReviewQueueOptions): ReviewQueue => {
    const q = make()!(options);
    queues.push(q);
    return q;
  };
  const skip = () => (make() ? false : 'redis-server not available');

  test(`${name}: runs jobs with bounded concurrency`, { skip: skip() }, async (t) => {
    t.after(() => Promise.all(queues.map((q) => q.close())));
    const h = gatedHandler();
    const q = open({ handler: h.handler, concurrency: 3 });
    const jobs = Array.from({ length: 10 }, (_, i) => job(`o/r#${i}`));
    for (const j of jobs) await q.enqueue(j);
    await waitFor(() => h.started.length === 3, 10_000, '3 started');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(h.started.length, 3, 'no more than 3 at once');
    while (h.finished.length < 10) {
      h.releaseAll();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(h.maxActive, 3);
    assert.deepEqual([...h.finished].sort(), jobs.map((j) => j.id).sort());
  });

  test(`${name}: a newer job for the same key drops the queued older one`, { skip: skip() }, async (t) => {
    t.after(() => Promise.all(queues.map((q) => q.close())));
    const h = gatedHandler();
    const drops: { id: string; reason: DropReason }[] = [];
    const q = open({ handler: h.handler, concurrency: 1, onDropped: (j, reason) => void drops.push({ id: j.id, reason }) });
    const blocker = job('o/r#1');
    const older = job('o/r#2', 'b'.repeat(40));
    const newer = job('o/r#2', 'c'.repeat(40));
    await q.enqueue(blocker);
    await waitFor(() => h.started.includes(blocker.id), 10_000, 'blocker started');
    await q.enqueue(older);
    await q.enqueue(newer);
    h.release(blocker.id);
    await waitFor(() => h.started.includes(newer.id), 10_000, 'newer started');
    h.release(newer.id);
    await waitFor(() => h.finished.includes(newer.id), 10_000, 'newer finished');
    await waitFor(() => drops.length === 1, 10_000, 'older dropped');
    assert.ok(!h.started.includes(older.id), 'the superseded job never runs');
    assert.deepEqual(drops, [{ id: older.id, reason: 'superseded' }]);
  });

  test(`${name}: a newer job for the same key aborts the running older one`, { skip: skip() }, async (t) => {
    t.after(() => Promise.all(queues.map((q) => q.close())));
    const h = gatedHandler();
    const q = open({ handler: h.handler, concurrency: 2 });
    const older = job('o/r#3', 'b'.repeat(40));
    const newer = job('o/r#3', 'c'.repeat(40));
    await q.enqueue(older);
    await waitFor(() => h.started.includes(older.id), 10_000, 'older started');
    await q.enqueue(newer);
    await waitFor(() => h.aborted.some((a) => a.id === older.id), 10_000, 'older aborted');
    assert.deepEqual(h.aborted, [{ id: older.id, reason: 'superseded' }]);
    await waitFor(() => h.started.includes(newer.id), 10_000, 'newer started');
    h.release(newer.id);
    await waitFor(() => h.finished.includes(newer.id), 10_000, 'newer finished');
    assert.ok(!h.finished.includes(older.id));
  });

  test(`${name}: a redelivered job (same id) is not enqueued twice`, { skip: skip() }, async (t) => {
    t.after(() => Promise.all(queues.map((q) => q.close())));
    const runs: string[] = [];
    const q = open({ handler: async (j) => void runs.push(j.id), concurrency: 2 });
    const j = job('o/r#4');
    await q.enqueue(j);
    await q.enqueue({ ...j });
    await waitFor(() => runs.length === 1, 10_000, 'first run');
    await q.enqueue({ ...j }); // after completion too
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(runs, [j.id]);
  });

  test(`${name}: close() waits for running jobs and then refuses new ones`, { skip: skip() }, async () => {
    const h = gatedHandler();
    const q = open({ handler: h.handler, concurrency: 2 });
    const a = job('o/r#5');
    await q.enqueue(a);
    await waitFor(() => h.started.includes(a.id), 10_000, 'started');
    setTimeout(() => h.release(a.id), 150);
    const t0 = Date.now();
    await q.close();
    assert.ok(Date.now() - t0 >= 100, 'close waited for the running job');
    assert.deepEqual(h.finished, [a.id]);
    await assert.rejects(q.enqueue(job('o/r#6')), /closed/);
  });

  test(`${name}: close() aborts jobs still running after the drain timeout`, { skip: skip() }, async () => {
    const h = gatedHandler();
    const q = open({ handler: h.handler, concurrency: 1, closeTimeoutMs: 200 });
    const a = job('o/r#7');
    await q.enqueue(a);
    await waitFor(() => h.started.includes(a.id), 10_000, 'started');
    await q.close();
    assert.deepEqual(h.aborted, [{ id: a.id, reason: 'shutdown' }]);
  });
}
