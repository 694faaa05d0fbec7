/**
 * GitHub API frugality benchmark, against the local GitHub stand-in on loopback.
 *
 * For repositories of 10, 1,000 and 10,000 manifests it measures, in the same run:
 *   - the repository reader (readTrees: base + head of a pull request): cold cache, warm cache (same
 *     commits again) and the next push (a new head commit, warm cache);
 *   - a naive baseline: one contents-API request per manifest per side;
 *   - the full app: a signed webhook over HTTP → completed check run, cold (fresh app) and on the next
 *     push (`synchronize`, warm cache): every API request the app made, and the time.
 *
 *   - with --redis (needs redis-server; a throwaway one on loopback): the blob cache's Redis tier. After
 *     the next push, the app is stopped and a new one (empty memory caches, new Redis connection, new
 *     token) reviews one more push: the first review after a deploy, warm from Redis.
 *
 *   node --import tsx scripts/bench-api.ts [--sizes=10,1000,10000] [--no-app] [--throttle] [--redis] [--naive-sample=500] [--routes] [--json]
 *
 * --routes prints (to stderr) the requests of each app run by route.
 *
 * Octokit's write throttling (which spaces writes ≥ 1 s apart in production) is off unless
 * --throttle, so the times measure keyref rather than the pacing.
 */
import pLimit from 'p-limit';
import { createKeyrefApp } from '../src/app/index.js';
import { createBlobCache, readTrees } from '../src/app/repository/index.js';
import { isManifestCandidate } from '../src/engine/candidates.js';
import { startAppHarness } from '../src/standin/app-harness.js';
import { startStandin, type FileMap, type Standin, type StandinRepo } from '../src/standin/index.js';
import { Octokit } from '@octokit/rest';
import { splitRequests as split } from './request-kinds.js';
import { createRedisBlobStore } from '../src/app/repository/redis-cache.js';
import { startRedis, type TestRedis } from '../test/app/queue/helpers/redis-server.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = (option('sizes') ?? '10,1000,10000').split(',').map(Number).filter((n) => n > 0);
const withApp = !flag('no-app');

delete process.env.REDIS_URL;

interface Row {
  manifests: number;
  reader: { cold: Measure; warm: Measure; nextPush: Measure };
  naive: Measure & { extrapolated?: boolean };
  app?: { cold: Measure; nextPush: Measure; afterRestart?: Measure; conclusion: string | null };
}
interface Measure {
  requests: number;
  ms: number;
  /** Split of `requests`: reads (GET, GraphQL queries), writes (REST writes, GraphQL mutations), installation tokens. */
  reads?: number;
  writes?: number;
  tokens?: number;
}

function configMap(i: number, keys: readonly string[]): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: team-${i % 20}\ndata:\n${keys.map((k) => `  ${k}: "v"\n`).join('')}`;
}

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${(i - 1) % 20}
spec:
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i} }
    spec:
      containers:
        - name: app
          image: example.invalid/app:${i}
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: { name: cm-${i - 1}, key: LOG_LEVEL }
            - name: REGION
              valueFrom:
                configMapKeyRef: { name: cm-${i - 1}, key: REGION }
`;
}

