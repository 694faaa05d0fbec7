import { test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import { createReviewQueue, type ReviewQueue, type ReviewQueueOptions } from '../../src/app/queue/index.js';
import {
  API,
  APP_ID,
  BASE_SHA,
  CHECK_RUN_PATH,
  HEAD_SHA,
  INSTALLATION_ID,
  LogCapture,
  OWNER,
  PR_NUMBER,
  REPO,
  REVIEWS_PATH,
  addedPatch,
  bodiesOf,
  createTestApp,
  examplePayload,
  fakeReadTrees,
  loadFixture,
  nockCheckRunStart,
  nockCheckRunUpdates,
  nockComments,
  nockConfig,
  nockCreateReview,
  nockFiles,
  nockPull,
  nockReviews,
  nockToken,
  pullRequestPayload,
  rerequestedCheckRunPayload,
  recordBodies,
  strictNock,
} from './helpers.js';

strictNock();

const MERGE_HEAD = 'e'.repeat(40);
const MERGE_BASE = 'f'.repeat(40);

test('merge group: a check run on the merge group head SHA, base vs head compared, no pull request calls, no review', async () => {
  const calls: unknown[] = [];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(loadFixture('removed-key', 'base'), loadFixture('removed-key', 'head'), calls) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope, undefined, MERGE_HEAD);
  nockConfig(scope, undefined);
  nockCheckRunUpdates(scope);
  const payload = examplePayload('merge_group', 'checks_requested');
  payload.merge_group.head_sha = MERGE_HEAD;
  payload.merge_group.base_sha = MERGE_BASE;
  await probot.receive({ id: 'mg-1', name: 'merge_group', payload: payload as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`)[0].head_sha, MERGE_HEAD);
  assert.deepEqual(calls, [{ owner: OWNER, repo: REPO, baseSha: MERGE_BASE, headSha: MERGE_HEAD }]);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'failure', 'the merge group would break the Deployment');
});

test('check_run.rerequested ("Re-run"): reuses that check run, sets it in progress, reviews the pull request again', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(loadFixture('removed-key', 'base'), loadFixture('removed-key', 'base')) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  nockComments(scope);
  nockCheckRunUpdates(scope, 2);
  const payload = rerequestedCheckRunPayload();
  await probot.receive({ id: 'rr-1', name: 'check_run', payload: payload as any });
  assert.deepEqual(scope.pendingMocks(), []);
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  assert.equal(updates[0].status, 'in_progress');
  assert.equal(updates[1].conclusion, 'success');

  // Another app's check run (or another name) is not ours to re-run.
  payload.check_run.name = 'other-check';
  await probot.receive({ id: 'rr-2', name: 'check_run', payload: payload as any });
});

test('check_suite.rerequested for a fork PR (empty pull_requests): finds the PR by commit, reuses the completed check run', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope
    .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/pulls`)
    .query({ per_page: '100' })
    .reply(200, [{ number: PR_NUMBER, state: 'open', head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } }]);
  nockCheckRunStart(scope, { status: 'completed' });
  nockConfig(scope, undefined);
  nockPull(scope);
  nockComments(scope);
  nockCheckRunUpdates(scope, 2);
  const payload = examplePayload('check_suite', 'rerequested');
  Object.assign(payload.check_suite, { head_sha: HEAD_SHA, pull_requests: [], app: { ...payload.check_suite.app, id: APP_ID } });
  await probot.receive({ id: 'cs-1', name: 'check_suite', payload: payload as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`).length, 0, 'no second check run for the SHA');
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'success');
});

test('redelivered webhook: one check run, one review, nothing duplicated (real in-process queue)', async () => {
  const base = loadFixture('families', 'base');
  const head = loadFixture('families', 'head');
  let queue: ReviewQueue | undefined;
  let finished = 0;
  const { probot } = await createTestApp({
    readTrees: fakeReadTrees(base, head),
    queue: (options) =>
      createReviewQueue({
        ...options,
        handler: async (job, signal) => {
          await options.handler(job, signal);
          finished++;
        },
      }),
    onQueue: (q) => (queue = q),
  });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  nockFiles(scope, head.map((f) => ({ filename: f.path, patch: addedPatch(f.text) })));
  nockComments(scope);
  nockReviews(scope);
  nockCreateReview(scope);
  nockCheckRunUpdates(scope);
  const payload = pullRequestPayload('opened');
  await probot.receive({ id: 'same-delivery', name: 'pull_request', payload: payload as any });
  for (let i = 0; i < 6000 && finished < 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(finished, 1);
  assert.deepEqual(scope.pendingMocks(), []);

  // The redelivery makes no API request at all (the webhook only queues) and the queue drops the duplicate delivery.
  await probot.receive({ id: 'same-delivery', name: 'pull_request', payload: payload as any });
  await new Promise((r) => setTimeout(r, 50));
  await queue?.close();
  assert.equal(finished, 1);
  assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`).length, 1);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 1);
});

