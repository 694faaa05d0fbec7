/**
 * `npm run soak` — reliability figures for the keyref app, against the local GitHub stand-in on loopback.
 * The app runs as the production entry point would (src/app/runtime: Probot's HTTP server, health
 * endpoints, body-size guard, graceful shutdown) in child processes, pointed at the stand-in's GitHub
 * Enterprise Server layout (GHE_HOST, GHE_PROTOCOL=http).
 *
 *   1. load: N signed deliveries (default 200) over C concurrent connections (default 50): every delivery
 *      acknowledged, every check run completed; p50/p99 acknowledgement and completion times; peak RSS.
 *   2. faults injected by the stand-in, one pull request each: 5xx burst, connection resets, a slow
 *      response, 403 and 429 rate limits with retry-after, 422 on the review, blobs gone mid-review;
 *      prints what the app did (check run conclusion, retries, reviews posted).
 *   3. bad webhooks: wrong signature, missing headers, malformed JSON, 25 MB body: status, nothing processed.
 *   4. with Redis (when redis-server is installed): a replica killed mid-review; the other completes it.
 *
 *   npm run soak [-- --deliveries 200 --connections 50 --skip-redis]
 *
 * Exit code 1 when an invariant fails (an unacknowledged delivery, a check run left incomplete, a review
 * posted twice, a bad webhook accepted, the app dead).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { maxInWindow, requestKind, splitRequests } from './request-kinds.js';

if (process.argv.includes('--serve')) {
  // Child role: the app exactly as dist/app/runtime/main.js starts it, from the TypeScript sources.
  const { default: app } = (await import('../src/app/index.js')) as { default: Parameters<typeof import('../src/app/runtime/server.js').startServer>[0] };
  const { startServer } = await import('../src/app/runtime/server.js');
  await startServer(app);
} else {
  await main();
}

interface Replica {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  log: string;
  exited: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      deliveries: { type: 'string', default: '200' },
      connections: { type: 'string', default: '50' },
      'skip-redis': { type: 'boolean', default: false },
    },
  });
  const deliveries = Number(values.deliveries);
  const connections = Number(values.connections);

  const { startStandin, filesFromDir, signWebhook, throwawayPrivateKey } = await import('../src/standin/index.js');
  type Standin = Awaited<ReturnType<typeof startStandin>>;
  type Repo = ReturnType<Standin['createRepo']>;

  const failures: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) failures.push(what);
  };

  const standin = await startStandin();
  const privateKey = throwawayPrivateKey();
  const secret = randomBytes(16).toString('hex');
  const fixture = (side: string) => fileURLToPath(new URL(`../fixtures/demo-pr/${side}`, import.meta.url));
  const baseFiles = filesFromDir(fixture('base'));
  const headFiles = filesFromDir(fixture('head'));

  const repo = standin.createRepo('acme', 'shop', { installationId: 1 });
  const baseSha = repo.commit(baseFiles, { message: 'base' });
  let prNumber = 0;
  /** A pull request whose head differs from every other one (its own check run and review). */
  const openPr = (r: Repo, base: string, label: string): { number: number; head: string } => {
    prNumber += 1;
    const extra = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: soak-${prNumber}\ndata:\n  label: "${label}"\n`;
    const head = r.commit({ ...headFiles, [`soak/pr-${prNumber}.yaml`]: extra }, { branch: `pr-${prNumber}`, message: label });
    r.openPullRequest({ base, head, number: prNumber, title: label, headRef: `pr-${prNumber}` });
    return { number: prNumber, head };
  };

  const freePort = async (): Promise<number> => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    return port;
  };

  const startReplica = async (name: string, extraEnv: Record<string, string> = {}): Promise<Replica> => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...standin.runtimeEnv({ privateKey, webhookSecret: secret, port }),
        LOG_FORMAT: 'json',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const replica: Replica = { name, child, port, url: `http://127.0.0.1:${port}`, log: '', exited: false };
    child.stdout!.on('data', (d: Buffer) => (replica.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (replica.log += d.toString()));
    child.once('exit', () => (replica.exited = true));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await fetch(`${replica.url}/readyz`).then((r) => r.ok, () => false);
      if (ready) return replica;
      if (replica.exited || Date.now() > deadline) throw new Error(`replica ${name} did not start:\n${replica.log.slice(-2000)}`);
      await sleep(100);
    }
  };

  const stopReplica = async (replica: Replica): Promise<number | null> => {
    if (replica.exited) return replica.child.exitCode;
    const code = new Promise<number | null>((resolve) => replica.child.once('exit', (c) => resolve(c)));
    replica.child.kill('SIGTERM');
    const timer = setTimeout(() => replica.child.kill('SIGKILL'), 45_000);
    const result = await code;
    clearTimeout(timer);
    return result;
  };

  const peakRssMb = (pid: number | undefined): number | undefined => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
      return Number.isFinite(kb) ? kb / 1024 : undefined;
    } catch {
      return undefined;
    }
  };

  const eventBody = (r: Repo, number: number, action = 'opened'): string => JSON.stringify(r.pullRequestEvent(number, action).payload);
  const headers = (body: string, event = 'pull_request', id: string = crypto.randomUUID()): Record<string, string> => ({
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/soak',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-hub-signature-256': signWebhook(secret, body),
  });

  const completedRun = (r: Repo, sha: string) => r.checkRuns.filter((c) => c.head_sha === sha && c.name === 'keyref').at(-1);
  const waitCompleted = async (r: Repo, sha: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = completedRun(r, sha);
      if (run?.status === 'completed') return run;
      if (Date.now() > deadline) return undefined;
      await sleep(20);
    }
  };
  const reviewPosts = (r: Repo, number: number) =>
    standin.requests.filter((q) => q.method === 'POST' && q.path === `/repos/${r.owner}/${r.name}/pulls/${number}/reviews` && q.status < 300).length;

  let replica = await startReplica('app-1');
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
  };
  const ms = (x: number) => `${Math.round(x)} ms`;

  // ---------------------------------------------------------------- 1. load
  console.log(`\n== load: ${deliveries} signed pull_request deliveries over ${connections} concurrent connections (GHES layout, in-process queue)`);
  const prs = Array.from({ length: deliveries }, (_, i) => openPr(repo, baseSha, `load ${i + 1}`));
  standin.clearRequests();
  const pool = new Pool(replica.url, { connections, pipelining: 1 });
  const acks: { status: number; ms: number }[] = [];
  const sent = new Map<string, number>();
  const done = new Map<string, number>();
  // When each request reached the stand-in (sampled every 5 ms, enough for per-minute rates).
  const arrivals: number[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      while (arrivals.length < standin.requests.length) arrivals.push(performance.now());
      for (const run of repo.checkRuns) {
        if (run.status === 'completed' && sent.has(run.head_sha) && !done.has(run.head_sha)) done.set(run.head_sha, performance.now());
      }
      await sleep(5);
    }
  })();
  const loadStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < prs.length) {
        const pr = prs[next++]!;
        const body = eventBody(repo, pr.number);
        const t0 = performance.now();
        sent.set(pr.head, t0);
        try {
          const res = await pool.request({ path: '/api/github/webhooks', method: 'POST', headers: headers(body), body });
          await res.body.text();
          acks.push({ status: res.statusCode, ms: performance.now() - t0 });
        } catch (error) {
          acks.push({ status: 0, ms: performance.now() - t0 });
          console.log(`   delivery error: ${(error as Error).message}`);
        }
      }
    }),
  );
  const ackedAt = performance.now();
  // Production throttling serializes GitHub writes (about one per second per process): allow for it.
  const deadline = Date.now() + Math.max(180_000, deliveries * 6_000);
  while (done.size < prs.length && Date.now() < deadline) await sleep(20);
  watching = false;
  await watcher;
  await pool.close();
  const completions = prs.filter((p) => done.has(p.head)).map((p) => done.get(p.head)! - sent.get(p.head)!);
  const acked = acks.filter((a) => a.status >= 200 && a.status < 300).length;
  const doubles = prs.filter((p) => reviewPosts(repo, p.number) > 1).length;
  const loadRss = peakRssMb(replica.child.pid);
  console.log(`   acknowledged: ${acked}/${prs.length} (statuses: ${summarize(acks.map((a) => a.status))}); all acknowledged after ${ms(ackedAt - loadStart)}`);
  console.log(`   acknowledgement time: p50 ${ms(pct(acks.map((a) => a.ms), 50))}, p99 ${ms(pct(acks.map((a) => a.ms), 99))}, max ${ms(Math.max(...acks.map((a) => a.ms)))}`);
  console.log(`   check runs completed: ${completions.length}/${prs.length}; conclusions: ${summarize(prs.map((p) => completedRun(repo, p.head)?.conclusion ?? 'none'))}`);
  console.log(`   webhook → completed check run: p50 ${ms(pct(completions, 50))}, p99 ${ms(pct(completions, 99))}, max ${ms(Math.max(...completions))}; whole burst ${ms(performance.now() - loadStart)}`);
  console.log(`   GitHub API requests: ${standin.requests.length} (${(standin.requests.length / prs.length).toFixed(1)} per review); reviews posted twice: ${doubles}`);
  console.log(`   app process peak RSS: ${loadRss ? `${loadRss.toFixed(0)} MB` : 'n/a'}`);
  // GitHub's content-creation secondary limit: in general at most 80 content-generating requests a minute
  // and 500 an hour (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
  // Every write is counted as one here (GitHub does not say which writes count; check runs may not).
  const loadRequests = standin.requests.slice(0, arrivals.length);
  const writeTimes = arrivals.filter((_, i) => requestKind(loadRequests[i]!) === 'write');
  const kinds = splitRequests(loadRequests);
  const burstMin = (Math.max(...arrivals) - loadStart) / 60_000;
  console.log(
    `   writes: ${kinds.writes} (${(kinds.writes / prs.length).toFixed(2)} per review; reads ${kinds.reads}, tokens ${kinds.tokens}); ` +
      `${(kinds.writes / Math.max(burstMin, 1 / 60)).toFixed(1)} per minute over the burst, at most ${maxInWindow(writeTimes, 60_000)} in any 60 s ` +
      `(GitHub's content-creation limit: 80 a minute, 500 an hour)`,
  );
  check(acked === prs.length, 'load: some deliveries were not acknowledged');
  check(completions.length === prs.length, 'load: some check runs did not complete');
  check(doubles === 0, 'load: a review was posted twice');

  // ---------------------------------------------------------------- 2. faults
  console.log('\n== faults injected by the stand-in (one pull request each, app retries and throttling as in production)');
  const owner = repo.owner;
  const faults: { name: string; spec: Parameters<Standin['fault']>[0] }[] = [
    { name: '5xx burst (3 × 502 on the tree listing)', spec: { match: /GET \/repos\/[^/]+\/[^/]+\/git\/trees\//, status: 502, times: 3, body: { message: 'Bad Gateway' } } },
    { name: 'connection resets (2 on the check-run update)', spec: { match: /PATCH \/repos\/[^/]+\/[^/]+\/check-runs\//, reset: true, times: 2 } },
    { name: 'slow response (40 s on the pull request files, past the 30 s client timeout)', spec: { match: /GET \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files/, delayMs: 40_000, times: 1 } },
    {
      name: '403 secondary rate limit, retry-after: 2 (on the tree listing)',
      spec: { match: /GET \/repos\/[^/]+\/[^/]+\/git\/trees\//, status: 403, times: 1, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } },
    },
    {
      name: '429 with retry-after: 1 (on the review)',
      spec: { match: /POST \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/reviews/, status: 429, times: 1, headers: { 'retry-after': '1' }, body: { message: 'Too Many Requests' } },
    },
    {
      name: '422 on the review comments',
      spec: { match: /POST \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/reviews/, status: 422, times: 1, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] } },
    },
    {
      name: 'files gone mid-review (GraphQL NOT_FOUND for the blobs)',
      spec: {
        match: /POST \/graphql/,
        status: 200,
        times: 1,
        body: { data: { repository: { b0: null } }, errors: [{ type: 'NOT_FOUND', path: ['repository', 'b0'], message: 'Could not resolve to a Blob.' }] },
      },
    },
  ];
  for (const { name, spec } of faults) {
    // A repository of its own: no cache shared with the other scenarios.
    const r = standin.createRepo(owner, `fault-${prNumber + 1}`, { installationId: 1 });
    const base = r.commit(baseFiles, { message: 'base' });
    const pr = openPr(r, base, name);
    const fault = standin.fault(spec);
    const before = standin.requests.length;
    const t0 = performance.now();
    const body = eventBody(r, pr.number);
    const res = await fetch(`${replica.url}/api/github/webhooks`, { method: 'POST', headers: headers(body), body });
    const run = await waitCompleted(r, pr.head, 120_000);
    await sleep(300);
    const requests = standin.requests.slice(before);
    const posts = reviewPosts(r, pr.number);
    const reviews = r.pulls.get(pr.number)?.reviews.length ?? 0;
    console.log(`   ${name}`);
    console.log(
      `      webhook ${res.status}; fault hit ${fault.hits}×; ${requests.length} API requests; check run ${run ? `completed: ${run.conclusion} — "${run.output.title ?? ''}"` : 'NOT completed within 120 s'} after ${ms(performance.now() - t0)}`,
    );
    console.log(`      reviews posted: ${posts} (${reviews} on the pull request); check runs on the head: ${r.checkRuns.filter((c) => c.head_sha === pr.head).length}`);
    check(run !== undefined, `fault "${name}": check run did not complete`);
    check(posts <= 1, `fault "${name}": review posted ${posts} times`);
    standin.clearFaults();
  }

  // ---------------------------------------------------------------- 3. bad webhooks
  console.log('\n== bad webhooks');
  {
    const before = standin.requests.length;
    const good = eventBody(repo, prs[0]!.number, 'synchronize');
    const post = async (h: Record<string, string>, body: string | Buffer) => {
      try {
        const res = await fetch(`${replica.url}/api/github/webhooks`, { method: 'POST', headers: h, body });
        await res.text();
        return res.status;
      } catch (error) {
        return `error (${(error as Error).message})`;
      }
    };
    const wrongSig = { ...headers(good), 'x-hub-signature-256': signWebhook('not-the-secret', good) };
    const missing = headers(good);
    delete missing['x-github-event'];
    delete missing['x-hub-signature-256'];
    const malformed = '{"action": "opened", "pull_request": ';
    const huge = Buffer.alloc(25 * 1024 * 1024 + 1024, 0x20);
    const cases: [string, string | number, (s: string | number) => boolean][] = [
      ['wrong signature', await post(wrongSig, good), (s) => s === 400 || s === 401],
      ['missing headers', await post(missing, good), (s) => s === 400],
      ['malformed JSON (correctly signed)', await post(headers(malformed), malformed), (s) => s === 400],
      ['25 MB body', await post(headers('x'), huge), (s) => s === 413],
    ];
    await sleep(1_000);
    const alive = await fetch(`${replica.url}/healthz`).then((r) => r.status, () => 0);
    for (const [name, status, ok] of cases) {
      console.log(`   ${name}: ${status} ${ok(status) ? '✓' : '✗'}`);
      check(ok(status), `bad webhook "${name}" answered ${status}`);
    }
    const processed = standin.requests.length - before;
    console.log(`   GitHub API requests caused: ${processed}; app still healthy: ${alive === 200 ? 'yes' : 'NO'}`);
    check(processed === 0, 'bad webhooks caused API requests');
    check(alive === 200, 'the app died on bad webhooks');
  }
  const code = await stopReplica(replica);
  console.log(`\n== SIGTERM: exit code ${code}`);
  check(code === 0, `SIGTERM exit code ${code}`);

  // ---------------------------------------------------------------- 4. redis: a replica dies mid-review
  if (!values['skip-redis']) {
    const { startRedis } = await import('../test/app/queue/helpers/redis-server.js');
    const redis = await startRedis();
    if (!redis) {
      console.log('\n== Redis: redis-server not installed, skipped (apt-get install redis-server, or .ci/redis.sh)');
    } else {
      console.log('\n== Redis: two replicas share a BullMQ queue; the one running a review is killed (SIGKILL)');
      const env = { REDIS_URL: redis.url, KEYREF_QUEUE_LOCK_MS: '3000', KEYREF_QUEUE_STALLED_MS: '1000' };
      const a = await startReplica('replica-a', env);
      const r = standin.createRepo(owner, 'replicas', { installationId: 1 });
      const base = r.commit(baseFiles, { message: 'base' });
      const pr = openPr(r, base, 'replica crash');
      // Hold the review inside replica A: its tree listing answers after 8 s.
      const hold = standin.fault({ match: /GET \/repos\/[^/]+\/replicas\/git\/trees\//, delayMs: 8_000, times: 1 });
      const t0 = performance.now();
      const body = eventBody(r, pr.number);
      const res = await fetch(`${a.url}/api/github/webhooks`, { method: 'POST', headers: headers(body), body });
      while (hold.hits === 0 && performance.now() - t0 < 30_000) await sleep(20);
      a.child.kill('SIGKILL');
      const inProgress = completedRun(r, pr.head)?.status;
      console.log(`   webhook to replica A: ${res.status}; A took the review (check run ${inProgress ?? 'none'}) and was killed after ${ms(performance.now() - t0)}`);
      const b = await startReplica('replica-b', env);
      const run = await waitCompleted(r, pr.head, 90_000);
      await sleep(300);
      const posts = reviewPosts(r, pr.number);
      console.log(`   replica B: check run ${run ? `completed: ${run.conclusion}` : 'NOT completed'} ${ms(performance.now() - t0)} after the webhook; reviews posted: ${posts}; check runs on the head: ${r.checkRuns.filter((c) => c.head_sha === pr.head).length}`);
      check(run !== undefined, 'redis: the killed replica\'s review was not completed by the other');
      check(posts <= 1, 'redis: review posted twice');
      const codeB = await stopReplica(b);
      check(codeB === 0, `redis: replica B exit code ${codeB}`);
      await redis.stop();
    }
  }

  await standin.close();
  console.log(failures.length === 0 ? '\nsoak: all invariants held' : `\nsoak: ${failures.length} invariant(s) failed:\n - ${failures.join('\n - ')}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

function summarize(values: readonly (string | number)[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
