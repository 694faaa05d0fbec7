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
import Bottleneck from 'bottleneck';
import { LRUCache } from 'lru-cache';
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

/**
 * Pacing of read-only GraphQL queries (the repository reader's blob batches), per installation.
 *
 * `@octokit/plugin-throttling` sends every `/graphql` request through its write limiter (one at a
 * time, at least a second apart), because a GraphQL request may be a mutation. For keyref's blob
 * batches that made a 10,000-manifest review take 100 s. GitHub's documented secondary limits for
 * reads are a concurrency cap (100 requests at once, REST and GraphQL together) and points per
 * minute (2,000 for the GraphQL endpoint; a query without mutation costs 1 point); writes are the
 * ones to space a second apart. So a query without `mutation`/`subscription` goes through this
 * limiter instead: at most READ_CONCURRENCY at once and at least READ_MIN_MS apart per installation
 * (≤ 1,500 points a minute, three quarters of the documented budget). Everything else — mutations,
 * REST writes — still goes through the plugin's write limiter, and the plugin's retry-after handling
 * (the handlers below) applies to both.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#avoid-concurrent-requests
 */
export const READ_CONCURRENCY = 4;
export const READ_MIN_MS = 40;

/**
 * A GraphQL request body that is one query with no mutation or subscription in it. Conservative by
 * design: anything else (a mutation, a document naming several operations, an unparseable body) is
 * paced as a write. Plain string scans, no regular expression over the request body.
 */
export function isReadOnlyGraphql(options: { method?: string; url?: string; query?: unknown }): boolean {
  if (options.method !== 'POST' || typeof options.query !== 'string') return false;
  const path = (options.url ?? '').split('?')[0]!;
  if (!path.endsWith('/graphql')) return false;
  const query = options.query.trimStart();
  if (!(query.startsWith('query') || query.startsWith('{'))) return false;
  return !query.includes('mutation') && !query.includes('subscription');
}

type ThrottleOptions = { enabled?: boolean; Bottleneck?: typeof Bottleneck; connection?: unknown; timeout?: number; write?: unknown } & Record<string, unknown>;

/** One read group per Bottleneck connection (none, or Probot's Redis connection shared by replicas). */
const readGroups = new Map<unknown, Bottleneck.Group>();
function readGroup(throttle: ThrottleOptions): Bottleneck.Group {
  const key = throttle.connection ?? null;
  let group = readGroups.get(key);
  if (!group) {
    const Limiter = throttle.Bottleneck ?? Bottleneck;
    group = new Limiter.Group({
      id: 'keyref-read',
      maxConcurrent: READ_CONCURRENCY,
      minTime: READ_MIN_MS,
      timeout: throttle.timeout ?? 2 * 60 * 1000,
      ...(throttle.connection ? { connection: throttle.connection as Bottleneck.RedisConnection } : {}),
    });
    readGroups.set(key, group);
  }
  return group;
}

const READER = Symbol('keyref read-paced sibling');

/**
 * Octokit plugin: read-only GraphQL queries are sent by a sibling instance (same options, so the same
 * installation token from Probot's shared token cache) whose throttle uses the read group where the
 * plugin would use its write group. (Upstream declined an option for this and suggested two
 * instances.) Without throttling (tests, `throttle.enabled: false`) nothing changes.
 */
function paceReads(octokit: { hook: { wrap(name: 'request', fn: (request: (o: any) => Promise<any>, options: any) => Promise<any>): void }; constructor: unknown }, options: Record<string | symbol, unknown>) {
  const throttle = (options.throttle ?? {}) as ThrottleOptions;
  if (throttle.enabled === false || options[READER]) return {};
  let reader: { request: (o: unknown) => Promise<unknown> } | undefined;
  octokit.hook.wrap('request', (request, requestOptions) => {
    if (!isReadOnlyGraphql(requestOptions)) return request(requestOptions);
    if (!reader) {
      const Sibling = octokit.constructor as new (o: Record<string | symbol, unknown>) => { request: (o: unknown) => Promise<unknown> };
      reader = new Sibling({ ...options, [READER]: true, throttle: { ...throttle, write: readGroup(throttle) } });
    }
    // The endpoint options minus this instance's own hook (the sibling sends it through its own chain).
    const { hook: _hook, ...requestSettings } = (requestOptions.request ?? {}) as Record<string, unknown>;
    return reader.request({ ...requestOptions, request: requestSettings });
  });
  return {};
}

/** Responses kept for conditional re-reads, and the largest body kept (configuration files are small). */
export const CONDITIONAL_CACHE_ENTRIES = 1000;
export const CONDITIONAL_MAX_BODY_CHARS = 64 * 1024;

/** The routes re-read on every review whose answer rarely changes: file contents (`.github/keyref.yml`, the owner's). */
function isConditionalRoute(options: { method?: string; url?: string }): boolean {
  return options.method === 'GET' && typeof options.url === 'string' && options.url.startsWith('/repos/{owner}/{repo}/contents/');
}

interface Cached {
  readonly etag: string;
  readonly response: { status: number; url: string; headers: Record<string, unknown>; data: unknown };
}
const conditionalCache = new LRUCache<string, Cached>({ max: CONDITIONAL_CACHE_ENTRIES });

/**
 * How long a 404 for a file in an owner's `.github` repository is remembered. That file (the owner-wide
 * `.github/keyref.yml`) is read whenever a repository has no configuration of its own, i.e. on nearly
 * every review of most installations, and is usually absent (or the installation cannot see that
 * repository). A 404 carries no ETag, so without this each review pays the read; with it, an owner-wide
 * configuration added later applies within this time. A repository's own file is never remembered absent
 * (it is read on every review: a pushed configuration applies to the next review).
 */
