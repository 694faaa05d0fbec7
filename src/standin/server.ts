/**
 * A local stand-in for the GitHub API, for the demo, the benchmarks and the soak tests: in-memory
 * repositories (real git object ids), the REST routes and GraphQL queries keyref uses, request
 * recording and fault injection. It serves both the github.com layout (`/repos/...`, `/graphql`)
 * and the GitHub Enterprise Server layout (`/api/v3/repos/...`, `/api/graphql`).
 *
 * Not a general GitHub emulator: only what keyref sends, checked where GitHub is strict (review
 * comments must target diff lines, at most 50 annotations per request, output text limits).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, valueFromASTUntyped, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { describeProblems, loadContract, type Contract } from './contract.js';
import { filesFromDir, GitStore, type Commit, type FileMap } from './git.js';
import { commentableLines, diffFiles, type PullFile } from './pulls.js';
import {
  appJson,
  issueCommentJson,
  organizationJson,
  pullRequestJson,
  repositoryJson,
  reviewCommentJson,
  reviewJson,
  STANDIN_EPOCH,
  userJson,
  type Bases,
  type RepositoryFacts,
} from './shapes.js';

export type Layout = 'dotcom' | 'ghes';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the GHES `/api/v3` prefix and without the query string (GraphQL: `/graphql`). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  readonly body: unknown;
  readonly layout: Layout;
  status: number;
  /** Set when a fault was injected into this request. */
  fault?: string;
}

export interface FaultSpec {
  /** Matched against `METHOD /path` (normalized path, no query), e.g. /POST \/graphql/ or 'check-runs'. */
  readonly match: RegExp | string;
  /** How many matching requests to affect (default 1; Infinity for all). */
  readonly times?: number;
  /** Respond with this status instead of serving the request. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Wait this long first (then fault or serve normally). */
  readonly delayMs?: number;
  /** Destroy the connection without answering. */
  readonly reset?: boolean;
}

export interface Fault {
  readonly spec: FaultSpec;
  remaining: number;
  hits: number;
}

export interface StandinOptions {
  /** Recursive tree listings with more entries than this come back `truncated: true` (GitHub: ~100,000). */
  readonly truncateTreesAt?: number;
  /** GraphQL blob texts longer than this come back truncated (`isTruncated: true`). Default 512 KiB. */
  readonly graphqlTextLimit?: number;
  /** Patches longer than this are left out of `pulls/{n}/files` (GitHub omits very large ones). */
  readonly maxPatchBytes?: number;
  /** `pulls/{n}/files` lists at most this many files (GitHub: 3,000). */
  readonly maxPullFiles?: number;
  /** Which path layouts to serve (default both). */
  readonly layouts?: readonly Layout[];
  readonly appId?: number;
  readonly appSlug?: string;
  /** Keep request bodies in `requests` (default true; turn off for long soak runs). */
  readonly recordBodies?: boolean;
  /**
   * Give every pull request what other apps and people leave (default true): another app's completed
   * `lint` check run on the head and two review comments (another app's; a person's quoting a keyref
   * marker). `'same-name'` adds that app's completed run named `keyref` too (a client that does not
   * filter by app id takes it for its own). They live in `otherAppsCheckRuns` and `otherComments`,
   * never in the app's lists.
   */
  readonly otherApps?: boolean | 'same-name';
  /**
   * Check every request and response against GitHub's published contract (src/standin/contract.ts):
   * a request that breaks it is answered 422 (GraphQL: an error), and any violation is kept in
   * `contractViolations` and makes `close()` throw. Default: on under the test runner (or
   * KEYREF_CONTRACT=1), off otherwise (the demo and benchmarks need not load the descriptions).
   */
  readonly contract?: boolean;
}

/** A request or response of the stand-in that breaks GitHub's published contract. */
export interface ContractViolation {
  /** `METHOD /path`, or `webhook NAME.ACTION`. */
  readonly what: string;
  readonly problems: readonly string[];
}

/** Whether contract checks are on by default: under node's test runner, or when asked for. */
export function contractByDefault(): boolean {
  return process.env.NODE_TEST_CONTEXT !== undefined || process.env.KEYREF_CONTRACT === '1' || process.env.KEYREF_CONTRACT_REPORT !== undefined;
}

export interface CheckRun {
  id: number;
  node_id: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at?: string;
  completed_at?: string | null;
  external_id?: string;
  details_url?: string;
  output: { title?: string | null; summary?: string | null; text?: string | null; annotations_count: number };
  annotations: Record<string, unknown>[];
  /** Number of create/update requests that touched it. */
  updates: number;
  /** The app that owns it (this app when unset). */
  app?: { id: number; slug: string };
}

/** Another app on every pull request's head commit (a CI app), whose check runs and comments keyref must leave alone. */
export const OTHER_APP = { id: 15368, slug: 'other-ci', bot: 'other-ci[bot]' } as const;

export interface ReviewComment {
  id: number;
  node_id: string;
  pull_request_review_id: number;
  path: string;
  line: number;
  start_line?: number;
  side: string;
  body: string;
  commit_id: string;
  user: { login: string; type: string };
  minimized?: boolean;
}

export interface Review {
  id: number;
  node_id: string;
  body: string;
  event: string;
  state: string;
  commit_id: string;
  comments: ReviewComment[];
}

export interface IssueComment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; type: string };
  minimized?: boolean;
}

export interface PullRequest {
  number: number;
  title: string;
  baseSha: string;
  headSha: string;
  baseRef: string;
  headRef: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** Set to make the head come from a fork (another owner). */
  headOwner?: string;
  reviews: Review[];
  issueComments: IssueComment[];
  /** Review comments of others (a person, another app), listed with the app's. */
  otherComments: ReviewComment[];
  /** The head before the latest push (`before` of a `synchronize` webhook). */
  previousHeadSha?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The REST and web bases of a REST base URL (`…/api/v3` on GHES). */
function bases(api: string): Bases {
  return { api, web: api.replace(/\/api\/v3$/, '') };
}

export class StandinRepo {
  readonly git = new GitStore();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, PullRequest>();
  /** This app's check runs (what the app created). */
  readonly checkRuns: CheckRun[] = [];
  /** Other apps' check runs (see `StandinOptions.otherApps`): listed with this app's, never this app's to change. */
  readonly otherAppsCheckRuns: CheckRun[] = [];
  private pullFilesCache = new Map<string, PullFile[]>();

