import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { pino } from 'pino';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { sign } from '@octokit/webhooks-methods';
import { createKeyrefApp } from '../../src/app/index.js';
import type { ReviewJob } from '../../src/app/queue/index.js';
import {
  APP_ID,
  LogCapture,
  OWNER,
  REPO,
  assertAllRequestsExpected,
  bodiesOf,
  fakeReadTrees,
  inlineQueue,
  loadFixture,
  nockCheckRunStart,
  nockComments,
  nockConfig,
  nockToken,
  pullRequestPayload,
  recordBodies,
  testPrivateKey,
} from './helpers.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  try {
    assertAllRequestsExpected();
  } finally {
    nock.enableNetConnect();
  }
});

test('end to end over HTTP: a signed webhook is accepted and reviewed; a bad signature is rejected', async () => {
  const secret = 'e2e-webhook-secret';
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));
  const probot = new Probot({ appId: APP_ID, privateKey: testPrivateKey(), secret, Octokit, log: pino({ level: 'info' }, new LogCapture()) });
  const jobs: ReviewJob[] = [];
  const files = loadFixture('removed-key', 'base');
  // The deferred in-progress write is pinned by check-run-writes.test.ts without a clock; here a loaded
  // machine must not turn a quick review into a slow one (the engine worker's start counts), so the
  // delay is out of reach and the review writes its check run once, completed.
  const app = createKeyrefApp({ appId: APP_ID, readTrees: fakeReadTrees(files, files), queue: inlineQueue(jobs), inProgressAfterMs: 600_000 });
  const middleware = await createNodeMiddleware(app, {
    probot,
    webhooksPath: '/api/github/webhooks',
  });
  const server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  try {
    const body = JSON.stringify(pullRequestPayload('opened'));
    const headers = { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'e2e-1' };

    const rejected = await fetch(url, { method: 'POST', body, headers: { ...headers, 'x-hub-signature-256': await sign('wrong-secret', body) } });
    assert.ok(rejected.status >= 400 && rejected.status < 500, `bad signature answered ${rejected.status}`);
    assert.equal(jobs.length, 0);

    const scope = nockToken();
    const seen = recordBodies(scope);
    // The check run is created completed: one write.
    nockCheckRunStart(scope, undefined, undefined, { status: 'completed' });
    nockConfig(scope, undefined);
    nockComments(scope);
    const accepted = await fetch(url, { method: 'POST', body, headers: { ...headers, 'x-hub-signature-256': await sign(secret, body) } });
    assert.equal(accepted.status, 200);
    assert.equal(jobs.length, 1);
    assert.deepEqual(scope.pendingMocks(), []);
    assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`).at(-1).conclusion, 'success');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
