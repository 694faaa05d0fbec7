/**
 * A pathological pull request costs one neutral check run, never the process: the engine runs in a
 * worker thread with a budget, /healthz keeps answering while it spins, and the app reviews the next
 * pull request normally. The spin is simulated by an injected engine worker (test/runner/slow-engine-worker.ts).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createKeyrefApp } from '../../src/app/index.js';
import { workerEngine } from '../../src/app/jobs/engine.js';
import { healthHandler } from '../../src/app/runtime/health.js';
import { createEngineRunner } from '../../src/runner/index.js';
import { startAppHarness, type AppHarness } from '../../src/standin/app-harness.js';
import { startStandin, type Standin } from '../../src/standin/index.js';

delete process.env.REDIS_URL;

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n';
const BUNDLE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\ndata:\n  ca.crt: x\n# keyref-test: spin\n';

let standin: Standin | undefined;
let harness: AppHarness | undefined;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await harness?.close();
  await standin?.close();
});

test('a review over its engine budget completes neutral naming the file; /healthz answers during it; the next review works', async () => {
  standin = await startStandin();
  const repo = standin.createRepo('acme', 'shop');
  const base = repo.commit({ 'deploy/web.yaml': DEPLOYMENT });
  const head = repo.commit({ 'deploy/web.yaml': DEPLOYMENT, 'deploy/ca-bundle.yaml': BUNDLE }, { branch: 'ca' });
  repo.openPullRequest({ base, head, number: 1, headRef: 'ca' });

  const runner = createEngineRunner({ budgetMs: 3_000, workerUrl: new URL('../runner/slow-engine-worker.ts', import.meta.url) });
  cleanups.push(() => runner.close());
  harness = await startAppHarness({
    standin,
    throttle: false,
    logLevel: 'fatal',
    appFn: createKeyrefApp({ appId: standin.options.appId, engine: workerEngine(runner), onQueue: (q) => void cleanups.push(() => q.close()) }),
  });
  // /healthz served from this same process (and event loop) as the app.
  const health = createServer((req, res) => {
    if (!healthHandler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => health.close(() => resolve())));
  const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/healthz`;

  assert.equal((await harness.deliver(repo.pullRequestEvent(1, 'opened'))).status, 200);
  // Poll /healthz until the check run completes: it must answer while the review is in progress.
  let answeredDuringReview = 0;
  for (;;) {
    const runBefore = repo.checkRuns.find((c) => c.head_sha === head);
    const res = await fetch(healthUrl);
    assert.equal(res.status, 200);
    const runAfter = repo.checkRuns.find((c) => c.head_sha === head);
    if (runBefore?.status === 'in_progress' && runAfter?.status === 'in_progress') answeredDuringReview += 1;
    if (runAfter?.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(answeredDuringReview > 0, '/healthz answered while the review was in progress');
  const runs = repo.checkRuns.filter((c) => c.head_sha === head);
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.conclusion, 'neutral');
  assert.match(run.output?.title ?? '', /took too long/);
  assert.match(run.output?.summary ?? '', /`deploy\/ca-bundle\.yaml`/);
  assert.match(run.output?.summary ?? '', /not a pass/);

  // The app keeps serving: the next pull request (no pathological file) is reviewed normally.
  const head2 = repo.commit({ 'deploy/web.yaml': DEPLOYMENT.replace('image: web', 'image: web:2') }, { branch: 'fine' });
  repo.openPullRequest({ base, head: head2, number: 2, headRef: 'fine' });
  assert.equal((await harness.deliver(repo.pullRequestEvent(2, 'opened'))).status, 200);
  const run2 = await harness.waitForCheckRun(repo, head2, { timeoutMs: 60_000 });
  assert.equal(run2.conclusion, 'success');
});