test('the webhook only queues (no API request); the job reuses the in-progress check run of a redelivery', async () => {
  let options: ReviewQueueOptions | undefined;
  const { probot, jobs } = await createTestApp({
    readTrees: fakeReadTrees([], []),
    queue: (o) => {
      options = o;
      return { enqueue: async (job) => void jobs.push(job), close: async () => {} };
    },
  });
  // No nock scope: any request from the webhook fails the test.
  await probot.receive({ id: 'd-1', name: 'pull_request', payload: pullRequestPayload('synchronize', { changedFiles: 1 }) as any });
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.data.checkRunId, undefined, 'the check run is the job\'s business');
  assert.deepEqual(jobs[0]!.data, { kind: 'pull_request', installationId: INSTALLATION_ID, owner: OWNER, repo: REPO, headSha: HEAD_SHA, baseSha: BASE_SHA, pullNumber: PR_NUMBER, changedFiles: 1 });
  assert.equal(jobs[0]!.coalesceKey, `${OWNER}/${REPO}#${PR_NUMBER}`);
  assert.equal(jobs[0]!.id, 'd-1');
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(jobs[0])));

  // The job (e.g. a retry on another replica) finds the in-progress run: no second one, not reset.
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope, { status: 'in_progress' });
  nockConfig(scope, undefined);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await options!.handler(JSON.parse(JSON.stringify(jobs[0])), new AbortController().signal);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`).length, 0);
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  assert.equal(updates.length, 1);
  assert.equal(updates[0].conclusion, 'success');
});

test('re-run on a commit with no open pull request (a merge queue commit): compared with its first parent, no review', async () => {
  const calls: unknown[] = [];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], [], calls) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope.get(`/repos/${OWNER}/${REPO}/commits/${MERGE_HEAD}/pulls`).query({ per_page: '100' }).reply(200, []);
  scope.get(`/repos/${OWNER}/${REPO}/git/commits/${MERGE_HEAD}`).reply(200, { sha: MERGE_HEAD, parents: [{ sha: MERGE_BASE }] });
  nockConfig(scope, undefined);
  nockCheckRunUpdates(scope, 2);
  const payload = rerequestedCheckRunPayload({ headSha: MERGE_HEAD, pullRequests: [] });
  await probot.receive({ id: 'rr-mg', name: 'check_run', payload: payload as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.deepEqual(calls, [{ owner: OWNER, repo: REPO, baseSha: MERGE_BASE, headSha: MERGE_HEAD }]);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'success');
});

test('the queue refuses the job (e.g. Redis down): the delivery fails (GitHub shows it failed, it can be redelivered), no API request', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({
    readTrees: fakeReadTrees([], []),
    logs,
    queue: () => ({ enqueue: async () => Promise.reject(new Error('redis unavailable')), close: async () => {} }),
  });
  await assert.rejects(probot.receive({ id: 'down-1', name: 'pull_request', payload: pullRequestPayload('opened') as any }), /redis unavailable/);
  assert.ok(logs.lines.some((l) => l.includes('could not queue the review')));
});

test('re-run whose check run cannot be set in progress: that same run is completed, no second run is created', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope.patch(CHECK_RUN_PATH).reply(500, { message: 'Server Error' });
  nockCheckRunUpdates(scope);
  const payload = rerequestedCheckRunPayload();
  await probot.receive({ id: 'rr-fail', name: 'check_run', payload: payload as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`).length, 0);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.status, 'completed');
  assert.equal(done.output.title, 'keyref could not review this commit');
});
