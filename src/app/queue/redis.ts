import { Queue, Worker, WaitingError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  ReviewAbortedError,
  settlesWithin,
  errorRef,
  jobRef,
  silentLog,
  type DropReason,
  type NewerJob,
  type ReviewJob,
  type ReviewQueue,
  type ReviewQueueOptions,
} from './types.js';

/** Operators' overrides of the crash-detection timings (a crashed replica's review restarts after the lock expires). */
function envMs(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value >= 100 ? value : undefined;
}

interface Latest {
  id: string;
  headSha: string;
}

/** BullMQ rejects integer-looking ids and ids with `:`; GitHub delivery ids (UUIDs) pass unchanged. */
export function bullJobId(id: string): string {
  const safe = id.replaceAll(':', '_');
  return /^\d+$/.test(safe) || safe === '' ? `d-${safe}` : safe;
}

/** The BullMQ job id: the serial key (one job per head commit) when the job has one, else the delivery id. */
function queueId(job: ReviewJob): string {
  return job.serialKey ? bullJobId(`serial-${job.serialKey}`) : bullJobId(job.id);
}

/**
 * Durable queue shared by every replica (BullMQ on Redis):
 * - a job taken by a replica that dies is found stalled once its lock expires and runs again elsewhere;
 * - a handler that throws is retried with exponential backoff;
 * - coalescing: `<prefix>:latest:<coalesceKey>` holds the latest job; older jobs skip themselves when
 *   they start, and running ones are aborted (pub/sub, with polling as a fallback);
 * - deduplication: a delivery id is remembered (`<prefix>:delivery:<id>`, SET NX);
 * - one job per serial key (one head commit): the BullMQ job id is the serial key, so while a job for a
 *   commit is waiting or running on any replica, another delivery for that commit adds nothing (that
 *   job reviews the commit). Finished jobs are removed at once, so a later re-run is queued again.
 */
