import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createReviewQueue, type DropReason, type ReviewQueueOptions } from '../../../src/app/queue/index.js';
import { gatedHandler, job, queueContract } from './helpers/contract.js';
import { NO_REDIS_MESSAGE, redisServerBinary, startRedis, waitFor, type TestRedis } from './helpers/redis-server.js';

let redis: TestRedis | undefined;
let n = 0;
const available = redisServerBinary() !== undefined;
if (!available) console.log(`# ${NO_REDIS_MESSAGE}`);

before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

/** Every queue gets its own prefix so tests never see each other's jobs. */
function redisQueue(options: ReviewQueueOptions, prefix = `t${process.pid}x${++n}`) {
  return createReviewQueue({
    ...options,
    redisUrl: redis!.url,
    redis: { prefix, lockDurationMs: 1_000, stalledIntervalMs: 500, pollMs: 200, backoffMs: 50, ...options.redis },
  });
}

queueContract('Redis queue', () => (available ? redisQueue : undefined));

test('Redis queue: two replicas share the queue and the concurrency bound applies per replica', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  const prefix = `shared${++n}`;
  const h = gatedHandler();
  const a = redisQueue({ handler: h.handler, concurrency: 2 }, prefix);
  const b = redisQueue({ handler: h.handler, concurrency: 2 }, prefix);
  const jobs = Array.from({ length: 12 }, (_, i) => job(`s/r#${i}`));
  for (const [i, j] of jobs.entries()) await (i % 2 ? a : b).enqueue(j);
  await waitFor(() => h.started.length === 4, 10_000, '4 started');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(h.started.length, 4, '2 per replica');
  while (h.finished.length < jobs.length) {
    h.releaseAll();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(h.maxActive, 4);
  await Promise.all([a.close(), b.close()]);
});

test('Redis queue: a redelivery seen by another replica is not enqueued twice', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  const prefix = `dedupe${++n}`;
  const runs: string[] = [];
  const handler = async (j: { id: string }) => void runs.push(j.id);
  const a = redisQueue({ handler, concurrency: 1 }, prefix);
  const b = redisQueue({ handler, concurrency: 1 }, prefix);
  const j = job('d/r#1');
  await a.enqueue(j);
  await b.enqueue({ ...j });
  await waitFor(() => runs.length === 1);
  await b.enqueue({ ...j });
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(runs, [j.id]);
  await Promise.all([a.close(), b.close()]);
});

test('Redis queue: a job whose replica dies mid-review is completed by another replica', { skip: !available && NO_REDIS_MESSAGE, timeout: 60_000 }, async () => {
  const prefix = `crash${++n}`;
  const j = job('c/r#1');
  const fixture = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));
  // The doomed replica is the only one running: it enqueues the job and takes it.
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, redis!.url, prefix, JSON.stringify(j)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitFor(() => out.includes(`started ${j.id}`), 30_000, 'crash worker took the job');
  } finally {
    child.kill('SIGKILL');
  }
  await exited;
  const done: string[] = [];
  const survivor = redisQueue({ handler: async (x) => void done.push(x.id), concurrency: 1 }, prefix);
  await waitFor(() => done.length === 1, 20_000, 'stalled job retried by the surviving replica');
  assert.deepEqual(done, [j.id]);
  await survivor.close();
});

test('Redis queue: close() after the drain timeout hands the running job back to another replica', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  const prefix = `handback${++n}`;
  const h1 = gatedHandler();
  const a = redisQueue({ handler: h1.handler, concurrency: 1, closeTimeoutMs: 200 }, prefix);
  const j = job('h/r#1');
  await a.enqueue(j);
  await waitFor(() => h1.started.includes(j.id));
  await a.close();
  assert.deepEqual(h1.aborted, [{ id: j.id, reason: 'shutdown' }]);
  const done: string[] = [];
  const b = redisQueue({ handler: async (x) => void done.push(x.id), concurrency: 1 }, prefix);
  await waitFor(() => done.length === 1, 10_000, 'handed-back job completed');
  assert.deepEqual(done, [j.id]);
  await b.close();
});

test('Redis queue: a job that keeps failing is retried, then reported as failed', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  let attempts = 0;
  const drops: { id: string; reason: DropReason }[] = [];
  const q = redisQueue({
    concurrency: 1,
    handler: async () => {
      attempts += 1;
      throw new Error('GitHub is down');
    },
    onDropped: (x, reason) => void drops.push({ id: x.id, reason }),
    redis: { attempts: 3 },
  });
  const j = job('f/r#1');
  await q.enqueue(j);
  await waitFor(() => drops.length === 1, 10_000, 'final failure');
  assert.equal(attempts, 3);
  assert.deepEqual(drops, [{ id: j.id, reason: 'failed' }]);
  await q.close();
});

test('Redis queue: the coalescing record holds only the job id and head SHA', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  const prefix = `keys${++n}`;
  const q = redisQueue({ handler: async () => {}, concurrency: 1 }, prefix);
  const j = job('k/r#1', 'd'.repeat(40), { token: 'not-a-real-secret' });
  await q.enqueue(j);
  const client = new Redis(redis!.url);
  const latest = await client.get(`${prefix}:latest:k/r#1`);
  assert.deepEqual(JSON.parse(latest!), { id: j.id, headSha: 'd'.repeat(40) });
  await client.quit();
  await q.close();
});

test('Redis queue: jobs of one serial key (one head commit) never run at once on any replica; a later one runs again', { skip: !available && NO_REDIS_MESSAGE }, async () => {
  const prefix = `serial${++n}`;
  let active = 0;
  let maxActive = 0;
  const runs: string[] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const handler = async (j: { id: string }) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    runs.push(j.id);
    await gate;
    active -= 1;
  };
  const a = redisQueue({ handler, concurrency: 4 }, prefix);
  const b = redisQueue({ handler, concurrency: 4 }, prefix);
  // Different coalesce keys (nothing supersedes anything), one serial key.
  const jobs = Array.from({ length: 40 }, (_, i) => ({ ...job(`o/r#${i}`), serialKey: 'o/r@' + 'a'.repeat(40) }));
  await Promise.all(jobs.map((j, i) => (i % 2 ? a : b).enqueue(j)));
  await waitFor(() => runs.length === 1, 10_000, 'one job started');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(runs.length, 1, 'the others for that commit added nothing while it waited or ran');
  release();
  await waitFor(() => active === 0, 10_000, 'finished');
  gate = Promise.resolve();
  await a.enqueue({ ...job('o/r#99'), serialKey: 'o/r@' + 'a'.repeat(40) });
  await waitFor(() => runs.length === 2, 10_000, 'a later job for the commit runs again');
  assert.equal(maxActive, 1);
  await Promise.all([a.close(), b.close()]);
});
