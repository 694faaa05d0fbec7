import { test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import { ReviewAbortedError, type ReviewQueueOptions } from '../../src/app/queue/index.js';
import {
  API,
  CHECK_RUN_PATH,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  strictNock,
  bodiesOf,
  createTestApp,
  loadFixture,
  nockCheckRunStart,
  nockCheckRunUpdates,
  nockConfig,
  nockPull,
  nockToken,
  pullRequestPayload,
  recordBodies,
} from './helpers.js';

strictNock();

const files = loadFixture('removed-key', 'base');

/** A queue whose job is aborted by the queue (as a newer job for the same PR would) while the trees are read. */
async function appAbortedWhileReading(reason: ReviewAbortedError) {
  let captured: ReviewQueueOptions | undefined;
  const controller = new AbortController();
  const app = await createTestApp({
    readTrees: async () => {
      controller.abort(reason);
      return { base: files, head: files, requestCount: 0, notes: [] };
    },
    queue: (options) => {
      captured = options;
      return { enqueue: (job) => options.handler(job, controller.signal), close: async () => {} };
    },
  });
  return { ...app, options: () => captured! };
}

test('aborted as superseded by a newer commit: the old check run completes neutral "superseded", nothing posted', async () => {
  const { probot } = await appAbortedWhileReading(new ReviewAbortedError('superseded', false));
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope, 'd'.repeat(40));
  nockCheckRunUpdates(scope);
  await probot.receive({ id: 's-1', name: 'pull_request', payload: pullRequestPayload('synchronize') as any });
  assert.deepEqual(scope.pendingMocks(), []);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'neutral');
  assert.equal(done.output.title, 'Superseded by a newer commit');
});

test('aborted by a newer job for the same commit (a re-run): the check run is left to that job', async () => {
  const { probot } = await appAbortedWhileReading(new ReviewAbortedError('superseded', false));
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  await probot.receive({ id: 's-2', name: 'pull_request', payload: pullRequestPayload('synchronize') as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).length, 0);
});

test('shutdown: left alone when another replica will retry, completed when nothing will', async () => {
  const retried = await appAbortedWhileReading(new ReviewAbortedError('shutdown', true));
  const scope = nockToken();
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  await retried.probot.receive({ id: 's-3', name: 'pull_request', payload: pullRequestPayload('synchronize') as any });
  assert.deepEqual(scope.pendingMocks(), []);

  const lost = await appAbortedWhileReading(new ReviewAbortedError('shutdown', false));
  const scope2 = nockToken();
  const seen = recordBodies(scope2);
  nockCheckRunStart(scope2);
  nockConfig(scope2, undefined);
  nockCheckRunUpdates(scope2);
  await lost.probot.receive({ id: 's-4', name: 'pull_request', payload: pullRequestPayload('synchronize') as any });
  assert.deepEqual(scope2.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'neutral');
});

test('onDropped: a job dropped while queued gets its check run completed (superseded or failed)', async () => {
  const { probot, options } = await appAbortedWhileReading(new ReviewAbortedError('superseded', false));
  void probot;
  const job = {
    id: 'q-1',
    coalesceKey: `${OWNER}/${REPO}#${PR_NUMBER}`,
    headSha: 'a'.repeat(40),
    data: { kind: 'pull_request', installationId: 2, owner: OWNER, repo: REPO, headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40), pullNumber: PR_NUMBER, checkRunId: 99 },
  };
  // The job may never have started: its check run is looked up (in progress here) and completed.
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockPull(scope, 'd'.repeat(40));
  nockCheckRunStart(scope, { status: 'in_progress' });
  nockCheckRunStart(scope, { status: 'in_progress' });
  nockCheckRunUpdates(scope, 2);
  await options().onDropped!(job, 'superseded');
  await options().onDropped!(job, 'failed');
  assert.deepEqual(scope.pendingMocks(), []);
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  assert.equal(updates[0].output.title, 'Superseded by a newer commit');
  assert.equal(updates[1].output.title, 'keyref could not review this commit');

  // Dropped at shutdown before any check run was made: one is created, already completed (never left without a conclusion).
  const scope2 = nock(API);
  const seen2 = recordBodies(scope2);
  nockCheckRunStart(scope2, undefined, HEAD_SHA, { status: 'completed', conclusion: 'neutral' });
  await options().onDropped!(job, 'shutdown');
  assert.deepEqual(scope2.pendingMocks(), []);
  const created = bodiesOf(seen2, 'POST', `/repos/${OWNER}/${REPO}/check-runs`);
  assert.equal(created.length, 1);
  assert.equal(created[0].status, 'completed');
  assert.equal(created[0].conclusion, 'neutral');
  assert.equal(created[0].head_sha, HEAD_SHA);
  assert.match(created[0].output.summary, /restarted/);

  // Superseded by a newer commit before any check run was made: nothing to complete on the old commit.
  const scope3 = nock(API);
  nockPull(scope3, 'd'.repeat(40));
  scope3
    .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] });
  await options().onDropped!(job, 'superseded');
  assert.deepEqual(scope3.pendingMocks(), []);

  // Superseded by a newer job for the same commit (head unchanged): left to that job, nothing else read.
  const scope4 = nock(API);
  nockPull(scope4);
  await options().onDropped!(job, 'superseded');
  assert.deepEqual(scope4.pendingMocks(), []);
});