export function createRedisQueue(options: ReviewQueueOptions & { redisUrl: string }): ReviewQueue {
  const log = options.log ?? silentLog;
  const r = options.redis ?? {};
  const prefix = r.prefix ?? 'keyref';
  const queueName = r.queueName ?? 'keyref-reviews';
  const attempts = r.attempts ?? 3;
  const pollMs = r.pollMs ?? 5_000;
  const dedupeTtl = r.dedupeTtlSeconds ?? 24 * 3600;
  const closeTimeoutMs = options.closeTimeoutMs ?? 25_000;
  const latestKey = (key: string) => `${prefix}:latest:${key}`;
  const deliveryKey = (id: string) => `${prefix}:delivery:${id}`;
  const channel = `${prefix}:superseded:${queueName}`;

  // Commands from enqueue fail fast when Redis is down (the webhook answers 500) instead of hanging.
  const commands = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  for (const c of [commands, workerConnection, subscriber]) {
    c.on('error', (err) => log.warn(errorRef(err), 'redis connection error'));
  }

  const queue = new Queue<ReviewJob>(queueName, {
    connection: commands,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: r.backoffMs ?? 2_000 },
      // Removed when finished: the job id (the head commit) must be free for the next re-run.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  queue.on('error', (err) => log.warn(errorRef(err), 'queue error'));

  const running = new Map<string, { job: ReviewJob; controller: AbortController }>();
  let closing: Promise<void> | undefined;

  async function getLatest(key: string): Promise<Latest | undefined> {
    const raw = await commands.get(latestKey(key));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as Latest;
    } catch {
      return undefined;
    }
  }

  function abortIfSuperseded(key: string, latest: Latest): void {
    for (const [id, run] of running) {
      if (run.job.coalesceKey === key && id !== latest.id && !run.controller.signal.aborted) {
        log.info({ ...jobRef(run.job), by: latest.id }, 'aborting superseded review');
        run.controller.abort(new ReviewAbortedError('superseded', false, { jobId: latest.id, headSha: latest.headSha }));
      }
    }
  }

  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const { key, id, headSha } = JSON.parse(message) as { key: string; id: string; headSha: string };
      abortIfSuperseded(key, { id, headSha });
    } catch {
      /* ignore malformed messages */
    }
  });
  void subscriber.subscribe(channel).catch((err: unknown) => log.warn(errorRef(err), 'subscribe failed'));

  async function dropped(job: ReviewJob, reason: DropReason, by?: NewerJob): Promise<void> {
    log.info({ ...jobRef(job), reason }, 'review dropped');
    try {
      await options.onDropped?.(job, reason, by);
    } catch (err) {
      log.error({ ...jobRef(job), ...errorRef(err) }, 'onDropped failed');
    }
  }

  async function processJob(bullJob: Job<ReviewJob>, token?: string): Promise<void> {
    const job = bullJob.data;
    const id = queueId(job);
    const current = await getLatest(job.coalesceKey);
    if (current && current.id !== id) {
      await dropped(job, 'superseded', { jobId: current.id, headSha: current.headSha });
      return;
    }
    const controller = new AbortController();
    running.set(id, { job, controller });
    const poll = setInterval(() => {
      getLatest(job.coalesceKey)
        .then((l) => l && abortIfSuperseded(job.coalesceKey, l))
        .catch(() => {});
    }, pollMs);
    poll.unref();
    try {
      if (bullJob.attemptsMade > 0 || (bullJob.stalledCounter ?? 0) > 0) {
        log.info({ ...jobRef(job), attempt: bullJob.attemptsMade + 1 }, 'retrying review');
      }
      await options.handler(job, controller.signal);
    } catch (err) {
      const reason = controller.signal.reason;
      if (!(reason instanceof ReviewAbortedError)) throw err; // BullMQ retries it (attempts/backoff)
    } finally {
      clearInterval(poll);
      running.delete(id);
    }
    const reason = controller.signal.reason;
    if (reason instanceof ReviewAbortedError && reason.reason === 'shutdown') {
      // Hand the job back: another replica (or this one after restart) runs it from the start.
      await bullJob.moveToWait(token);
      throw new WaitingError();
    }
  }

  const worker = new Worker<ReviewJob>(queueName, processJob, {
    connection: workerConnection,
    prefix,
    concurrency: Math.max(1, options.concurrency ?? 4),
    lockDuration: r.lockDurationMs ?? envMs('KEYREF_QUEUE_LOCK_MS') ?? 30_000,
    stalledInterval: r.stalledIntervalMs ?? envMs('KEYREF_QUEUE_STALLED_MS') ?? 15_000,
    maxStalledCount: 2,
  });
  worker.on('error', (err) => log.warn(errorRef(err), 'worker error'));
  worker.on('failed', (bullJob, err) => {
    if (!bullJob || err instanceof WaitingError || err?.name === 'WaitingError') return;
    const finalFailure = bullJob.attemptsMade >= (bullJob.opts.attempts ?? 1) || /stalled/i.test(err?.message ?? '');
    log.warn({ ...jobRef(bullJob.data), attempt: bullJob.attemptsMade, ...errorRef(err), final: finalFailure }, 'review attempt failed');
    if (finalFailure) void dropped(bullJob.data, 'failed');
  });

  return {
    async enqueue(job) {
      if (closing) throw new Error('review queue is closed');
      const fresh = await commands.set(deliveryKey(job.id), '1', 'EX', dedupeTtl, 'NX');
      if (fresh !== 'OK') {
        log.info(jobRef(job), 'duplicate delivery ignored');
        return;
      }
      try {
        const id = queueId(job);
        const latest: Latest = { id, headSha: job.headSha };
        await commands.set(latestKey(job.coalesceKey), JSON.stringify(latest), 'EX', 7 * 24 * 3600);
        // A job already waiting or running for this serial key (the same commit) makes this a no-op.
        await queue.add('review', job, { jobId: id });
        await commands.publish(channel, JSON.stringify({ key: job.coalesceKey, id, headSha: job.headSha }));
      } catch (err) {
        // Let a redelivery enqueue it again.
        await commands.del(deliveryKey(job.id)).catch(() => {});
        throw err;
      }
    },

    close() {
      closing ??= (async () => {
        const graceful = worker.close();
        const finished = await settlesWithin(graceful, closeTimeoutMs);
        if (!finished) {
          log.warn({ running: running.size }, 'drain timeout: handing running reviews back to the queue');
          for (const run of running.values()) run.controller.abort(new ReviewAbortedError('shutdown', true));
          const handedBack = await settlesWithin(graceful, Math.min(5_000, closeTimeoutMs));
          if (!handedBack) await worker.close(true).catch(() => {});
        }
        await queue.close().catch(() => {});
        subscriber.disconnect();
        await Promise.allSettled([commands.quit(), workerConnection.quit()]);
      })();
      return closing;
    },
  };
}