export const MISSING_SHARED_CONFIG_TTL_MS = 60_000;
const missingSharedConfig = new LRUCache<string, true>({ max: CONDITIONAL_CACHE_ENTRIES, ttl: MISSING_SHARED_CONFIG_TTL_MS });

/** Forgets kept ETags and remembered 404s (tests: each starts from a fresh process's state). */
export function forgetConditionalReads(): void {
  conditionalCache.clear();
  missingSharedConfig.clear();
}

/**
 * Octokit plugin: conditional requests for re-read files. The first answer's `ETag` is kept (per URL and
 * media type); the next read sends `If-None-Match`, and a `304 Not Modified` — which GitHub does not
 * count against the primary rate limit — is answered from the kept response. GitHub authorises a
 * request before it evaluates the condition, so a 304 only ever reaches a client allowed to read the
 * file. Per process, bounded (entries and body size).
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
 */
function conditionalReads(octokit: { hook: { wrap(name: 'request', fn: (request: (o: any) => Promise<any>, options: any) => Promise<any>): void }; request: { endpoint: { parse(o: unknown): { url: string; headers: Record<string, unknown> } } } }) {
  octokit.hook.wrap('request', async (request, options) => {
    if (!isConditionalRoute(options)) return request(options);
    const parsed = octokit.request.endpoint.parse(options);
    const key = `${String(parsed.headers['accept'] ?? '')} ${parsed.url}`;
    const shared = options.repo === '.github';
    if (shared && missingSharedConfig.has(key)) {
      // The config plugin reads a 404 as "no file here": the same answer GitHub gave moments ago.
      throw Object.assign(new Error('Not Found (remembered for a minute)'), { name: 'HttpError', status: 404 });
    }
    const cached = conditionalCache.get(key);
    // In place: the hooks inside this one are bound to this same options object.
    if (cached) options.headers = { ...options.headers, 'if-none-match': cached.etag };
    let response: Cached['response'];
    try {
      response = await request(options);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (cached && status === 304) return { ...cached.response, headers: { ...cached.response.headers } };
      if (shared && status === 404) missingSharedConfig.set(key, true);
      throw error;
    }
    missingSharedConfig.delete(key);
    const etag = response.headers?.['etag'];
    const size = typeof response.data === 'string' ? response.data.length : JSON.stringify(response.data ?? null).length;
    if (typeof etag === 'string' && size <= CONDITIONAL_MAX_BODY_CHARS) conditionalCache.set(key, { etag, response });
    else conditionalCache.delete(key);
    return response;
  });
  return {};
}

type LogMethod = (...args: unknown[]) => void;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * The Octokit's logger, minus every structured argument. Probot's request logging
 * (`octokit.log.debug(body, "GitHub request: …")`) and `@octokit/plugin-request-log`
 * (`log.debug("request", options)`) put outgoing request bodies — review comments, check-run output —
 * and options into the log at debug level; errors carry their request. Only text arguments are kept
 * (an error becomes its name and message), so nothing a caller attaches reaches the log. The other
 * properties (`child`, `level`) are the original logger's.
 */
export function textOnlyLog<L extends object>(log: L): L {
  const quiet = Object.create(log) as Record<string, unknown>;
  for (const level of LOG_LEVELS) {
    const method = (log as Record<string, unknown>)[level];
    if (typeof method !== 'function') continue;
    quiet[level] = (...args: unknown[]) => {
      const text = args.flatMap((a) => (typeof a === 'string' || typeof a === 'number' ? [String(a)] : a instanceof Error ? [`${a.name}: ${a.message}`] : []));
      // Probot's request line (body object first): dropped here, logged with its duration by logRequests.
      if (level === 'debug' && typeof args[1] === 'string' && args[1].startsWith('GitHub request: ') && typeof args[0] === 'object') return;
      if (text.length > 0) (method as LogMethod).call(log, text.join(' '));
    };
  }
  return quiet as L;
}

/**
 * Octokit plugin: one debug line per request with method, URL path (no query), status and duration;
 * never a body or a header. Replaces Probot's request line, which logs the body.
 */
function logRequests(octokit: { log: { debug(message: string): void }; hook: { wrap(name: 'request', fn: (request: (o: any) => Promise<any>, options: any) => Promise<any>): void }; request: { endpoint: { parse(o: unknown): { method: string; url: string } } } }) {
  octokit.hook.wrap('request', async (request, options) => {
    const { method, url } = octokit.request.endpoint.parse(options);
    const line = `GitHub request: ${method} ${url.split('?')[0]}`;
    const start = performance.now();
    try {
      const response = await request(options);
      octokit.log.debug(`${line} - ${response.status} in ${Math.round(performance.now() - start)} ms`);
      return response;
    } catch (error) {
      octokit.log.debug(`${line} - ${(error as { status?: unknown }).status ?? 'failed'} in ${Math.round(performance.now() - start)} ms`);
      throw error;
    }
  });
  return {};
}

export const KeyrefOctokit: typeof ProbotOctokit = (ProbotOctokit.plugin(paceReads as never, conditionalReads as never, logRequests as never) as typeof ProbotOctokit).defaults((instanceOptions: Record<string, unknown>) => ({
  ...instanceOptions,
  ...(instanceOptions.log && typeof instanceOptions.log === 'object' ? { log: textOnlyLog(instanceOptions.log) } : {}),
  throttle: {
    ...(instanceOptions.throttle as Record<string, unknown> | undefined),
    onSecondaryRateLimit: rateLimitHandler('Secondary rate limit'),
    onRateLimit: rateLimitHandler('Request quota exhausted'),
  },
}));
