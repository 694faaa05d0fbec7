/**
 * Prometheus metrics (prom-client), served at GET /metrics by the runtime entry point:
 *
 *   keyref_reviews_total{outcome}                check runs completed, by conclusion (success, failure, neutral, …)
 *   keyref_review_duration_seconds               one review job, from start to end (histogram)
 *   keyref_queue_wait_seconds                    from webhook to the start of its review, on this replica (histogram)
 *   keyref_queue_depth{state}                    reviews queued / running in this process
 *   keyref_github_requests_total{kind,method,status}  requests to GitHub: kind rest|graphql, status code or "error"
 *   keyref_github_rate_limit_remaining{resource} the last x-ratelimit-remaining GitHub sent, per resource (core, graphql)
 *
 * plus prom-client's default process and Node.js metrics (collectProcessMetrics). Labels are bounded: no repository, route or
 * installation in them. The hooks are an Octokit plugin (requests, rate limit, check run conclusions)
 * and a wrapper around the review queue factory (depth, wait, duration).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReviewQueue, ReviewQueueOptions } from '../jobs/queue-types.js';

export const registry = new Registry();

let processMetrics = false;
/** prom-client's default process and Node.js metrics; the runtime entry point turns them on (not the Action or tests). */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

const reviews = new Counter({ name: 'keyref_reviews_total', help: 'keyref check runs completed, by conclusion.', labelNames: ['outcome'], registers: [registry] });
const reviewDuration = new Histogram({
  name: 'keyref_review_duration_seconds',
  help: 'Duration of one review job (check run, trees, engine, review), in seconds.',
  buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
  registers: [registry],
});
const queueWait = new Histogram({
  name: 'keyref_queue_wait_seconds',
  help: 'Time from the webhook to the start of its review on this replica, in seconds.',
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});
const queueDepth = new Gauge({ name: 'keyref_queue_depth', help: 'Reviews queued or running in this process.', labelNames: ['state'], registers: [registry] });
const githubRequests = new Counter({
  name: 'keyref_github_requests_total',
  help: 'Requests to the GitHub API, by kind (rest, graphql), method and status code ("error": no answer).',
  labelNames: ['kind', 'method', 'status'],
  registers: [registry],
});
const rateLimitRemaining = new Gauge({
  name: 'keyref_github_rate_limit_remaining',
  help: 'The x-ratelimit-remaining GitHub sent last, per rate-limit resource.',
  labelNames: ['resource'],
  registers: [registry],
});
queueDepth.set({ state: 'queued' }, 0);
queueDepth.set({ state: 'running' }, 0);

interface RequestOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}
interface Response {
  status: number;
  headers: Record<string, string | number | undefined>;
}
type Request = (options: RequestOptions) => Promise<Response>;

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']);
const CONCLUSIONS = new Set(['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale']);

function observeRateLimit(headers: Response['headers'] | undefined): void {
  const remaining = Number(headers?.['x-ratelimit-remaining']);
  if (headers?.['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining)) return;
  const resource = String(headers['x-ratelimit-resource'] ?? 'core');
  rateLimitRemaining.set({ resource: /^[a-z_]{1,32}$/.test(resource) ? resource : 'other' }, remaining);
}

/** Octokit plugin: counts GitHub requests, records the rate limit left, and counts completed check runs by conclusion. */
export function githubRequestMetrics(octokit: { hook: { wrap: unknown } }): void {
  const hook = async (request: Request, options: RequestOptions): Promise<Response> => {
    const method = METHODS.has(String(options.method).toUpperCase()) ? String(options.method).toUpperCase() : 'OTHER';
    const kind = /\/graphql$/.test(options.url ?? '') ? 'graphql' : 'rest';
    try {
      const response = await request(options);
      githubRequests.inc({ kind, method, status: String(response.status) });
      observeRateLimit(response.headers);
      const conclusion = options.conclusion;
      if (typeof conclusion === 'string' && /\/check-runs(\/\{check_run_id\})?$/.test(options.url ?? '')) {
        reviews.inc({ outcome: CONCLUSIONS.has(conclusion) ? conclusion : 'other' });
      }
      return response;
    } catch (err) {
      const e = err as { status?: unknown; response?: { headers?: Response['headers'] } };
      githubRequests.inc({ kind, method, status: typeof e.status === 'number' ? String(e.status) : 'error' });
      observeRateLimit(e.response?.headers);
      throw err;
    }
  };
  (octokit.hook.wrap as (name: 'request', fn: typeof hook) => void)('request', hook);
}

/** Wraps a review queue factory: queue depth, queue wait (webhook to start, same replica) and review duration. */
export function withQueueMetrics(factory: (options: ReviewQueueOptions) => ReviewQueue): (options: ReviewQueueOptions) => ReviewQueue {
  return (options) => {
    const enqueuedAt = new Map<string, number>();
    const queue = factory({
      ...options,
      handler: async (job, signal) => {
        const queuedAt = enqueuedAt.get(job.id);
        if (queuedAt !== undefined) {
          enqueuedAt.delete(job.id);
          queueDepth.dec({ state: 'queued' });
          queueWait.observe((performance.now() - queuedAt) / 1000);
        }
        queueDepth.inc({ state: 'running' });
        const end = reviewDuration.startTimer();
        try {
          await options.handler(job, signal);
        } finally {
          end();
          queueDepth.dec({ state: 'running' });
        }
      },
      onDropped: async (job, reason) => {
        if (enqueuedAt.delete(job.id)) queueDepth.dec({ state: 'queued' });
        await options.onDropped?.(job, reason);
      },
    });
    return {
      async enqueue(job) {
        // Recorded before handing over (the run may start at once); a redelivered id is counted once.
        const fresh = !enqueuedAt.has(job.id);
        if (fresh) {
          enqueuedAt.set(job.id, performance.now());
          queueDepth.inc({ state: 'queued' });
          // Bounded: ids whose run happens on another replica (Redis) are forgotten after a while.
          if (enqueuedAt.size > 10_000) {
            const oldest = enqueuedAt.keys().next().value;
            if (oldest !== undefined && enqueuedAt.delete(oldest)) queueDepth.dec({ state: 'queued' });
          }
        }
        try {
          await queue.enqueue(job);
        } catch (err) {
          if (fresh && enqueuedAt.delete(job.id)) queueDepth.dec({ state: 'queued' });
          throw err;
        }
      },
      close: () => queue.close(),
    };
  };
}

/** GET /metrics in the Prometheus text format (mount with Probot's addHandler); false for other requests. */
export function metricsHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return false;
  registry.metrics().then(
    (body) => {
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
    () => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('metrics unavailable\n');
    },
  );
  return true;
}