/** n manifests (ConfigMaps and Deployments that use them) spread over folders, plus non-manifest files. */
function generateRepo(n: number): FileMap {
  const files: FileMap = {};
  for (let i = 0; i < n; i++) {
    const dir = `services/svc-${Math.floor(i / 50)}`;
    files[`${dir}/${i % 2 === 0 ? `cm-${i}` : `deploy-${i}`}.yaml`] = i % 2 === 0 ? configMap(i, ['LOG_LEVEL', 'REGION']) : deployment(i);
  }
  for (let i = 0; i < Math.ceil(n / 10); i++) files[`src/pkg-${i % 30}/file-${i}.go`] = `package p\n// ${i}\n`;
  files['README.md'] = '# generated\n';
  return files;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function measure(standin: Standin, fn: () => Promise<unknown>, label?: string): Promise<Measure> {
  const before = standin.requests.length;
  const t = performance.now();
  await fn();
  const m = { requests: standin.requests.length - before, ms: performance.now() - t, ...split(standin.requests.slice(before)) };
  if (label && flag('routes')) {
    console.error(`${label}: ${m.requests} requests`);
    for (const [route, n] of standin.routeSummary(standin.requests.slice(before))) console.error(`  ${String(n).padStart(4)} × ${route}`);
  }
  return m;
}

/** Waits until no request has arrived for `quietMs` (the app may still post after the check run completes). */
async function settle(standin: Standin, quietMs = 150): Promise<void> {
  let last = -1;
  while (standin.requests.length !== last) {
    last = standin.requests.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

async function benchSize(standin: Standin, n: number, index: number): Promise<Row> {
  const owner = 'bench';
  const name = `repo-${n}-${index}`;
  const repo = standin.createRepo(owner, name, { installationId: 100 + index });
  const files = generateRepo(n);
  const base = repo.commit(files);
  // The PR: one key removed from a ConfigMap a Deployment uses (an error), one new manifest.
  const headFiles: FileMap = { ...files, 'services/svc-0/cm-0.yaml': configMap(0, ['LOG_LEVEL']), 'services/new.yaml': configMap(999999, ['A']) };
  const head = repo.commit(headFiles, { branch: 'feature' });
  const pushFiles: FileMap = { ...headFiles, 'services/new.yaml': configMap(999999, ['A', 'B']) };
  const head2 = repo.commit(pushFiles, { branch: 'feature' });
  const octokit = new Octokit({ auth: 'ghs_bench', baseUrl: standin.url, log: quiet });
  const target = { owner, repo: name, baseSha: base, headSha: head };

  const cache = createBlobCache();
  const cold = await measure(standin, () => readTrees(octokit, target, { cache }));
  const warm = await measure(standin, () => readTrees(octokit, target, { cache }));
  const nextPush = await measure(standin, () => readTrees(octokit, { ...target, headSha: head2 }, { cache }));

  // Naive: list the tree, then one contents request per manifest, for base and head. Above
  // --naive-sample requests (default 500) only a sample is timed and the time is scaled up.
  const limit = pLimit(8);
  const sample = Number(option('naive-sample') ?? 500);
  let naiveTotal = 0;
  let naiveSent = 0;
  const naiveTimed = await measure(standin, async () => {
    const lists: [string, string[]][] = [];
    for (const sha of [base, head]) {
      const { data } = await octokit.rest.git.getTree({ owner, repo: name, tree_sha: sha, recursive: '1' });
      lists.push([sha, data.tree.filter((e) => e.type === 'blob' && e.path && isManifestCandidate(e.path)).map((e) => e.path!)]);
    }
    naiveTotal = 2 + lists.reduce((k, [, paths]) => k + paths.length, 0);
    const budget = Math.max(1, sample);
    const jobs = lists.flatMap(([sha, paths]) => paths.map((path) => [sha, path] as const));
    const picked = jobs.length <= budget ? jobs : jobs.filter((_, i) => i % Math.ceil(jobs.length / budget) === 0);
    naiveSent = 2 + picked.length;
    await Promise.all(picked.map(([sha, path]) => limit(() => octokit.rest.repos.getContent({ owner, repo: name, path, ref: sha }))));
  });
  const naive: Measure & { extrapolated?: boolean } = {
    requests: naiveTotal,
    ms: (naiveTimed.ms * naiveTotal) / Math.max(1, naiveSent),
    ...(naiveSent < naiveTotal ? { extrapolated: true } : {}),
  };

  const row: Row = { manifests: n, reader: { cold, warm, nextPush }, naive };
  const head3 = () => repo.commit({ ...pushFiles, 'services/new.yaml': configMap(999999, ['A', 'B', 'C']) }, { branch: 'feature' });
  if (withApp) row.app = await benchApp(standin, repo, base, head, head2, head3);
  return row;
}

let redisServer: TestRedis | undefined;

/** A blob cache Redis tier on the bench's Redis (--redis), else none (memory only, as without REDIS_URL). */
function blobStore(repo: StandinRepo) {
  return redisServer ? createRedisBlobStore({ redis: redisServer.url, secret: 'bench-secret', prefix: `bench:{${repo.fullName}}` }) : null;
}

async function startApp(standin: Standin, store: ReturnType<typeof blobStore>) {
  let closeQueue: () => Promise<void> = async () => {};
  const harness = await startAppHarness({
    standin,
    throttle: flag('throttle'),
    appFn: createKeyrefApp({ appId: standin.options.appId, blobStore: store, onQueue: (q) => (closeQueue = () => q.close()) }),
    logLevel: 'error',
  });
  return {
    harness,
    close: async () => {
      await closeQueue();
      await harness.close();
      await store?.close();
    },
  };
}

async function benchApp(standin: Standin, repo: StandinRepo, base: string, head: string, head2: string, head3: () => string): Promise<NonNullable<Row['app']>> {
  const app = await startApp(standin, blobStore(repo));
  const harness = app.harness;
  let afterRestart: Measure | undefined;
  try {
    repo.openPullRequest({ base, head, number: 1, headRef: 'feature' });
    const cold = await measure(standin, async () => {
      await harness.deliver(repo.pullRequestEvent(1, 'opened'));
      await harness.waitForCheckRun(repo, head, { timeoutMs: 300_000 });
      await settle(standin);
    }, `app cold, ${repo.fullName}`);
    const conclusion = repo.checkRuns.filter((c) => c.head_sha === head).at(-1)?.conclusion ?? null;
    repo.openPullRequest({ base, head: head2, number: 1 });
    const nextPush = await measure(standin, async () => {
      await harness.deliver(repo.pullRequestEvent(1, 'synchronize'));
      await harness.waitForCheckRun(repo, head2, { timeoutMs: 300_000 });
      await settle(standin);
    }, `app next push, ${repo.fullName}`);
    if (redisServer) {
      // A deploy: this app stops (its pending cache writes go out), a new one starts with empty memory.
      await app.close();
      const fresh = await startApp(standin, blobStore(repo));
      try {
        const sha = head3();
        repo.openPullRequest({ base, head: sha, number: 1 });
        afterRestart = await measure(standin, async () => {
          await fresh.harness.deliver(repo.pullRequestEvent(1, 'synchronize'));
          await fresh.harness.waitForCheckRun(repo, sha, { timeoutMs: 300_000 });
          await settle(standin);
        }, `app after restart (Redis warm), ${repo.fullName}`);
      } finally {
        await fresh.close();
      }
    }
    return { cold, nextPush, conclusion, ...(afterRestart ? { afterRestart } : {}) };
  } finally {
    if (!afterRestart) await app.close();
  }
}

if (flag('redis')) {
  redisServer = await startRedis();
  if (!redisServer) {
    console.error('--redis: redis-server not found (install Debian redis-server; .ci/redis.sh does it)');
    process.exit(2);
  }
}
const standin = await startStandin();
const rows: Row[] = [];
try {
  for (const [i, n] of sizes.entries()) rows.push(await benchSize(standin, n, i));
} finally {
  await standin.close();
  await redisServer?.stop();
}

if (flag('json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const ms = (m: Measure): string => `${m.ms < 10 ? m.ms.toFixed(1) : m.ms.toFixed(0)} ms`;
  const cell = (m: Measure): string => `${m.requests} req ${ms(m)}`;
  const header = ['manifests', 'reader cold', 'reader warm', 'reader next push', 'naive (1 req/file)', 'naive ÷ cold'];
  if (withApp) header.push('app cold (webhook → check)', 'app next push (warm)');
  if (withApp && redisServer) header.push('new process, Redis warm');
  const table = rows.map((r) => {
    const cols = [
      r.manifests.toLocaleString('en-US'),
      cell(r.reader.cold),
      cell(r.reader.warm),
      cell(r.reader.nextPush),
      `${cell(r.naive)}${r.naive.extrapolated ? '*' : ''}`,
      `${(r.naive.requests / Math.max(1, r.reader.cold.requests)).toFixed(1)}×`,
    ];
    const rw = (m: Measure): string => ` (${m.reads} reads, ${m.writes} writes${m.tokens ? `, ${m.tokens} token` : ''})`;
    if (r.app) cols.push(cell(r.app.cold) + rw(r.app.cold), cell(r.app.nextPush) + rw(r.app.nextPush));
    if (r.app?.afterRestart) cols.push(cell(r.app.afterRestart) + rw(r.app.afterRestart));
    return cols;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((c) => c[i]!.length)));
  const line = (cols: string[]): string => cols.map((c, i) => c.padEnd(widths[i]!)).join(' │ ');
  console.log('GitHub API requests per pull request review (local stand-in, loopback)');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const cols of table) console.log(line(cols));
  console.log(
    'reader = tree listings + batched GraphQL blob reads for base and head (goal: warm ≤ 8, cold ≤ 1 per 100 manifests + a few);\n' +
      'app = every request of a review: token, check run create/complete, config, PR files, review comments, review, tree reads;\n' +
      (redisServer ? 'new process, Redis warm = the next push reviewed by a freshly started app (empty memory caches) whose blob cache has a Redis tier (--redis);\n' : '') +
      (rows.some((r) => r.naive.extrapolated) ? `* naive time extrapolated from ${option('naive-sample') ?? 500} timed requests (the request count is exact).\n` : '') +
      `Octokit throttling ${flag('throttle') ? 'on, as in production (reads paced as reads, writes ≥ 1 s apart)' : 'off (production spaces writes ≥ 1 s apart)'}.`,
  );
  // The goals of issue 12 (with throttling on).
  const goal = (label: string, m: Measure | undefined, limitMs: number): void => {
    if (m) console.log(`  ${label}: ${(m.ms / 1000).toFixed(2)} s (goal ≤ ${limitMs / 1000} s) ${m.ms <= limitMs ? 'OK' : 'OVER'}`);
  };
  if (withApp && flag('throttle')) {
    const app = (n: number) => rows.find((r) => r.manifests === n)?.app;
    goal('cold review, 2,000 manifests', app(2000)?.cold, 5000);
    goal('cold review, 10,000 manifests', app(10000)?.cold, 15000);
    for (const r of rows) goal(`warm re-push, ${r.manifests.toLocaleString('en-US')} manifests`, r.app?.nextPush, 1500);
    // Issue 12: the first review after a deploy is warm (its reads are those of a warm re-push, not a cold review's).
    for (const r of rows) {
      const a = r.app;
      if (a?.afterRestart) {
        const warm = a.afterRestart.reads! <= a.nextPush.reads!;
        console.log(
          `  first review after a restart, Redis warm, ${r.manifests.toLocaleString('en-US')} manifests: ${a.afterRestart.reads} reads (warm re-push ${a.nextPush.reads}, cold ${a.cold.reads}), ${(a.afterRestart.ms / 1000).toFixed(2)} s ${warm ? 'WARM' : 'NOT WARM'}`,
        );
      }
    }
  }
}
process.exit(0);