  constructor(
    private readonly standin: Standin,
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    readonly installationId: number,
    readonly defaultBranch: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Commits `files` (a file map or a directory) as the new tip of `branch` (default branch by default); returns the commit id. */
  commit(files: FileMap | string, options: { branch?: string; message?: string } = {}): string {
    const branch = options.branch ?? this.defaultBranch;
    const parent = this.branches.get(branch);
    const map = typeof files === 'string' ? filesFromDir(files) : files;
    const c = this.git.commit(map, { parents: parent ? [parent] : [], message: options.message ?? 'commit' });
    this.branches.set(branch, c.sha);
    return c.sha;
  }

  /** Opens (or, with an existing number, updates) a pull request between two commits. */
  openPullRequest(options: {
    base: string;
    head: string;
    number?: number;
    title?: string;
    baseRef?: string;
    headRef?: string;
    draft?: boolean;
    headOwner?: string;
  }): PullRequest {
    const number = options.number ?? this.pulls.size + 1;
    const existing = this.pulls.get(number);
    const pr: PullRequest = {
      number,
      title: options.title ?? existing?.title ?? `Pull request #${number}`,
      baseSha: options.base,
      headSha: options.head,
      baseRef: options.baseRef ?? existing?.baseRef ?? this.defaultBranch,
      headRef: options.headRef ?? existing?.headRef ?? `pr-${number}`,
      draft: options.draft ?? existing?.draft ?? false,
      state: 'open',
      ...(options.headOwner ? { headOwner: options.headOwner } : {}),
      reviews: existing?.reviews ?? [],
      issueComments: existing?.issueComments ?? [],
      otherComments: existing?.otherComments ?? [],
      ...(existing && existing.headSha !== options.head ? { previousHeadSha: existing.headSha } : existing?.previousHeadSha ? { previousHeadSha: existing.previousHeadSha } : {}),
    };
    this.pulls.set(number, pr);
    if (this.standin.options.otherApps) this.addOthers(pr);
    return pr;
  }

  /**
   * What others leave on a pull request, so the app's filtering is exercised: another app's completed
   * check runs on the head commit (one of them also named `keyref`), and, on the first changed file,
   * a review comment by that app and one by a person quoting a keyref fingerprint marker.
   */
  private addOthers(pr: PullRequest): void {
    if (!this.otherAppsCheckRuns.some((c) => c.head_sha === pr.headSha)) {
      for (const name of this.standin.options.otherApps === 'same-name' ? ['keyref', 'lint'] : ['lint']) {
        const id = this.standin.nextObjectId();
        this.otherAppsCheckRuns.push({
          id,
          node_id: `CR_${id}`,
          name,
          head_sha: pr.headSha,
          status: 'completed',
          conclusion: 'success',
          started_at: STANDIN_EPOCH,
          completed_at: STANDIN_EPOCH,
          output: { title: `${name} passed`, summary: 'Checked by another app.', text: null, annotations_count: 0 },
          annotations: [],
          updates: 1,
          app: { id: OTHER_APP.id, slug: OTHER_APP.slug },
        });
      }
    }
    const file = this.pullFiles(pr).find((f) => f.patch && commentableLines(f.patch).size > 0);
    if (!file || pr.otherComments.length > 0) return;
    const line = Math.min(...commentableLines(file.patch!));
    const comment = (login: string, type: string, body: string): ReviewComment => {
      const id = this.standin.nextObjectId();
      return { id, node_id: `PRRC_${id}`, pull_request_review_id: id, path: file.filename, line, side: 'RIGHT', body, commit_id: pr.headSha, user: { login, type } };
    };
    pr.otherComments.push(
      comment(OTHER_APP.bot, 'Bot', 'Style: this line could be shorter.'),
      comment('octocat', 'User', 'Quoting the bot: <!-- keyref:fingerprint=quotedbyaperson -->'),
    );
  }

  resolveRef(ref: string | undefined): Commit | undefined {
    const sha = !ref ? this.branches.get(this.defaultBranch) : (this.branches.get(ref.replace(/^refs\/heads\//, '')) ?? ref);
    return sha ? this.git.commits.get(sha) : undefined;
  }

  pullFiles(pr: PullRequest): PullFile[] {
    const key = `${pr.baseSha}..${pr.headSha}`;
    let files = this.pullFilesCache.get(key);
    if (!files) {
      const base = this.git.commits.get(pr.baseSha)?.files ?? new Map<string, string>();
      const head = this.git.commits.get(pr.headSha)?.files ?? new Map<string, string>();
      files = diffFiles(base, head, (sha) => this.git.blobs.get(sha) ?? Buffer.alloc(0), { maxPatchBytes: this.standin.options.maxPatchBytes });
      this.pullFilesCache.set(key, files);
    }
    return files;
  }

  /** Every review comment on the pull request, oldest first. */
  reviewComments(number: number): ReviewComment[] {
    return (this.pulls.get(number)?.reviews ?? []).flatMap((r) => r.comments);
  }

  /** The facts the JSON shapes of this repository are made from (`owner`: the fork's owner for a fork). */
  facts(owner = this.owner): RepositoryFacts {
    return owner === this.owner
      ? { id: this.id, owner: this.owner, ownerType: 'Organization', name: this.name, defaultBranch: this.defaultBranch, fork: false }
      : { id: this.id + 1, owner, ownerType: 'User', name: this.name, defaultBranch: this.defaultBranch, fork: true };
  }

  json(base: string): Record<string, unknown> {
    return repositoryJson(bases(base), this.facts());
  }

  pullJson(pr: PullRequest, base: string): Record<string, unknown> {
    const files = this.pullFiles(pr);
    return pullRequestJson(bases(base), {
      number: pr.number,
      id: this.id * 1000 + pr.number,
      title: pr.title,
      state: pr.state,
      draft: pr.draft,
      head: { ref: pr.headRef, sha: pr.headSha, repo: this.facts(pr.headOwner) },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: this.facts() },
      changedFiles: files.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      comments: pr.issueComments.length,
      reviewComments: this.reviewComments(pr.number).length + pr.otherComments.length,
    });
  }

  /** A `pull_request` webhook payload for this pull request. */
  pullRequestEvent(number: number, action = 'opened', extra: Record<string, unknown> = {}): { name: 'pull_request'; payload: Record<string, unknown> } {
    const pr = this.pulls.get(number);
    if (!pr) throw new Error(`no pull request #${number} in ${this.fullName}`);
    const base = this.standin.webBase;
    return this.standin.webhook({
      name: 'pull_request',
      payload: {
        action,
        number,
        pull_request: this.pullJson(pr, base),
        repository: this.json(base),
        organization: organizationJson(bases(base), this.owner),
        installation: { id: this.installationId, node_id: `I_${this.installationId}` },
        sender: userJson(bases(base), 'octocat'),
        ...(action === 'synchronize' ? { before: pr.previousHeadSha ?? pr.baseSha, after: pr.headSha } : {}),
        ...extra,
      },
    });
  }
}

export class Standin {
  readonly options: Required<Omit<StandinOptions, 'layouts'>> & { layouts: readonly Layout[] };
  readonly requests: RecordedRequest[] = [];
  /** What broke GitHub's published contract so far (see `StandinOptions.contract`). */
  readonly contractViolations: ContractViolation[] = [];
  /** The contract checks, when on. */
  readonly contract: Contract | undefined;
  /** Requests that passed the contract check, with their body (their responses are checked in turn). */
  private readonly checked = new WeakMap<RecordedRequest, { body: unknown }>();
  readonly faults: Fault[] = [];
  private readonly repos = new Map<string, StandinRepo>();
  private readonly server: Server;
  private nextId = 1000;
  private port = 0;

  constructor(options: StandinOptions = {}) {
    this.options = {
      truncateTreesAt: options.truncateTreesAt ?? 100_000,
      graphqlTextLimit: options.graphqlTextLimit ?? 512 * 1024,
      maxPatchBytes: options.maxPatchBytes ?? 1024 * 1024,
      maxPullFiles: options.maxPullFiles ?? 3000,
      layouts: options.layouts ?? ['dotcom', 'ghes'],
      appId: options.appId ?? 4242,
      appSlug: options.appSlug ?? 'keyref',
      recordBodies: options.recordBodies ?? true,
      contract: options.contract ?? contractByDefault(),
      otherApps: options.otherApps ?? true,
    };
    this.contract = this.options.contract ? loadContract() : undefined;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, { message: `stand-in error: ${(error as Error).message}` });
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  /** Starts listening on 127.0.0.1 (random port unless given). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops the server; throws when a request or response broke GitHub's published contract (so the test fails). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    const violations = this.takeContractViolations();
    if (violations.length > 0) throw new Error(violations.map((v) => describeProblems(v.what, v.problems)).join('\n'));
  }

  /** A webhook delivery the stand-in builds, checked against the webhook schemas of GitHub's descriptions. */
  webhook<T extends { name: string; payload: Record<string, unknown> }>(event: T): T {
    if (this.contract) this.violation(`webhook ${event.name}.${String(event.payload.action)}`, this.contract.checkWebhook(event.name, event.payload));
    return event;
  }

  /** Returns and forgets the violations so far (for a test that breaks the contract on purpose). */
  takeContractViolations(): ContractViolation[] {
    return this.contractViolations.splice(0);
  }

  /** Records a violation (and says so on stderr at once, for a test that hangs afterwards). */
  violation(what: string, problems: readonly string[]): void {
    if (problems.length === 0) return;
    this.contractViolations.push({ what, problems });
    process.stderr.write(`${describeProblems(`stand-in: ${what}`, problems)}\n`);
  }

  /** `http://127.0.0.1:PORT` — Octokit `baseUrl` for the github.com layout. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** `http://127.0.0.1:PORT/api/v3` — Octokit `baseUrl` for the GHES layout (GraphQL at /api/graphql). */
  get ghesUrl(): string {
    return `${this.url}/api/v3`;
  }
  /** `127.0.0.1:PORT`, for GHE_HOST (with GHE_PROTOCOL=http). */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }
  get webBase(): string {
    return this.url;
  }
  /**
   * The environment that points keyref's self-hosted runtime (`src/app/runtime/main.ts`) at this
   * stand-in as a GitHub Enterprise Server, listening on 127.0.0.1:`port`. Callers add PATH and the like.
   */
  runtimeEnv(options: { privateKey: string; webhookSecret: string; port: number }): Record<string, string> {
    return {
      NODE_ENV: 'production',
      APP_ID: String(this.options.appId),
      PRIVATE_KEY: options.privateKey,
      WEBHOOK_SECRET: options.webhookSecret,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      GHE_HOST: this.host,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
    };
  }
  get appBotLogin(): string {
    return `${this.options.appSlug}[bot]`;
  }

  createRepo(owner: string, name: string, options: { installationId?: number; defaultBranch?: string } = {}): StandinRepo {
    const id = this.nextId++;
    const repo = new StandinRepo(this, owner, name, id, options.installationId ?? 1, options.defaultBranch ?? 'main');
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): StandinRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Injects a fault into the next `times` requests matching `match`. */
  fault(spec: FaultSpec): Fault {
    const f: Fault = { spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(f);
    return f;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Recorded requests, optionally only those whose `METHOD /path` matches. */
  count(match?: RegExp | string): number {
    return match === undefined ? this.requests.length : this.requests.filter((r) => matches(match, `${r.method} ${r.path}`)).length;
  }

  /** Request counts by route (`METHOD /path` with ids and object ids replaced by placeholders), in first-seen order. */
  routeSummary(requests: readonly RecordedRequest[] = this.requests): Map<string, number> {
    const byRoute = new Map<string, number>();
    for (const r of requests) {
      const route = `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, '{sha}').replace(/\/\d+(?=\/|$)/g, '/{n}')}`;
      byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
    }
    return byRoute;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path = url.pathname;
    let layout: Layout = 'dotcom';
    if (path === '/api/graphql' || path.startsWith('/api/v3/') || path === '/api/v3') {
      layout = 'ghes';
      path = path === '/api/graphql' ? '/graphql' : path.slice('/api/v3'.length) || '/';
    }
    const raw = await readBody(req);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: this.options.recordBodies ? body : undefined,
      layout,
      status: 0,
    };
    this.requests.push(record);

    const fault = this.faults.find((f) => f.remaining > 0 && matches(f.spec.match, `${method} ${path}`));
    if (fault) {
      fault.remaining--;
      fault.hits++;
      if (fault.spec.delayMs) await new Promise((r) => setTimeout(r, fault.spec.delayMs));
      if (fault.spec.reset) {
        record.fault = 'reset';
        req.socket.destroy();
        return;
      }
      if (fault.spec.status) {
        record.fault = `status ${fault.spec.status}`;
        record.status = fault.spec.status;
        send(res, fault.spec.status, fault.spec.body ?? { message: 'stand-in injected fault' }, fault.spec.headers);
        return;
      }
      record.fault = `delay ${fault.spec.delayMs ?? 0}ms`;
    }

    if (!this.options.layouts.includes(layout)) return this.reply(res, record, 404, { message: 'Not Found (layout not served)' });
    if (!req.headers.authorization) return this.reply(res, record, 401, { message: 'Requires authentication' });
    if (this.contract) {
      const problems =
        path === '/graphql' && method === 'POST'
          ? this.contract.checkGraphqlRequest(body)
          : this.contract.checkRequest(method, path, Object.fromEntries(url.searchParams), body);
      if (problems.length === 0) this.checked.set(record, { body });
      // An operation GitHub does not have: recorded, then answered as GitHub would (404 from the routes).
      else if (problems.every((p) => p.includes(': no operation '))) this.violation(`${method} ${path}`, problems);
      else {
        this.violation(`${method} ${path}`, problems);
        // What GitHub answers a request outside its contract with.
        if (path === '/graphql') return this.reply(res, record, 200, { errors: problems.map((message) => ({ message })) });
        return this.reply(res, record, 422, { message: 'Invalid request.', errors: problems, documentation_url: 'https://docs.github.com/rest' });
      }
    }
    const ctx: RouteContext = { req, res, url, path, method, body, record, base: this.base(req, layout) };
    for (const [m, re, handler] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (match) return handler.call(this, ctx, match.slice(1).map((s) => decodeURIComponent(s)));
    }
    this.reply(res, record, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  private base(req: IncomingMessage, layout: Layout): string {
    return `http://${req.headers.host ?? this.host}${layout === 'ghes' ? '/api/v3' : ''}`;
  }

  private reply(res: ServerResponse, record: RecordedRequest, status: number, data: unknown, headers: Record<string, string> = {}, contentType = JSON_TYPE): void {
    record.status = status;
    const request = this.checked.get(record);
    // Responses to requests outside the contract (already reported), to faults and to no authentication are not checked.
    if (this.contract && request && !record.fault) {
      const what = `${record.method} ${record.path} → ${status}`;
      if (record.path === '/graphql') {
        if (status === 200) this.violation(what, this.contract.checkGraphqlResponse(request.body, data));
      } else {
        this.violation(what, this.contract.checkResponse(record.method, record.path, status, data, contentType));
      }
    }
    if (contentType === JSON_TYPE) send(res, status, data, headers);
    else {
      res.writeHead(status, { 'content-type': contentType, ...headers });
      res.end(data as Buffer);
    }
  }

  private repoOr404(ctx: RouteContext, owner: string, name: string): StandinRepo | undefined {
    const repo = this.repo(owner, name);
    if (!repo) this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
    return repo;
  }

  private pullOr404(ctx: RouteContext, repo: StandinRepo, n: string): PullRequest | undefined {
    const pr = repo.pulls.get(Number(n));
    if (!pr) this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
    return pr;
  }

  private paginate(ctx: RouteContext, items: unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(ctx.url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {};
    const link = (p: number, rel: string): string => {
      const u = new URL(`${ctx.base}${ctx.path}`);
      for (const [k, v] of ctx.url.searchParams) u.searchParams.set(k, v);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    if (links.length > 0) headers.link = links.join(', ');
    this.reply(ctx.res, ctx.record, 200, items.slice((page - 1) * perPage, page * perPage), headers);
  }

  private id(): number {
    return this.nextId++;
  }

  /** The app's bot account (the author of its reviews and comments). */
  get botUser(): { login: string; type: string } {
    return { login: this.appBotLogin, type: 'Bot' };
  }

  private appJson(base: string, app: { id: number; slug: string } = { id: this.options.appId, slug: this.options.appSlug }): Record<string, unknown> {
    return appJson(bases(base), { ...app, owner: 'standin' });
  }

  private installationJson(base: string, id: number, account: string): Record<string, unknown> {
    const b = bases(base);
    return {
      id,
      app_id: this.options.appId,
      app_slug: this.options.appSlug,
      target_id: 1,
      target_type: 'Organization',
      account: userJson(b, account, 'Organization'),
      single_file_name: null,
      repository_selection: 'all',
      access_tokens_url: `${base}/app/installations/${id}/access_tokens`,
      html_url: `${b.web}/organizations/${account}/settings/installations/${id}`,
      repositories_url: `${base}/installation/repositories`,
      events: ['pull_request', 'check_run', 'check_suite', 'merge_group'],
      permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' },
      created_at: STANDIN_EPOCH,
      updated_at: STANDIN_EPOCH,
      suspended_by: null,
      suspended_at: null,
    };
  }

  private checkRunJson(run: CheckRun, repo: StandinRepo, base: string): Record<string, unknown> {
    const { annotations: _a, updates: _u, app, ...rest } = run;
    const url = `${base}/repos/${repo.fullName}/check-runs/${run.id}`;
    const minimalRepo = { id: repo.id, url: `${base}/repos/${repo.fullName}`, name: repo.name };
    return {
      details_url: null,
      external_id: null,
      started_at: null,
      completed_at: null,
      ...rest,
      output: { title: null, summary: null, text: null, ...run.output, annotations_url: `${url}/annotations` },
      url,
      html_url: `${bases(base).web}/${repo.fullName}/runs/${run.id}`,
      check_suite: { id: run.id * 10 },
      app: this.appJson(base, app),
      // Pull requests of this repository whose head is the run's commit (as GitHub lists them).
      pull_requests: [...repo.pulls.values()]
        .filter((p) => p.headSha === run.head_sha && p.state === 'open' && !p.headOwner)
        .map((p) => ({
          id: repo.id * 1000 + p.number,
          number: p.number,
          url: `${base}/repos/${repo.fullName}/pulls/${p.number}`,
          head: { ref: p.headRef, sha: p.headSha, repo: minimalRepo },
          base: { ref: p.baseRef, sha: p.baseSha, repo: minimalRepo },
        })),
    };
  }

  /** A fresh id for an object (comments, check runs, reviews). */
  nextObjectId(): number {
    return this.nextId++;
  }

  private readonly routes: [string, RegExp, (this: Standin, ctx: RouteContext, params: string[]) => void | Promise<void>][] = [
    // --- app auth ---
    ['GET', /^\/app$/, function (ctx) {
      this.reply(ctx.res, ctx.record, 200, this.appJson(ctx.base));
    }],
    ['POST', /^\/app\/installations\/(\d+)\/access_tokens$/, function (ctx, [id]) {
      this.reply(ctx.res, ctx.record, 201, {
        token: `ghs_standin${id}token`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' },
        repository_selection: 'all',
      });
    }],
    ['GET', /^\/app\/installations\/(\d+)$/, function (ctx, [id]) {
      this.reply(ctx.res, ctx.record, 200, this.installationJson(ctx.base, Number(id), 'standin'));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/installation$/, function (ctx, [o, r]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (repo) this.reply(ctx.res, ctx.record, 200, this.installationJson(ctx.base, repo.installationId, repo.owner));
    }],
    ['GET', /^\/rate_limit$/, function (ctx) {
      const core = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600, used: 0 };
      this.reply(ctx.res, ctx.record, 200, { resources: { core, graphql: core, search: { ...core, limit: 30, remaining: 30 } }, rate: core });
    }],
    // --- repository & git data ---
    ['GET', /^\/repos\/([^/]+)\/([^/]+)$/, function (ctx, [o, r]) {
      const repo = this.repoOr404(ctx, o!, r!);
      // The full repository: a few counts more than the repository objects nested elsewhere.
      if (repo) this.reply(ctx.res, ctx.record, 200, { ...repo.json(ctx.base), network_count: 0, subscribers_count: 0 });
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^/]+)$/, function (ctx, [o, r, sha]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const treeSha = repo.git.commits.get(sha!)?.tree ?? (repo.git.trees.has(sha!) ? sha! : repo.resolveRef(sha)?.tree);
      if (!treeSha) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      const recursive = ctx.url.searchParams.has('recursive') && ctx.url.searchParams.get('recursive') !== '0' && ctx.url.searchParams.get('recursive') !== 'false';
      let entries = recursive
        ? repo.git.listRecursive(treeSha)
        : (repo.git.trees.get(treeSha) ?? []).map((e) => ({ path: e.name, mode: e.mode, type: e.type, sha: e.sha }));
      let truncated = false;
      if (recursive && entries.length > this.options.truncateTreesAt) {
        entries = entries.slice(0, this.options.truncateTreesAt);
        truncated = true;
      }
      const tree = entries.map((e) => ({
        ...e,
        ...(e.type === 'blob' ? { size: repo.git.blobs.get(e.sha)?.length ?? 0 } : {}),
        url: `${ctx.base}/repos/${repo.fullName}/git/${e.type}s/${e.sha}`,
      }));
      this.reply(ctx.res, ctx.record, 200, { sha: treeSha, url: `${ctx.base}/repos/${repo.fullName}/git/trees/${treeSha}`, tree, truncated });
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/, function (ctx, [o, r, sha]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const blob = repo.git.blobs.get(sha!);
      if (!blob) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      this.reply(ctx.res, ctx.record, 200, { sha, node_id: `B_${sha}`, size: blob.length, encoding: 'base64', content: blob.toString('base64'), url: `${ctx.base}/repos/${repo.fullName}/git/blobs/${sha}` });
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([0-9a-f]{40})$/, function (ctx, [o, r, sha]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const c = repo?.git.commits.get(sha!);
      if (!repo) return;
      if (!c) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      const url = `${ctx.base}/repos/${repo.fullName}/git/commits/${c.sha}`;
      const web = `${bases(ctx.base).web}/${repo.fullName}/commit/`;
      const person = { name: 'stand-in', email: 'standin@example.invalid', date: STANDIN_EPOCH };
      this.reply(ctx.res, ctx.record, 200, {
        sha: c.sha,
        node_id: `C_${c.sha}`,
        url,
        html_url: `${web}${c.sha}`,
        author: person,
        committer: person,
        message: c.message,
        tree: { sha: c.tree, url: `${ctx.base}/repos/${repo.fullName}/git/trees/${c.tree}` },
        parents: c.parents.map((p) => ({ sha: p, url: `${ctx.base}/repos/${repo.fullName}/git/commits/${p}`, html_url: `${web}${p}` })),
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      });
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/, function (ctx, [o, r, path]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const commit = repo.resolveRef(ctx.url.searchParams.get('ref') ?? undefined);
      const sha = commit?.files.get(path!);
      const blob = sha ? repo.git.blobs.get(sha) : undefined;
      if (!sha || !blob) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      const raw = /raw/.test(String(ctx.req.headers.accept ?? ''));
      // Conditional requests, as GitHub answers them: an ETag per content and representation, 304 when it matches.
      const etag = `"${sha}${raw ? '.raw' : ''}"`;
      if (ctx.req.headers['if-none-match'] === etag) {
        ctx.record.status = 304;
        ctx.res.writeHead(304, { etag });
        ctx.res.end();
        return;
      }
      if (raw) {
        return this.reply(ctx.res, ctx.record, 200, blob, { etag }, 'text/plain; charset=utf-8');
      }
      const name = path!.slice(path!.lastIndexOf('/') + 1);
      const url = `${ctx.base}/repos/${repo.fullName}/contents/${path}`;
      const gitUrl = `${ctx.base}/repos/${repo.fullName}/git/blobs/${sha}`;
      const htmlUrl = `${bases(ctx.base).web}/${repo.fullName}/blob/${commit!.sha}/${path}`;
      this.reply(ctx.res, ctx.record, 200, {
        type: 'file',
        encoding: 'base64',
        size: blob.length,
        name,
        path,
        sha,
        content: blob.toString('base64'),
        url,
        git_url: gitUrl,
        html_url: htmlUrl,
        download_url: `${bases(ctx.base).web}/${repo.fullName}/raw/${commit!.sha}/${path}`,
        _links: { self: url, git: gitUrl, html: htmlUrl },
      }, { etag });
    }],
    // --- pull requests ---
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls$/, function (ctx, [o, r]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const state = ctx.url.searchParams.get('state') ?? 'open';
      const head = ctx.url.searchParams.get('head');
      const list = [...repo.pulls.values()].filter(
        (p) => (state === 'all' || p.state === state) && (!head || head === `${p.headOwner ?? repo.owner}:${p.headRef}`),
      );
      this.paginate(ctx, list.map((p) => repo.pullJson(p, ctx.base)));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/, function (ctx, [o, r, sha]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const list = [...repo.pulls.values()].filter((p) => p.headSha === sha && p.state === 'open');
      this.paginate(ctx, list.map((p) => repo.pullJson(p, ctx.base)));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (repo && pr) this.reply(ctx.res, ctx.record, 200, repo.pullJson(pr, ctx.base));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (!repo || !pr) return;
      const web = `${bases(ctx.base).web}/${repo.fullName}`;
      this.paginate(
        ctx,
        repo.pullFiles(pr).slice(0, this.options.maxPullFiles).map((f) => ({
          ...f,
          blob_url: `${web}/blob/${pr.headSha}/${f.filename}`,
          raw_url: `${web}/raw/${pr.headSha}/${f.filename}`,
          contents_url: `${ctx.base}/repos/${repo.fullName}/contents/${encodeURIComponent(f.filename)}?ref=${pr.headSha}`,
        })),
      );
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/comments$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (repo && pr) {
        const all = [...repo.reviewComments(pr.number), ...pr.otherComments].sort((a, b) => a.id - b.id);
        this.paginate(ctx, all.map((c) => reviewCommentJson(bases(ctx.base), repo.fullName, pr.number, c)));
      }
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (repo && pr) this.paginate(ctx, pr.reviews.map((r) => reviewJson(bases(ctx.base), repo.fullName, pr.number, r, this.botUser)));
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (!repo || !pr) return;
      const body = (ctx.body ?? {}) as { commit_id?: string; body?: string; event?: string; comments?: Record<string, unknown>[] };
      const files = new Map(repo.pullFiles(pr).map((f) => [f.filename, f] as const));
      const commitId = body.commit_id ?? pr.headSha;
      const reviewId = this.id();
      const comments: ReviewComment[] = [];
      for (const c of body.comments ?? []) {
        const file = files.get(String(c.path));
        const line = Number(c.line ?? c.position);
        const startLine = c.start_line === undefined ? undefined : Number(c.start_line);
        const lines = file?.patch ? commentableLines(file.patch) : undefined;
        if (!lines || !lines.has(line) || (startLine !== undefined && !lines.has(startLine))) {
          return this.reply(ctx.res, ctx.record, 422, {
            message: 'Unprocessable Entity',
            errors: ['Pull request review thread line must be part of the diff'],
            documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
          });
        }
        const id = this.id();
        comments.push({
          id,
          node_id: `PRRC_${id}`,
          pull_request_review_id: reviewId,
          path: String(c.path),
          line,
          ...(startLine !== undefined ? { start_line: startLine } : {}),
          side: String(c.side ?? 'RIGHT'),
          body: String(c.body ?? ''),
          commit_id: commitId,
          user: { login: this.appBotLogin, type: 'Bot' },
        });
      }
      const event = body.event ?? 'PENDING';
      const review: Review = {
        id: reviewId,
        node_id: `PRR_${reviewId}`,
        body: body.body ?? '',
        event,
        state: event === 'COMMENT' ? 'COMMENTED' : event === 'APPROVE' ? 'APPROVED' : event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'PENDING',
        commit_id: commitId,
        comments,
      };
      pr.reviews.push(review);
      this.reply(ctx.res, ctx.record, 200, reviewJson(bases(ctx.base), repo.fullName, pr.number, review, this.botUser));
    }],
    ['PATCH', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/comments\/(\d+)$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const pr = [...repo.pulls.values()].find((p) => repo.reviewComments(p.number).some((x) => x.id === Number(id)));
      const c = pr && repo.reviewComments(pr.number).find((x) => x.id === Number(id));
      if (!pr || !c) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      c.body = String((ctx.body as { body?: string } | undefined)?.body ?? c.body);
      this.reply(ctx.res, ctx.record, 200, reviewCommentJson(bases(ctx.base), repo.fullName, pr.number, c));
    }],
    ['DELETE', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/comments\/(\d+)$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      for (const p of repo.pulls.values())
        for (const rv of p.reviews) {
          const i = rv.comments.findIndex((x) => x.id === Number(id));
          if (i >= 0) {
            rv.comments.splice(i, 1);
            return this.reply(ctx.res, ctx.record, 204, undefined);
          }
        }
      this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
    }],
    // --- issue comments ---
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (repo && pr) this.paginate(ctx, pr.issueComments.map((c) => issueCommentJson(bases(ctx.base), repo.fullName, pr.number, c)));
    }],
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, function (ctx, [o, r, n]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const pr = repo && this.pullOr404(ctx, repo, n!);
      if (!pr) return;
      const id = this.id();
      const c: IssueComment = { id, node_id: `IC_${id}`, body: String((ctx.body as { body?: string } | undefined)?.body ?? ''), user: this.botUser };
      pr.issueComments.push(c);
      this.reply(ctx.res, ctx.record, 201, issueCommentJson(bases(ctx.base), repo.fullName, pr.number, c));
    }],
    ['PATCH', /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const pr = [...repo.pulls.values()].find((p) => p.issueComments.some((x) => x.id === Number(id)));
      const c = pr?.issueComments.find((x) => x.id === Number(id));
      if (!pr || !c) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      c.body = String((ctx.body as { body?: string } | undefined)?.body ?? c.body);
      this.reply(ctx.res, ctx.record, 200, issueCommentJson(bases(ctx.base), repo.fullName, pr.number, c));
    }],
    // --- check runs ---
    ['POST', /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/, function (ctx, [o, r]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      if (typeof body.name !== 'string' || typeof body.head_sha !== 'string') {
        return this.reply(ctx.res, ctx.record, 422, { message: 'Invalid request.', errors: ['name and head_sha are required'] });
      }
      const id = this.id();
      const run: CheckRun = { id, node_id: `CR_${id}`, name: body.name, head_sha: body.head_sha, status: 'queued', conclusion: null, output: { title: null, summary: null, text: null, annotations_count: 0 }, annotations: [], updates: 0 };
      const problem = applyCheckRunUpdate(run, body);
      if (problem) return this.reply(ctx.res, ctx.record, 422, { message: 'Invalid request.', errors: [problem] });
      repo.checkRuns.push(run);
      this.reply(ctx.res, ctx.record, 201, this.checkRunJson(run, repo, ctx.base));
    }],
    ['PATCH', /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const run = repo.checkRuns.find((c) => c.id === Number(id));
      if (!run) {
        // GitHub lets an app change only its own check runs.
        if (repo.otherAppsCheckRuns.some((c) => c.id === Number(id))) return this.reply(ctx.res, ctx.record, 403, { message: 'Invalid app_id `' + this.options.appId + '` - check run can only be modified by its creator.' });
        return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      }
      const problem = applyCheckRunUpdate(run, (ctx.body ?? {}) as Record<string, unknown>);
      if (problem) return this.reply(ctx.res, ctx.record, 422, { message: 'Invalid request.', errors: [problem] });
      this.reply(ctx.res, ctx.record, 200, this.checkRunJson(run, repo, ctx.base));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const run = repo && [...repo.checkRuns, ...repo.otherAppsCheckRuns].find((c) => c.id === Number(id));
      if (!repo) return;
      if (!run) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      this.reply(ctx.res, ctx.record, 200, this.checkRunJson(run, repo, ctx.base));
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)\/annotations$/, function (ctx, [o, r, id]) {
      const repo = this.repoOr404(ctx, o!, r!);
      const run = repo?.checkRuns.find((c) => c.id === Number(id));
      if (!repo) return;
      if (!run) return this.reply(ctx.res, ctx.record, 404, { message: 'Not Found' });
      this.paginate(ctx, run.annotations);
    }],
    ['GET', /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/, function (ctx, [o, r, ref]) {
      const repo = this.repoOr404(ctx, o!, r!);
      if (!repo) return;
      const sha = repo.resolveRef(ref)?.sha ?? ref;
      const name = ctx.url.searchParams.get('check_name');
      const appId = ctx.url.searchParams.get('app_id');
      let runs = [...repo.checkRuns, ...repo.otherAppsCheckRuns]
        .sort((a, b) => a.id - b.id)
        .filter((c) => c.head_sha === sha && (!name || c.name === name) && (!appId || Number(appId) === (c.app?.id ?? this.options.appId)))
        .reverse();
      // filter=latest (GitHub's default): only the most recent run of each name (per app).
      const key = (c: CheckRun): string => `${c.app?.id ?? this.options.appId}/${c.name}`;
      if (ctx.url.searchParams.get('filter') !== 'all') runs = runs.filter((c, i) => runs.findIndex((d) => key(d) === key(c)) === i);
      const perPage = Math.min(100, Number(ctx.url.searchParams.get('per_page') ?? 30) || 30);
      const page = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
      this.reply(ctx.res, ctx.record, 200, {
        total_count: runs.length,
        check_runs: runs.slice((page - 1) * perPage, page * perPage).map((c) => this.checkRunJson(c, repo, ctx.base)),
      });
    }],
    // --- GraphQL ---
    ['POST', /^\/graphql$/, function (ctx) {
      this.graphql(ctx);
    }],
  ];

  /**
   * GraphQL, parsed with graphql-js and answered with exactly the selected fields: `repository(owner, name)`
   * with aliased `object(oid:)` blobs (`... on Blob { text isBinary byteSize isTruncated }`), and the
   * `minimizeComment` and `updatePullRequestReviewComment` mutations (the latter only on the app's own
   * comments, as GitHub allows). Variables and literals both work.
   */
  private graphql(ctx: RouteContext): void {
    const { query, variables = {} } = (ctx.body ?? {}) as { query?: string; variables?: Record<string, unknown> };
    if (typeof query !== 'string') return this.reply(ctx.res, ctx.record, 400, { message: 'Problems parsing JSON' });
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return this.reply(ctx.res, ctx.record, 200, { errors: [{ message: (error as Error).message }] });
    }
    const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (!op) return this.reply(ctx.res, ctx.record, 200, { errors: [{ message: 'no operation' }] });
    const args = (field: FieldNode): Record<string, any> =>
      Object.fromEntries((field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]));
    const data: Record<string, unknown> = {};
    const errors: Record<string, unknown>[] = [];
    const fail = (key: string, type: string, message: string): void => {
      data[key] = null;
      errors.push({ type, path: [key], message });
    };
    for (const field of op.selectionSet.selections) {
      if (field.kind !== Kind.FIELD) continue;
      const key = field.alias?.value ?? field.name.value;
      const a = args(field);
      if (op.operation === 'query' && field.name.value === 'repository') {
        const repo = typeof a.owner === 'string' && typeof a.name === 'string' ? this.repo(a.owner, a.name) : undefined;
        if (!repo) {
          fail(key, 'NOT_FOUND', `Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`);
          continue;
        }
        data[key] = project(this.repositoryNode(repo), field.selectionSet, variables);
      } else if (op.operation === 'mutation' && field.name.value === 'minimizeComment') {
        const subjectId = a.input?.subjectId as string | undefined;
        const target = this.findNode(subjectId);
        if (!target) {
          fail(key, 'NOT_FOUND', `Could not resolve to a node with the global id of '${subjectId}'.`);
          continue;
        }
        target.minimized = true;
        const reason = String(a.input?.classifier ?? 'OUTDATED').toLowerCase();
        data[key] = project({ __typename: 'MinimizeCommentPayload', clientMutationId: null, minimizedComment: { __typename: 'PullRequestReviewComment', isMinimized: true, minimizedReason: reason, viewerCanMinimize: true } }, field.selectionSet, variables);
      } else if (op.operation === 'mutation' && field.name.value === 'updatePullRequestReviewComment') {
        const id = a.input?.pullRequestReviewCommentId as string | undefined;
        const target = this.findNode(id);
        if (!target || !('path' in target)) {
          fail(key, 'NOT_FOUND', `Could not resolve to a node with the global id of '${id}'.`);
          continue;
        }
        if (target.user.login !== this.appBotLogin) {
          fail(key, 'FORBIDDEN', 'Resource not accessible by integration');
          continue;
        }
        if (typeof a.input?.body === 'string') target.body = a.input.body;
        data[key] = project({ __typename: 'UpdatePullRequestReviewCommentPayload', clientMutationId: null, pullRequestReviewComment: { __typename: 'PullRequestReviewComment', id: target.node_id, body: target.body, databaseId: target.id } }, field.selectionSet, variables);
      } else {
        fail(key, 'UNIMPLEMENTED', `the stand-in does not implement ${op.operation} field ${field.name.value}`);
      }
    }
    this.reply(ctx.res, ctx.record, 200, errors.length > 0 ? { data, errors } : { data });
  }

