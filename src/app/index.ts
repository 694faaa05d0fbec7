/**
 * keyref's GitHub App (Probot 14). Webhooks only queue the review, built from the payload with no API
 * request (fast acknowledgements in a burst); the queue's handler creates or finds the `keyref` check
 * run, reads the trees, runs the engine and posts the check run result and the inline review with an
 * installation-authenticated Octokit, so any replica can run it.
 *
 * `npm start` = `probot run ./dist/app/index.js` (credentials from `.env`, see `.env.example`).
 */
import type { Probot } from 'probot';
import { createEngineRunner, type EngineRunner } from '../runner/index.js';
import { workerEngine } from './jobs/engine.js';
import { createDroppedHandler } from './jobs/dropped-handler.js';
import type { ReviewQueue, ReviewQueueOptions } from './jobs/queue-types.js';
import { createReviewHandler, type ReadTrees, type ReviewEngine } from './jobs/review-handler.js';
import { createReviewQueue } from './queue/index.js';
import { createBlobCache, readTrees as readRepositoryTrees, type SharedBlobStore } from './repository/index.js';
import { createRedisBlobStore } from './repository/redis-cache.js';
import { withBaseScanCache } from './review/base-scan-cache.js';
import { onShutdown } from './runtime/lifecycle.js';
import { withQueueMetrics } from './runtime/metrics.js';
import { onCheckRunRerequested, onCheckSuiteRerequested } from './webhooks/on-rerequested.js';
import { onMergeGroup } from './webhooks/on-merge-group.js';
import { onPullRequest, PULL_REQUEST_EVENTS } from './webhooks/on-pull-request.js';

export type { ReadTrees, ReviewEngine } from './jobs/review-handler.js';

export interface KeyrefAppDeps {
  /** Reads the base and head trees' manifests (default: the GitHub repository reader with a shared blob cache). */
  readonly readTrees?: ReadTrees;
  /**
   * The engine's `review` (default: the real one in worker threads, each review within
   * KEYREF_ENGINE_BUDGET_MS, see src/runner).
   */
  readonly engine?: ReviewEngine;
  /** Receives the default engine's worker runner once created (graceful shutdown terminates its workers). */
  readonly onEngineRunner?: (runner: EngineRunner) => void;
  /** Creates the review queue (default: in-process, or BullMQ when REDIS_URL is set). */
  readonly queue?: (options: ReviewQueueOptions) => ReviewQueue;
  /** This app's id, to recognise its own check runs (default: APP_ID). */
  readonly appId?: number;
  /** This app's slug, where its id is unknown (the Action writes as `github-actions`). */
  readonly appSlug?: string;
  /** Per-review time limit (default 5 minutes). */
  readonly timeoutMs?: number;
  /** How long a review runs before its check run is shown in progress (default 2 s; 0 = at once, as tests expect). */
  readonly inProgressAfterMs?: number;
  /**
   * The blob cache's shared tier (default: Redis when REDIS_URL is set and KEYREF_REDIS_CACHE_MB is not 0,
   * else none: memory only). The app does not close an injected store.
   */
  readonly blobStore?: SharedBlobStore | null;
  /** Receives the queue once created (tests, graceful shutdown). */
  readonly onQueue?: (queue: ReviewQueue) => void;
}

function envNumber(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * The Redis tier of the blob cache when REDIS_URL is set (see repository/redis-cache.ts): its values are
 * encrypted under a key derived from KEYREF_CACHE_SECRET, else WEBHOOK_SECRET. Sized by
 * KEYREF_REDIS_CACHE_MB (default 256; 0 = no Redis tier) and KEYREF_REDIS_CACHE_TTL_HOURS (default 168).
 */
function redisBlobStore(app: Probot): SharedBlobStore | undefined {
  const url = process.env.REDIS_URL;
  const mb = process.env.KEYREF_REDIS_CACHE_MB === '0' ? 0 : (envNumber('KEYREF_REDIS_CACHE_MB') ?? 256);
  if (!url || mb === 0) return undefined;
  const secret = process.env.KEYREF_CACHE_SECRET || process.env.WEBHOOK_SECRET;
  const log = app.log.child({ component: 'keyref-blob-cache' });
  if (!secret) {
    log.warn('REDIS_URL is set but neither KEYREF_CACHE_SECRET nor WEBHOOK_SECRET: the blob cache stays in memory');
    return undefined;
  }
  const hours = envNumber('KEYREF_REDIS_CACHE_TTL_HOURS');
  const store = createRedisBlobStore({ redis: url, secret, maxBytes: mb * 1024 * 1024, ...(hours ? { ttlSeconds: hours * 3600 } : {}), log });
  return store;
}

/** The Probot app function, with injectable dependencies. */
export function createKeyrefApp(deps: KeyrefAppDeps = {}): (app: Probot) => void {
  return (app: Probot) => {
    const ownStore = deps.blobStore === undefined ? redisBlobStore(app) : undefined;
    const cache = createBlobCache(undefined, ownStore ?? deps.blobStore ?? undefined);
    const readTrees: ReadTrees = deps.readTrees ?? ((octokit, target) => readRepositoryTrees(octokit, target, { cache }));
    const appId = deps.appId ?? envNumber('APP_ID');
    let engine = deps.engine;
    if (!engine) {
      const runner = createEngineRunner();
      deps.onEngineRunner?.(runner);
      // The base side of a pull request is scanned once per base and configuration; later pushes scan only the head.
      engine = withBaseScanCache(workerEngine(runner));
    }
    const handler = createReviewHandler({
      app,
      appId,
      ...(deps.appSlug !== undefined ? { appSlug: deps.appSlug } : {}),
      readTrees,
      engine,
      ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      ...(deps.inProgressAfterMs !== undefined ? { inProgressAfterMs: deps.inProgressAfterMs } : {}),
    });
    const redisUrl = process.env.REDIS_URL;
    const concurrency = envNumber('KEYREF_CONCURRENCY');
    const queue = (deps.queue ?? createReviewQueue)({
      handler,
      onDropped: createDroppedHandler(app, appId),
      log: app.log.child({ component: 'keyref-queue' }),
      ...(redisUrl ? { redisUrl } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    deps.onQueue?.(queue);
    // Registered after the queue's hook (hooks run in order): running reviews finish, then pending cache writes go out.
    if (ownStore) void onShutdown(() => ownStore.close(), 'blob cache');
    const startDeps = { queue, appId };

    app.on([...PULL_REQUEST_EVENTS], onPullRequest(startDeps));
    app.on('check_run.rerequested', onCheckRunRerequested(startDeps));
    app.on('check_suite.rerequested', onCheckSuiteRerequested(startDeps));
    app.on('merge_group.checks_requested', onMergeGroup(startDeps));
  };
}

/**
 * The app `probot run` (and the runtime entry point, dist/app/runtime/main.js) loads: real repository
 * reader, engine and queue. On SIGTERM/SIGINT the runtime's shutdown sequence drains the queue.
 */
export default function keyrefApp(app: Probot): void {
  let runner: EngineRunner | undefined;
  createKeyrefApp({
    queue: withQueueMetrics(createReviewQueue), // queue depth, wait and review duration at /metrics
    onEngineRunner: (created) => (runner = created),
    // Running reviews drain first, then the engine's workers go.
    onQueue: (queue) =>
      void onShutdown(async () => {
        await queue.close();
        await runner?.close();
      }, 'review queue'),
  })(app);
}
