import { KEYREF_LOG_OPTIONS } from '../../src/app/runtime/log-serializers.js';
import { afterEach, beforeEach } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import examples from '@octokit/webhooks-examples';
import type { SourceFile } from '../../src/engine/model.js';
import type { ReviewHandler, ReviewJob, ReviewQueue, ReviewQueueOptions } from '../../src/app/queue/index.js';
import { createKeyrefApp, type KeyrefAppDeps, type ReadTrees } from '../../src/app/index.js';
import { forgetConditionalReads, KeyrefOctokit } from '../../src/app/octokit.js';
import { checkWebhookPayload, contractPlugin, takeRequestViolations } from '../contract/octokit-contract.js';

export const API = 'https://api.github.com';
export const APP_ID = 123;
export const INSTALLATION_ID = 2;
export const OWNER = 'acme';
export const REPO = 'deploy';
export const HEAD_SHA = 'a'.repeat(40);
export const BASE_SHA = 'b'.repeat(40);
export const PR_NUMBER = 7;

let privateKey: string | undefined;
/** A throwaway RSA key made at test time (nothing key-like is committed). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return privateKey;
}

/** Every log line the app wrote (JSON, all levels). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface TestAppOptions extends KeyrefAppDeps {
  readonly retry?: boolean;
  readonly throttle?: boolean;
  readonly logs?: LogCapture;
}

export interface TestApp {
  readonly probot: Probot;
  /** Jobs the queue received. */
  readonly jobs: ReviewJob[];
}

/**
 * A queue that runs each job inline inside `enqueue`, so `probot.receive` resolves after the review.
 * Coalescing is not exercised here (that is the queue module's job and its own tests).
 */
export function inlineQueue(jobs: ReviewJob[]): (options: ReviewQueueOptions) => ReviewQueue {
  return (options) => ({
    async enqueue(job) {
      jobs.push(job);
      await options.handler(job, new AbortController().signal);
    },
    async close() {},
  });
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const retry = options.retry ?? false;
  const throttle = options.throttle ?? false;
  forgetConditionalReads(); // every test app starts like a fresh process (no kept ETag, no remembered 404)
  // The production Octokit class (keyref's rate-limit handlers), with retries/throttling off unless asked for,
  // and every request checked against GitHub's published contract (a violation fails the test in strictNock).
  const Octokit = KeyrefOctokit.plugin(contractPlugin).defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: retry ? { enabled: true, retryAfterBaseValue: 1 } : { enabled: false },
    throttle: throttle ? { ...(o.throttle as object), enabled: true, fallbackSecondaryRateRetryAfter: 0 } : { enabled: false },
  }));
  // The production loggers' options (no webhook payload in any line).
  const log = pino({ ...KEYREF_LOG_OPTIONS, level: 'trace' }, options.logs ?? new LogCapture());
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), Octokit, log, secret: 'test-secret' });
  const jobs: ReviewJob[] = [];
  // inProgressAfterMs 0: the check run is created in progress first, as these tests' mocks expect (test/app/check-run-writes.test.ts covers the deferred default).
  await probot.load(createKeyrefApp({ appId: APP_ID, queue: inlineQueue(jobs), inProgressAfterMs: 0, ...options }));
  // Webhook payloads the tests hand to the app are held to GitHub's webhook schemas too.
  const receive = probot.receive.bind(probot);
  probot.receive = (event) => {
    checkWebhookPayload(event.name, event.payload);
    return receive(event);
  };
  return { probot, jobs };
}

/** An example payload of @octokit/webhooks-examples, deep-copied, with our repository, installation and SHAs. */
export function examplePayload(name: string, action: string): Record<string, any> {
  const group = (examples as unknown as { name: string; examples: Record<string, any>[] }[]).find((e) => e.name === name);
  const found = group?.examples.find((x) => x.action === action && x.installation) ?? group?.examples.find((x) => x.action === action);
  if (!found) throw new Error(`no example ${name}.${action}`);
  const payload = conformToDescription(structuredClone(found));
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' };
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.owner.login = OWNER;
  return payload;
}

/**
 * Brings an example (recorded years ago) up to what GitHub's current webhook description requires, so the
 * payloads the tests deliver pass the contract check: repository flags added since, app `permissions` and
 * `events`, ISO timestamps, check runs' `node_id`/`details_url`, and `null` for an empty homepage.
 */
