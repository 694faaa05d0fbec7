/** A review to run. Everything in it must be JSON-serializable (it is stored in Redis when REDIS_URL is set). */
export interface ReviewJob {
  /** Unique id; the webhook delivery id, so a redelivered webhook is not enqueued twice. */
  id: string;
  /** Reviews with the same key supersede each other (e.g. `owner/repo#123`): only the latest one runs. */
  coalesceKey: string;
  /** The head commit this review is for (logged; the latest job per coalesceKey wins). */
  headSha: string;
  /**
   * Jobs with the same serial key never run at the same time, on any replica (e.g. `owner/repo@<head sha>`:
   * one check run per commit, whatever the delivery pattern). In-process: a keyed lock around the handler
   * and onDropped. With Redis: the BullMQ job id, so at most one job per key is waiting or running.
   */
  serialKey?: string;
  data: Record<string, unknown>;
}

/**
 * Runs one review. `signal` is aborted when a newer job with the same coalesceKey arrives
 * (`reason` = ReviewAbortedError with reason `superseded`) or when the process shuts down and the
 * drain timeout has passed (`shutdown`). Read `abortReason(signal)` to tell them apart.
 */
export type ReviewHandler = (job: ReviewJob, signal: AbortSignal) => Promise<void>;

export interface ReviewQueue {
  /** Resolves once the job is accepted (queued in memory or stored in Redis); rejects after close(). */
  enqueue(job: ReviewJob): Promise<void>;
  /** Stops accepting jobs and drains: waits for running jobs (bounded by closeTimeoutMs), then releases resources. */
  close(): Promise<void>;
}

export interface QueueLog {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

/** Why a job was not (fully) run. */
export type DropReason = 'superseded' | 'shutdown' | 'failed';

export interface ReviewQueueOptions {
  handler: ReviewHandler;
  /** Reviews run at the same time (per process/replica). Default 4. */
  concurrency?: number;
  /** With a Redis URL, a durable BullMQ queue shared by every replica; without, an in-process queue. */
  redisUrl?: string;
  log?: QueueLog;
  /**
   * Called (best effort, errors logged) for a job whose handler will never run or finish here:
   * superseded while queued, still queued at shutdown of an in-process queue, or failed for good
   * (every attempt failed or its worker kept crashing). Lets the app complete that job's check run.
   * Not called for jobs handed back to Redis at shutdown: another replica runs them.
   */
  onDropped?: (job: ReviewJob, reason: DropReason, by?: NewerJob) => void | Promise<void>;
  /** How long close() waits for running jobs before aborting them. Default 25 000 ms. */
  closeTimeoutMs?: number;
  /** Redis-mode tuning (tests use short values). */
  redis?: {
    /** BullMQ queue name. Default `keyref-reviews`. */
    queueName?: string;
    /** Key prefix for BullMQ and keyref's own keys. Default `keyref`. */
    prefix?: string;
    /** Attempts per job when the handler throws. Default 3. */
    attempts?: number;
    /** First retry delay (exponential backoff). Default 2 000 ms. */
    backoffMs?: number;
    /** A crashed worker's job is retried after this lock expires. Default 30 000 ms. */
    lockDurationMs?: number;
    /** How often stalled jobs are looked for. Default 15 000 ms. */
    stalledIntervalMs?: number;
    /** How often a running job re-checks that it is still the latest (besides pub/sub). Default 5 000 ms. */
    pollMs?: number;
    /** How long a delivery id is remembered for deduplication. Default 24 h. */
    dedupeTtlSeconds?: number;
  };
}

/** The job that superseded another (same coalesceKey, enqueued later). */
export interface NewerJob {
  readonly jobId: string;
  readonly headSha: string;
}

/** The `reason` of an aborted review signal. */
export class ReviewAbortedError extends Error {
  override readonly name = 'ReviewAbortedError';
  constructor(
    readonly reason: 'superseded' | 'shutdown',
    /** True when another replica will run this job again (Redis mode, shutdown): don't complete its check run. */
    readonly willRetry: boolean,
    /** For `superseded`: the newer job, when known. */
    readonly by?: NewerJob,
  ) {
    super(reason === 'superseded' ? 'superseded by a newer review' : 'process shutting down');
  }
}

/** Why `signal` was aborted, if it was by the queue. */
export function abortReason(signal: AbortSignal): ReviewAbortedError | undefined {
  return signal.aborted && signal.reason instanceof ReviewAbortedError ? signal.reason : undefined;
}

export const silentLog: QueueLog = { info() {}, warn() {}, error() {} };

/** Only what is safe and useful to log about a job (never `data`). */
export function jobRef(job: ReviewJob): { jobId: string; coalesceKey: string; headSha: string } {
  return { jobId: job.id, coalesceKey: job.coalesceKey, headSha: job.headSha };
}

export function errorRef(err: unknown): { err: { name: string; message: string } } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { err: { name: e.name, message: e.message } };
}

/** Resolves true when `promise` settles within ms, false otherwise; the timer is cleared either way. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