  /** A repository as a GraphQL object: `object(oid:)` reads a blob. */
  private repositoryNode(repo: StandinRepo): Record<string, unknown> {
    return {
      __typename: 'Repository',
      id: `R_${repo.id}`,
      name: repo.name,
      nameWithOwner: repo.fullName,
      object: (a: { oid?: string }) => {
        const blob = a.oid ? repo.git.blobs.get(a.oid) : undefined;
        if (!blob) return null;
        const binary = blob.subarray(0, 8192).includes(0);
        const truncated = !binary && blob.length > this.options.graphqlTextLimit;
        return {
          __typename: 'Blob',
          oid: a.oid,
          text: binary ? null : (truncated ? blob.subarray(0, this.options.graphqlTextLimit) : blob).toString('utf8'),
          isBinary: binary,
          byteSize: blob.length,
          isTruncated: truncated,
        };
      },
    };
  }

  private findNode(id: string | undefined): ReviewComment | IssueComment | undefined {
    if (!id) return undefined;
    for (const repo of this.repos.values())
      for (const pr of repo.pulls.values()) {
        for (const c of [...repo.reviewComments(pr.number), ...pr.otherComments]) if (c.node_id === id) return c;
        for (const c of pr.issueComments) if (c.node_id === id) return c;
      }
    return undefined;
  }
}

/** The selected fields of a GraphQL object (aliases, arguments of function-valued fields, inline fragments by `__typename`). */
function project(value: unknown, selectionSet: SelectionSetNode | undefined, variables: Record<string, unknown>): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, selectionSet, variables));
  if (!selectionSet || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!sel.typeCondition || sel.typeCondition.name.value === source.__typename) Object.assign(out, project(source, sel.selectionSet, variables));
    } else if (sel.kind === Kind.FIELD) {
      const raw = source[sel.name.value];
      const fieldArgs = Object.fromEntries((sel.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]));
      out[sel.alias?.value ?? sel.name.value] = project(typeof raw === 'function' ? (raw as (a: unknown) => unknown)(fieldArgs) : raw, sel.selectionSet, variables);
    }
  }
  return out;
}

interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  method: string;
  body: unknown;
  record: RecordedRequest;
  base: string;
}

const OUTPUT_TEXT_LIMIT = 65535;

/** Applies a create/update body to a check run; returns a problem GitHub would answer 422 for. */
function applyCheckRunUpdate(run: CheckRun, body: Record<string, unknown>): string | undefined {
  const output = body.output as { title?: string; summary?: string; text?: string; annotations?: Record<string, unknown>[] } | undefined;
  if (output) {
    if ((output.summary?.length ?? 0) > OUTPUT_TEXT_LIMIT) return 'output.summary is too long (maximum is 65535 characters)';
    if ((output.text?.length ?? 0) > OUTPUT_TEXT_LIMIT) return 'output.text is too long (maximum is 65535 characters)';
    if ((output.annotations?.length ?? 0) > 50) return 'output.annotations: at most 50 annotations per request';
    for (const a of output.annotations ?? []) {
      if (typeof a.path !== 'string' || typeof a.start_line !== 'number' || typeof a.end_line !== 'number' || typeof a.message !== 'string') {
        return 'annotation is missing path, start_line, end_line or message';
      }
      if (!['notice', 'warning', 'failure'].includes(String(a.annotation_level))) return 'annotation_level must be notice, warning or failure';
    }
  }
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && !run.conclusion) return 'conclusion is required when status is completed';
  for (const k of ['started_at', 'completed_at', 'external_id', 'details_url'] as const) if (typeof body[k] === 'string') run[k] = body[k] as string;
  if (typeof body.name === 'string') run.name = body.name;
  if (output) {
    if (output.title !== undefined) run.output.title = output.title;
    if (output.summary !== undefined) run.output.summary = output.summary;
    if (output.text !== undefined) run.output.text = output.text;
    run.annotations.push(...(output.annotations ?? []));
    run.output.annotations_count = run.annotations.length;
  }
  if (run.status === 'completed' && !run.completed_at) run.completed_at = new Date().toISOString();
  run.updates++;
  return undefined;
}

function matches(match: RegExp | string, text: string): boolean {
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const body = data === undefined ? '' : JSON.stringify(data);
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-github-request-id': 'STANDIN',
    ...headers,
  });
  res.end(body);
}

const MAX_BODY = 50 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts a stand-in on 127.0.0.1 (random port). */
export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  return new Standin(options).start();
}
