import pLimit from 'p-limit';
import { LRUCache } from 'lru-cache';
import { createKeyedLock } from './keyed-lock.js';
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

interface Running {
  readonly job: ReviewJob;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * The default queue: in this process, bounded concurrency, coalescing by key, deduplication by id, and
 * jobs of one serial key (one head commit) run one after another, their onDropped calls included, so
 * the second finds the check run the first made. Nothing survives a restart (queued jobs are reported
 * through onDropped at close()).
 */
export function createMemoryQueue(options: ReviewQueueOptions): ReviewQueue {
  const log = options.log ?? silentLog;
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const closeTimeoutMs = options.closeTimeoutMs ?? 25_000;
  /** Job ids seen recently (queued, running or done): a redelivered webhook is ignored. */
  const seen = new LRUCache<string, true>({ max: 10_000, ttl: 24 * 3600 * 1000 });
  /** coalesceKey -> id of the latest job enqueued for it. */
  const latest = new Map<string, string>();
  const queued = new Map<string, ReviewJob>();
  const running = new Map<string, Running>();
  let closing: Promise<void> | undefined;
  const serially = createKeyedLock();

  async function dropped(job: ReviewJob, reason: DropReason, by?: NewerJob): Promise<void> {
    log.info({ ...jobRef(job), reason }, 'review dropped');
    try {
      await serially(job.serialKey, async () => options.onDropped?.(job, reason, by));
    } catch (err) {
      log.error({ ...jobRef(job), ...errorRef(err) }, 'onDropped failed');
    }
  }

  async function run(id: string): Promise<void> {
    const job = queued.get(id);
    if (!job) return; // superseded or dropped at shutdown while waiting
    queued.delete(id);
    const controller = new AbortController();
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    running.set(id, { job, controller, done });
    try {
      await serially(job.serialKey, () => options.handler(job, controller.signal));
    } catch (err) {
      if (controller.signal.aborted) log.info({ ...jobRef(job), ...errorRef(err) }, 'aborted review ended');
      else log.error({ ...jobRef(job), ...errorRef(err) }, 'review failed');
    } finally {
      running.delete(id);
      if (latest.get(job.coalesceKey) === id) latest.delete(job.coalesceKey);
      settle();
    }
  }

  return {
    async enqueue(job) {
      if (closing) throw new Error('review queue is closed');
      if (seen.has(job.id)) {
        log.info(jobRef(job), 'duplicate delivery ignored');
        return;
      }
      seen.set(job.id, true);
      const previous = latest.get(job.coalesceKey);
      latest.set(job.coalesceKey, job.id);
      if (previous !== undefined) {
        const by: NewerJob = { jobId: job.id, headSha: job.headSha };
        const waiting = queued.get(previous);
        if (waiting) {
          queued.delete(previous);
          void dropped(waiting, 'superseded', by);
        }
        const active = running.get(previous);
        if (active) {
          log.info({ ...jobRef(active.job), by: job.id }, 'aborting superseded review');
          active.controller.abort(new ReviewAbortedError('superseded', false, by));
        }
      }
      queued.set(job.id, job);
      void limit(() => run(job.id));
    },

    close() {
      closing ??= (async () => {
        limit.clearQueue();
        const left = [...queued.values()];
        queued.clear();
        await Promise.all(left.map((job) => dropped(job, 'shutdown')));
        const all = () => Promise.all([...running.values()].map((r) => r.done));
        const finished = await settlesWithin(all(), closeTimeoutMs);
        if (!finished) {
          log.warn({ running: running.size }, 'drain timeout: aborting running reviews');
          for (const r of running.values()) r.controller.abort(new ReviewAbortedError('shutdown', false));
          // Give aborted handlers a moment to complete their check runs.
          await settlesWithin(all(), Math.min(5_000, closeTimeoutMs));
        }
      })();
      return closing;
    },
  };
}
