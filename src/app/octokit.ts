/**
 * The Octokit class keyref's Probot uses: Probot's, with rate-limit handlers that retry a bounded
 * number of times. Probot's own throttle options never retry a secondary rate limit (a 403 "You have
 * exceeded a secondary rate limit" with `retry-after`), so one such answer failed the whole review;
 * GitHub asks clients to wait `retry-after` seconds and try again.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 *
 * Pass it as Probot's `Octokit` option (the runtime entry point does). Other throttle options (Probot's
 * Redis-backed Bottleneck connection across replicas, `enabled`) are kept.
 */
import { ProbotOctokit } from 'probot';

/** Retries per request after a rate-limit answer. */
export const MAX_RATE_LIMIT_RETRIES = 2;
/** Longer waits are not worth holding a review for (a re-run later is better): give up and let the check run say so. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

interface ThrottledRequest {
  method?: string;
  url?: string;
  request?: { retryCount?: number };
}

interface OctokitWithLog {
  log: { warn(message: string): void };
}

/**
 * The decision both handlers share: retry while fewer than MAX_RATE_LIMIT_RETRIES retries were made
 * and the wait is at most MAX_RATE_LIMIT_WAIT_SECONDS. Logs the route template and method only (no
 * query, no header, no body: nothing secret).
 */
export function rateLimitHandler(kind: 'Secondary rate limit' | 'Request quota exhausted') {
  return (retryAfter: number, options: ThrottledRequest, octokit: OctokitWithLog, retryCount?: number): boolean => {
    const done = retryCount ?? options.request?.retryCount ?? 0;
    const route = `${options.method ?? '?'} ${(options.url ?? '?').split('?')[0]}`;
    const retry = done < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
    octokit.log.warn(
      retry
        ? `${kind} on ${route}: retrying in ${retryAfter} s (retry ${done + 1} of ${MAX_RATE_LIMIT_RETRIES})`
        : `${kind} on ${route}: giving up after ${done} retries (retry-after ${retryAfter} s)`,
    );
    return retry;
  };
}

export const KeyrefOctokit: typeof ProbotOctokit = ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
  ...instanceOptions,
  throttle: {
    ...(instanceOptions.throttle as Record<string, unknown> | undefined),
    onSecondaryRateLimit: rateLimitHandler('Secondary rate limit'),
    onRateLimit: rateLimitHandler('Request quota exhausted'),
  },
}));