function conformToDescription<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(conformToDescription);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    for (const v of Object.values(o)) conformToDescription(v);
    if ('full_name' in o && 'default_branch' in o) {
      o.has_discussions ??= false;
      o.disabled ??= false;
      if (o.homepage === '') o.homepage = null;
    }
    if ('external_url' in o && 'owner' in o) {
      o.permissions ??= {};
      o.events ??= [];
      for (const k of ['created_at', 'updated_at']) if (typeof o[k] !== 'string' || Number.isNaN(Date.parse(o[k]))) o[k] = '2026-01-01T00:00:00Z';
      else o[k] = new Date(o[k]).toISOString();
    }
    if ('check_suite' in o && 'head_sha' in o && 'output' in o) {
      o.node_id ??= `CR_${o.id}`;
      o.details_url ??= `https://example.com/checks/${o.id}`;
    }
  }
  return node;
}

export function pullRequestPayload(action: string, patch: { draft?: boolean; fork?: boolean; headSha?: string; changedFiles?: number } = {}): Record<string, any> {
  const payload = examplePayload('pull_request', action);
  const pr = payload.pull_request;
  payload.number = PR_NUMBER;
  pr.number = PR_NUMBER;
  pr.state = 'open';
  pr.draft = patch.draft ?? false;
  pr.head.sha = patch.headSha ?? HEAD_SHA;
  if (patch.changedFiles !== undefined) pr.changed_files = patch.changedFiles;
  pr.base.sha = BASE_SHA;
  pr.base.repo.name = REPO;
  pr.base.repo.full_name = `${OWNER}/${REPO}`;
  pr.base.repo.owner.login = OWNER;
  if (patch.fork) {
    pr.head.repo = structuredClone(pr.head.repo);
    pr.head.repo.full_name = `contributor/${REPO}`;
    pr.head.repo.owner.login = 'contributor';
    pr.head.repo.fork = true;
    pr.head.label = `contributor:${pr.head.ref}`;
  } else {
    pr.head.repo.name = REPO;
    pr.head.repo.full_name = `${OWNER}/${REPO}`;
    pr.head.repo.owner.login = OWNER;
  }
  return payload;
}

/**
 * A `check_run.rerequested` payload for this app's `keyref` run of `headSha` ("Re-run" on it), naming the
 * pull request (`pullRequests: 'ours'`) or none (`[]`: a fork PR or a merge queue commit).
 */
export function rerequestedCheckRunPayload(patch: { headSha?: string; pullRequests?: 'ours' | [] } = {}): Record<string, any> {
  const payload = examplePayload('check_run', 'rerequested');
  const headSha = patch.headSha ?? HEAD_SHA;
  Object.assign(payload.check_run, {
    id: CHECK_RUN_ID,
    name: 'keyref',
    head_sha: headSha,
    app: { ...payload.check_run.app, id: APP_ID },
    pull_requests:
      (patch.pullRequests ?? 'ours') === 'ours'
        ? [
            {
              id: 1000 + PR_NUMBER,
              number: PR_NUMBER,
              url: `${API}/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`,
              head: { sha: headSha, ref: 'x', repo: { id: payload.repository.id, url: `${API}/repos/${OWNER}/${REPO}`, name: REPO } },
              base: { sha: BASE_SHA, ref: 'main', repo: { id: payload.repository.id, url: `${API}/repos/${OWNER}/${REPO}`, name: REPO } },
            },
          ]
        : [],
  });
  return payload;
}

export function fakeReadTrees(base: SourceFile[], head: SourceFile[], calls: unknown[] = []): ReadTrees {
  return async (_octokit, target) => {
    calls.push(target);
    return { base, head, requestCount: 0, notes: [] };
  };
}

/** Installation token exchange (Probot caches it per installation). */
export function nockToken(scope: nock.Scope = nock(API)): nock.Scope {
  return scope
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' } });
}

