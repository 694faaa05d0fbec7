/**
 * One check run per head commit, whatever the delivery pattern: 500 concurrent deliveries with distinct
 * ids for one head (opened, reopened, synchronize, and "Re-run all checks", which queues under another
 * key) through the real app, queue and engine against the stand-in → exactly one check run, completed.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createKeyrefApp } from '../../src/app/index.js';
import { createReviewQueue, type ReviewQueue } from '../../src/app/queue/index.js';
import { startAppHarness, type AppHarness } from '../../src/standin/app-harness.js';
import { startStandin, type Standin } from '../../src/standin/index.js';

delete process.env.REDIS_URL;

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: fast\n';
const DEPLOYMENT = (key: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web\n          env:\n            - name: MODE\n              valueFrom:\n                configMapKeyRef: { name: app, key: ${key} }\n`;

let standin: Standin | undefined;
let harness: AppHarness | undefined;
let queue: ReviewQueue | undefined;
after(async () => {
  await queue?.close();
  await harness?.close();
  await standin?.close();
});

test('500 concurrent deliveries with distinct ids for one head commit: exactly one check run, completed', async () => {
  standin = await startStandin();
  const repo = standin.createRepo('acme', 'shop');
  const base = repo.commit({ 'deploy/config.yaml': CONFIG_MAP, 'deploy/web.yaml': DEPLOYMENT('mode') });
  const head = repo.commit({ 'deploy/config.yaml': CONFIG_MAP, 'deploy/web.yaml': DEPLOYMENT('mdoe') }, { branch: 'typo' });
  repo.openPullRequest({ base, head, number: 7, headRef: 'typo' });

  let settled = 0;
  harness = await startAppHarness({
    standin,
    throttle: false,
    logLevel: 'fatal',
    appFn: createKeyrefApp({
      appId: standin.options.appId,
      queue: (options) =>
        (queue = createReviewQueue({
          ...options,
          handler: async (job, signal) => {
            try {
              await options.handler(job, signal);
            } finally {
              settled += 1;
            }
          },
          onDropped: async (job, reason, by) => {
            try {
              await options.onDropped?.(job, reason, by);
            } finally {
              settled += 1;
            }
          },
        })),
    }),
  });

  const pr = repo.pullRequestEvent(7, 'opened').payload;
  const suiteEvent = {
    name: 'check_suite',
    payload: {
      action: 'rerequested',
      check_suite: { id: 1, head_sha: head, head_branch: 'typo', pull_requests: [], app: { id: standin.options.appId } },
      repository: pr.repository,
      installation: pr.installation,
      sender: pr.sender,
    },
  };
  const actions = ['opened', 'reopened', 'synchronize'];
  const events = Array.from({ length: 500 }, (_, i) => (i % 50 === 49 ? suiteEvent : repo.pullRequestEvent(7, actions[i % 3])));
  const deliveries = await Promise.all(events.map((e) => harness!.deliver(e)));
  assert.equal(new Set(deliveries.map((d) => d.id)).size, 500);
  assert.deepEqual([...new Set(deliveries.map((d) => d.status))], [200]);

  // Every job either ran or was dropped (superseded): wait for all 500 to settle, whatever the time it takes.
  while (settled < 500) await new Promise((r) => setTimeout(r, 50));
  const runs = repo.checkRuns.filter((c) => c.head_sha === head && c.name === 'keyref');
  assert.equal(runs.length, 1, `check runs on the head: ${runs.map((r) => `${r.id} ${r.status}`).join(', ')}`);
  assert.equal(runs[0]!.status, 'completed');
  assert.equal(runs[0]!.conclusion, 'failure'); // the typo'd key
  assert.match(runs[0]!.output?.title ?? '', /introduced/);
});
