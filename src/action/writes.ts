/**
 * What the Action needs to know about the App's writes, as an Octokit plugin around every request:
 *
 * - it records the `keyref` check run's result as the App writes it (conclusion, title, summary,
 *   annotations), so the step's exit status and job summary say the same as the check run;
 * - when the token may not write (GitHub gives pull requests from forks a read-only GITHUB_TOKEN, and
 *   answers writes with 403 "Resource not accessible by integration"), it stops sending writes and
 *   answers them itself, so the App's review code runs unchanged and its result still comes out — as
 *   workflow-command annotations and the job summary instead of a check run.
 *
 * Reads (GET, GraphQL queries) always go to GitHub.
 */
import type { Annotation } from '../app/check-run/annotations.js';
import type { Octokit } from '../app/types.js';

export interface CheckRunRecord {
  conclusion?: string;
  title?: string;
  summary?: string;
  readonly annotations: Annotation[];
}

export interface WriteState {
  /** Writes are answered locally (set up front, or after GitHub refused the first write). */
  readOnly: boolean;
  /** Writes GitHub refused (`METHOD route`), for the log. */
  readonly refused: string[];
  /** Writes answered locally. */
  skipped: number;
  readonly checkRun: CheckRunRecord;
}

export function createWriteState(readOnly = false): WriteState {
  return { readOnly, refused: [], skipped: 0, checkRun: { annotations: [] } };
}

/** The parts of Octokit's request options and response this plugin reads or makes. */
interface RequestOptions {
  method?: string;
  url?: string;
  query?: unknown;
  [key: string]: unknown;
}

interface OctokitResponse {
  status: number;
  url: string;
  headers: Record<string, string>;
  data: unknown;
}

type Request = (options: RequestOptions) => Promise<OctokitResponse>;

const CHECK_RUN_ROUTE = /\/repos\/\{owner\}\/\{repo\}\/check-runs(\/\{check_run_id\})?$/;

function isGraphql(options: RequestOptions): boolean {
  return /\/graphql$/.test(options.url ?? '');
}

export function isWrite(options: RequestOptions): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  if (isGraphql(options)) return typeof options.query === 'string' && /^\s*mutation\b/.test(options.query);
  return true;
}

/** A 403 that means "this token may not do that" (not a rate limit, which the throttling plugin handles). */
function isPermissionRefusal(err: unknown): boolean {
  const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, string | undefined> } };
  if (e.status !== 403) return false;
  if (e.response?.headers?.['x-ratelimit-remaining'] === '0') return false;
  return !/rate limit/i.test(String(e.message ?? ''));
}

function record(state: WriteState, options: RequestOptions): void {
  if (!CHECK_RUN_ROUTE.test(options.url ?? '')) return;
  const output = options.output as { title?: unknown; summary?: unknown; annotations?: unknown } | undefined;
  if (typeof options.conclusion === 'string') state.checkRun.conclusion = options.conclusion;
  if (typeof output?.title === 'string') state.checkRun.title = output.title;
  if (typeof output?.summary === 'string') state.checkRun.summary = output.summary;
  if (Array.isArray(output?.annotations)) state.checkRun.annotations.push(...(output.annotations as Annotation[]));
}

let localId = 0;

/** The answer to a write that was not sent: what the App's code reads from it (an id), nothing more. */
function localAnswer(options: RequestOptions): OctokitResponse {
  localId += 1;
  const data = isGraphql(options) ? { data: {} } : { id: localId, node_id: `local_${localId}`, status: 'in_progress' };
  return { status: 200, url: options.url ?? '', headers: {}, data };
}

/** The Octokit plugin (pass to `Octokit.plugin`). */
export function actionWrites(state: WriteState) {
  return (octokit: Pick<Octokit, 'hook'>): void => {
    const hook = async (request: Request, options: RequestOptions): Promise<OctokitResponse> => {
      if (!isWrite(options)) return request(options);
      if (isGraphql(options) || CHECK_RUN_ROUTE.test(options.url ?? '')) record(state, options);
      if (state.readOnly) {
        state.skipped += 1;
        return localAnswer(options);
      }
      try {
        return await request(options);
      } catch (err) {
        if (!isPermissionRefusal(err)) throw err;
        state.readOnly = true;
        state.refused.push(`${(options.method ?? '').toUpperCase()} ${options.url ?? ''}`);
        state.skipped += 1;
        return localAnswer(options);
      }
    };
    (octokit.hook.wrap as (name: 'request', fn: typeof hook) => void)('request', hook);
  };
}
