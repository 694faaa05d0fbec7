/**
 * `npm run flood` — hostile-input figures of the app as `npm start` runs it (dist/app/runtime/main.js,
 * built first), against the local GitHub stand-in. Each phase starts a fresh app process, so each peak
 * RSS (VmHWM: the process and its engine worker threads) is that phase's own:
 *
 *   1. flood: 20 concurrent 24 MB bodies with a bad signature: statuses, peak RSS, log lines written;
 *   2. a signed but malformed payload: status and message;
 *   3. a pathological review (a Secret holding a 40-certificate PEM chain and one more line): /healthz
 *      latency while it runs, next to the app's own event-loop delay (p99, max) over the review, and how
 *      its check run ends (neutral over budget, or completed);
 *   4. 500 concurrent deliveries with distinct ids for one head commit: check runs created, completed;
 *   5. a 200,000-entry tree (`--tree N` to change, `--tree 0` to skip): peak RSS of its review, and
 *      /healthz latency and event-loop delay during it.
 *
 *   npm run flood [-- --bodies 20 --mb 24 --deliveries 500 --tree 200000 --budget-ms 5000 --only 1,2,3,4,5]
 *                 [--node-arg=--heap-prof ...] [--app-log FILE]   (profiling: flags for the app, its output)
 *
 * Exit code 1 when an invariant fails (an unverified body accepted, RSS over 300 MB, a check run not
 * completed or duplicated, /healthz not answering).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent } from 'undici';
import { signWebhook, startStandin, throwawayPrivateKey } from '../src/standin/index.js';

const { values } = parseArgs({
  options: {
    bodies: { type: 'string', default: '20' },
    mb: { type: 'string', default: '24' },
    deliveries: { type: 'string', default: '500' },
    tree: { type: 'string', default: '200000' },
    'budget-ms': { type: 'string', default: '5000' },
    only: { type: 'string', default: '1,2,3,4,5' },
    // Extra Node.js flags for the app process (profiling: --heap-prof, --trace-gc, --cpu-prof).
    'node-arg': { type: 'string', multiple: true, default: [] },
    // Append the app processes' output (logs, and what those flags print) to this file.
    'app-log': { type: 'string' },
  },
});
const phases = new Set(values.only!.split(',').map(Number));
const MAIN = fileURLToPath(new URL('../dist/app/runtime/main.js', import.meta.url));
if (!existsSync(MAIN)) {
  console.error('dist/ is missing: run `npm run build` first (npm run flood does)');
  process.exit(2);
}

const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

const standin = await startStandin();
const privateKey = throwawayPrivateKey();
const secret = randomBytes(16).toString('hex');
const dispatcher = new Agent({ connections: 1024, bodyTimeout: 120_000, headersTimeout: 120_000 });

interface App {
  child: ChildProcess;
  url: string;
  log: string;
  peakRss(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startApp(env: Record<string, string> = {}): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, [...values['node-arg']!, MAIN], {
    env: { PATH: process.env.PATH ?? '', ...standin.runtimeEnv({ privateKey, webhookSecret: secret, port }), LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app: App = {
    child,
    url: `http://127.0.0.1:${port}`,
    log: '',
    peakRss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  const appLog = values['app-log'];
  const collect = (d: Buffer) => {
    app.log += d.toString();
    if (appLog) appendFileSync(appLog, d);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  for (const deadline = Date.now() + 60_000; ; ) {
    if (await fetch(`${app.url}/readyz`).then((r) => r.ok, () => false)) return app;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the app did not start:\n${app.log.slice(-2000)}`);
    await sleep(100);
  }
}

function post(app: App, event: string, body: string | Buffer, signature: string, id = randomUUID()) {
  return fetch(`${app.url}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, 'x-hub-signature-256': signature },
    dispatcher,
  } as RequestInit);
}

/**
 * The app's own event-loop delay since the previous call (p99 and max, ms), from its /metrics: prom-client
 * samples it with perf_hooks.monitorEventLoopDelay and resets the histogram at each scrape, so a scrape
 * right before a review and one right after it give that review's figures, seen from the main thread.
 */
async function eventLoopDelay(app: App): Promise<{ p99: number; max: number }> {
  const text = await fetch(`${app.url}/metrics`).then((r) => r.text(), () => '');
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.slice(name.length + 1)) * 1000 : NaN;
  };
  return { p99: value('nodejs_eventloop_lag_p99_seconds'), max: value('nodejs_eventloop_lag_max_seconds') };
}

/**
 * Polls /healthz every 20 ms from before `start()` until `done()`; the latencies, sorted. The poller is a process of its own:
 * this one also runs the stand-in, whose large answers (a 100,000-entry tree listing) would stall the
 * client and be counted against the app.
 */