/** `context.config('keyref.yml')`: the repository's `.github/keyref.yml`, then the owner's `.github` repository. */
export function nockConfig(scope: nock.Scope, yamlText: string | undefined): nock.Scope {
  if (yamlText !== undefined) return scope.get(`/repos/${OWNER}/${REPO}/contents/.github%2Fkeyref.yml`).reply(200, yamlText, { 'content-type': 'text/plain; charset=utf-8' });
  return scope
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fkeyref.yml`)
    .reply(404, { message: 'Not Found' })
    .get(`/repos/${OWNER}/.github/contents/.github%2Fkeyref.yml`)
    .reply(404, { message: 'Not Found' });
}

export type { ReviewHandler };

// ---------------------------------------------------------------------------------------------
// Fixtures and GitHub API mocks


export const CHECK_RUN_ID = 99;

/** The files of fixtures/app/<name>/<side>, as the repository reader would return them. */
export function loadFixture(name: string, side: 'base' | 'head'): SourceFile[] {
  const dir = join('fixtures', 'app', name, side);
  return readdirSync(dir)
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** The `patch` GitHub sends for a file the PR adds. */
export function addedPatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/** Records every request body nock sees on a scope (parsed JSON when possible). */
export function recordBodies(scope: nock.Scope): { method: string; path: string; body: any }[] {
  const seen: { method: string; path: string; body: any }[] = [];
  scope.on('request', (req: { method: string; path: string }, _interceptor: unknown, body: string) => {
    let parsed: unknown = body;
    try {
      parsed = body ? JSON.parse(body) : undefined;
    } catch {
      // keep raw text
    }
    seen.push({ method: req.method, path: req.path, body: parsed });
  });
  return seen;
}

/** The job's find-or-create of the head SHA's check run: listed, then created when none exists (`created` checks the create body). */
export function nockCheckRunStart(
  scope: nock.Scope,
  existing?: { status: 'in_progress' | 'completed' },
  headSha = HEAD_SHA,
  created: Record<string, unknown> = { status: 'in_progress' },
): nock.Scope {
  const s = scope
    .get(`/repos/${OWNER}/${REPO}/commits/${headSha}/check-runs`)
    .query({ check_name: 'keyref', filter: 'latest', app_id: String(APP_ID), per_page: '100' })
    .reply(200, {
      total_count: existing ? 1 : 0,
      check_runs: existing ? [{ id: CHECK_RUN_ID, name: 'keyref', head_sha: headSha, status: existing.status, app: { id: APP_ID } }] : [],
    });
  return existing
    ? s
    : s.post(`/repos/${OWNER}/${REPO}/check-runs`, (body: Record<string, unknown>) => Object.entries(created).every(([k, v]) => body[k] === v)).reply(201, { id: CHECK_RUN_ID });
}

export function nockPull(scope: nock.Scope, headSha = HEAD_SHA, changedFiles = 3): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { number: PR_NUMBER, head: { sha: headSha }, base: { sha: BASE_SHA }, changed_files: changedFiles });
}

export interface PrFile {
  filename: string;
  status?: string;
  patch?: string;
}

export function nockFiles(scope: nock.Scope, files: PrFile[]): nock.Scope {
  return scope
    .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
    .query({ per_page: '100' })
    .reply(200, files.map((f) => ({ status: 'added', ...f })));
}

export function botComment(id: number, body: string): Record<string, unknown> {
  return { id, node_id: `PRRC_${id}`, body, user: { login: 'keyref[bot]', type: 'Bot' }, path: 'web.yaml', line: 1 };
}

export function nockComments(scope: nock.Scope, comments: Record<string, unknown>[] = []): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query({ per_page: '100' }).reply(200, comments);
}

export function nockReviews(scope: nock.Scope, reviews: Record<string, unknown>[] = []): nock.Scope {
  return scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).query({ per_page: '100' }).reply(200, reviews);
}

export function nockCreateReview(scope: nock.Scope): nock.Scope {
  return scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
}

export function nockCheckRunUpdates(scope: nock.Scope, times = 1): nock.Scope {
  return scope.patch(`/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`).times(times).reply(200, { id: CHECK_RUN_ID });
}

/** The bodies of requests to a path (method + path prefix). */
export function bodiesOf(seen: { method: string; path: string; body: any }[], method: string, pathPrefix: string): any[] {
  return seen.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).map((r) => r.body);
}

export const CHECK_RUN_PATH = `/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`;
export const REVIEWS_PATH = `/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`;

/** Requests nock could not match (an unexpected request fails the test even when the app swallows the error). */
export const unmatched: string[] = [];
nock.emitter.on('no match', (req: { method?: string; path?: string; href?: string; hostname?: string; options?: { method?: string; path?: string; hostname?: string } }) => {
  const host = req.hostname ?? req.options?.hostname ?? (req.href ? new URL(req.href).hostname : undefined);
  if (host === '127.0.0.1') return; // the app's own HTTP server in the end-to-end test
  unmatched.push(`${req.method ?? req.options?.method ?? '?'} ${req.path ?? req.href ?? req.options?.path ?? '?'}`);
});

/**
 * Registers the hooks every GitHub-facing test file needs: no real network, and after each test no
 * unexpected request and no unused mock.
 */
export function strictNock(): void {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    try {
      assertAllRequestsExpected();
    } finally {
      nock.enableNetConnect();
    }
  });
}

/** For afterEach: no unexpected request happened, every mock was used. */
export function assertAllRequestsExpected(): void {
  const pending = nock.pendingMocks();
  const extra = unmatched.splice(0);
  const broken = takeRequestViolations();
  nock.cleanAll();
  if (extra.length > 0 || pending.length > 0) {
    throw new Error(`unexpected requests: ${JSON.stringify(extra)}; unused mocks: ${JSON.stringify(pending)}`);
  }
  if (broken.length > 0) throw new Error(broken.join('\n'));
}