const POLLER = `
const lat = []; let stop = false;
process.stdin.on('end', () => (stop = true)).resume();
for (let i = 0; i < 5; i++) await fetch(process.argv[1]).catch(() => {}); // warm: fetch loads lazily
process.stdout.write('ready\\n');
while (!stop) {
  const t = performance.now();
  const ok = await fetch(process.argv[1]).then((r) => r.ok, () => false);
  lat.push(ok ? performance.now() - t : -1);
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(JSON.stringify(lat));`;
async function healthDuring(app: App, start: () => Promise<unknown>, done: () => boolean, deadlineMs = 600_000): Promise<number[]> {
  const poller = spawn(process.execPath, ['--input-type=module', '-e', POLLER, `${app.url}/healthz`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  poller.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => poller.once('exit', r));
  while (!out.startsWith('ready\n') && poller.exitCode === null) await sleep(10);
  await start();
  const started = performance.now();
  while (!done() && performance.now() - started < deadlineMs) await sleep(20);
  poller.stdin!.end();
  await exited;
  const latencies = JSON.parse(out.slice('ready\n'.length) || '[]') as number[];
  check(latencies.length > 0 && latencies.every((l) => l >= 0), '/healthz failed during a review');
  return latencies.filter((l) => l >= 0).sort((a, b) => a - b);
}

function healthLine(latencies: readonly number[], loop: { p99: number; max: number }): string {
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  return `/healthz during the review: ${latencies.length} requests, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; the app's event-loop delay: p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`;
}

// ---------------------------------------------------------------------------------------------- 1. flood
if (phases.has(1) || phases.has(2)) {
  const app = await startApp({ LOG_LEVEL: 'warn' });
  const bodies = Number(values.bodies);
  const size = Number(values.mb) * 1024 * 1024;
  const body = Buffer.alloc(size, 'a');
  body.write('{"action":"opened","pad":"');
  body.write('"}', size - 2);
  const linesBefore = app.log.split('\n').filter(Boolean).length;
  const rssBefore = app.peakRss();
  const results = await Promise.all(Array.from({ length: bodies }, () => post(app, 'pull_request', body, `sha256=${'0'.repeat(64)}`).then((r) => r.status, (e: Error) => `error: ${e.message}`)));
  await sleep(200);
  const lines = app.log.split('\n').filter(Boolean).length - linesBefore;
  const peak = app.peakRss();
  const health = await fetch(`${app.url}/healthz`).then((r) => r.status, () => 0);
  const statuses = new Map<string, number>();
  for (const s of results) statuses.set(String(s), (statuses.get(String(s)) ?? 0) + 1);
  console.log(`1. flood: ${bodies} concurrent ${mb(size)} bodies with a bad signature`);
  console.log(`   statuses: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
  console.log(`   peak RSS of the app: ${mb(peak)} (${mb(rssBefore)} before the flood); log lines written: ${lines} (${(lines / bodies).toFixed(2)} per body); /healthz after: ${health}`);
  check(!results.some((s) => typeof s === 'number' && s >= 200 && s < 300), 'an unverified body was answered 2xx');
  check(peak < 300 * 1024 * 1024, `peak RSS ${mb(peak)} ≥ 300 MB under the flood`);
  check(lines <= bodies, `${lines} log lines for ${bodies} bodies`);
  check(!app.log.includes('aaaaaaaaaaaaaaaa'), 'a body was logged');
  check(health === 200, '/healthz did not answer after the flood');

  // ------------------------------------------------------------------------------------ 2. malformed
  const malformed = JSON.stringify({ action: 'opened', repository: { name: 'r', owner: { login: 'o' } }, pull_request: { number: 1 } });
  const res = await post(app, 'pull_request', malformed, signWebhook(secret, malformed));
  const text = await res.text();
  console.log(`2. signed, malformed pull_request payload: ${res.status} ${text}`);
  check(res.status === 400 && text.includes('malformed'), 'a signed malformed payload was not answered 400 with a message');
  await app.stop();
}

// --------------------------------------------------------------------------------- 3. pathological review
if (phases.has(3)) {
  const budgetMs = values['budget-ms']!;
  const app = await startApp({ KEYREF_ENGINE_BUDGET_MS: budgetMs });
  const repo = standin.createRepo('acme', 'slow');
  const cert = `-----BEGIN CERTIFICATE-----\n${'MIIBszCCAVmgAwIBAgIUQ'.padEnd(64, 'A')}\n-----END CERTIFICATE-----\n`;
  const bundle = cert.repeat(40) + '# end of bundle\n';
  const secretYaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ca-bundle\nstringData:\n  ca.crt: |\n${bundle.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
  const base = repo.commit({ 'deploy/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
  const head = repo.commit({ 'deploy/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'deploy/ca-bundle.yaml': secretYaml }, { branch: 'ca' });
  repo.openPullRequest({ base, head, number: 1, headRef: 'ca' });
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await fetch(`${app.url}/healthz`);
    idle.push(performance.now() - t);
    await sleep(20);
  }
  idle.sort((a, b) => a - b);
  const event = repo.pullRequestEvent(1, 'opened');
  const body = JSON.stringify(event.payload);
  await eventLoopDelay(app); // resets the app's histogram: what follows is the review's
  const started = performance.now();
  let ack: Response | undefined;
  let run: ReturnType<typeof repo.checkRuns.find>;
  const latencies = await healthDuring(
    app,
    async () => (ack = await post(app, 'pull_request', body, signWebhook(secret, body))),
    () => (run = repo.checkRuns.find((c) => c.head_sha === head))?.status === 'completed',
  );
  const loop = await eventLoopDelay(app);
  console.log(`3. pathological review (40-certificate PEM chain + one line), KEYREF_ENGINE_BUDGET_MS=${budgetMs}: webhook ${ack?.status}`);
  console.log(`   check run: ${run?.status} ${run?.conclusion ?? ''} "${run?.output?.title ?? ''}" after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`   ${healthLine(latencies, loop)}`);
  console.log(`   /healthz before it (same process, idle): p50 ${idle[25]!.toFixed(1)} ms, max ${idle.at(-1)!.toFixed(1)} ms (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
  check(run?.status === 'completed', 'the pathological review left its check run incomplete');
  check(latencies.at(-1)! < 100, `/healthz took ${latencies.at(-1)!.toFixed(0)} ms during the review`);
  await app.stop();
}

// ------------------------------------------------------------------------------- 4. 500 deliveries, one head
if (phases.has(4)) {
  const app = await startApp({ LOG_LEVEL: 'warn' });
  const repo = standin.createRepo('acme', 'burst');
  const base = repo.commit({ 'deploy/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n' });
  const head = repo.commit({ 'deploy/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: w\n' }, { branch: 'b' });
  repo.openPullRequest({ base, head, number: 1, headRef: 'b' });
  const n = Number(values.deliveries);
  const actions = ['opened', 'reopened', 'synchronize'];
  const statuses = await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const body = JSON.stringify(repo.pullRequestEvent(1, actions[i % 3]).payload);
      return post(app, 'pull_request', body, signWebhook(secret, body)).then((r) => r.status, () => 0);
    }),
  );
  // Settled: the run is completed and no request reached the stand-in for two seconds.
  let last = standin.requests.length;
  for (let quiet = 0; quiet < 20; ) {
    await sleep(100);
    const run = repo.checkRuns.find((c) => c.head_sha === head);
    quiet = standin.requests.length === last && run?.status === 'completed' ? quiet + 1 : 0;
    last = standin.requests.length;
  }
  const runs = repo.checkRuns.filter((c) => c.head_sha === head);
  console.log(`4. ${n} concurrent deliveries with distinct ids for one head: ${statuses.filter((s) => s === 200).length} acknowledged; check runs created: ${runs.length}, completed: ${runs.filter((r) => r.status === 'completed').length}`);
  check(runs.length === 1 && runs[0]!.status === 'completed', `${runs.length} check runs on the head`);
  await app.stop();
}

// ------------------------------------------------------------------------------------- 5. a large tree
const treeSize = Number(values.tree);
if (treeSize > 0 && phases.has(5)) {
  const app = await startApp({ LOG_LEVEL: 'warn' });
  const repo = standin.createRepo('acme', 'monorepo');
  const files: Record<string, string> = {};
  // Mostly non-manifests (source files), as in a monorepo; one manifest per hundred entries.
  for (let i = 0; i < treeSize; i++) {
    // Top-level folders of 1,000 entries (the stand-in lists a tree with one spread per folder).
    const dir = `svc${Math.floor(i / 1000)}/pkg${Math.floor(i / 50) % 20}`;
    files[i % 100 === 0 ? `${dir}/deploy-${i}.yaml` : `${dir}/file-${i}.go`] = i % 100 === 0 ? `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: v\n` : `package p${i}\n`;
  }
  const base = repo.commit(files);
  const head = repo.commit({ ...files, 'deploy/new.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  k: v\n' }, { branch: 'b' });
  repo.openPullRequest({ base, head, number: 1, headRef: 'b' });
  const before = app.peakRss();
  const body = JSON.stringify(repo.pullRequestEvent(1, 'opened').payload);
  await eventLoopDelay(app);
  const started = performance.now();
  let run: ReturnType<typeof repo.checkRuns.find>;
  const latencies = await healthDuring(
    app,
    () => post(app, 'pull_request', body, signWebhook(secret, body)),
    () => !!(run = repo.checkRuns.find((c) => c.head_sha === head && c.status === 'completed')),
  );
  const loop = await eventLoopDelay(app);
  const peak = app.peakRss();
  console.log(`5. ${treeSize.toLocaleString('en')}-entry tree (${Math.ceil(treeSize / 100)} manifests): check run ${run!.conclusion} "${run!.output?.title ?? ''}" in ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS ${mb(peak)} (${mb(before)} at start)`);
  console.log(`   ${healthLine(latencies, loop)}`);
  check(peak < 300 * 1024 * 1024, `peak RSS ${mb(peak)} ≥ 300 MB on the ${treeSize}-entry tree`);
  check(run!.output?.title?.startsWith('keyref') !== true, `the ${treeSize}-entry tree was not reviewed: ${app.log.split('\n').filter((l) => l.includes('error')).slice(-3).join(' / ')}`);
  check(latencies.at(-1)! < 100, `/healthz took ${latencies.at(-1)!.toFixed(0)} ms during the large-tree review`);
  await app.stop();
}

await standin.close();
await dispatcher.close();
if (failures.length > 0) {
  console.log(`\nFAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nall invariants held');
