// Writes per review (issue 12): a review whose result is ready before the in-progress delay writes its
// check run once, already completed; a slow one is shown in progress first; a re-run of a completed
// run is updated once. (The other app tests use inProgressAfterMs 0, the in-progress-first shape.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import {
  API,
  CHECK_RUN_PATH,
  HEAD_SHA,
  OWNER,
  REPO,
  bodiesOf,
  createTestApp,
  fakeReadTrees,
  loadFixture,
  nockCheckRunStart,
  nockCheckRunUpdates,
  nockComments,
  nockConfig,
  nockToken,
  pullRequestPayload,
  recordBodies,
  strictNock,
} from './helpers.js';
import type { ReadTrees } from '../../src/app/index.js';

strictNock();

const files = loadFixture('removed-key', 'base');
const CREATE_PATH = `/repos/${OWNER}/${REPO}/check-runs`;
const writes = (seen: ReturnType<typeof recordBodies>) => seen.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

/** A tree reader that waits until the check run has been created: the review is still running when the in-progress write is due. */
function readTreesAfterCreate(scope: nock.Scope): ReadTrees {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const inner = fakeReadTrees(files, files);
  scope.on('replied', (req: { method: string; path: string }) => {
    if (req.method === 'POST' && req.path === CREATE_PATH) release();
  });
  return async (octokit, target) => {
    await held;
    return inner(octokit, target);
  };
}

test('result ready at once: the check run is created completed, one write for the whole review', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(files, files), inProgressAfterMs: 60_000 });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope, undefined, undefined, { status: 'completed' });
  nockConfig(scope, undefined);
  nockComments(scope);
  await probot.receive({ id: 'w-1', name: 'pull_request', payload: pullRequestPayload('opened') } as never);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.deepEqual(writes(seen).filter((w) => !w.includes('access_tokens')), [`POST ${CREATE_PATH}`]);
  const created = bodiesOf(seen, 'POST', CREATE_PATH)[0];
  assert.equal(created.status, 'completed');
  assert.equal(created.conclusion, 'success');
  assert.equal(created.name, 'keyref');
  assert.ok(created.started_at && created.completed_at);
});

test('a review still running after the delay: shown in progress, then completed (two writes)', async () => {
  const scope = nockToken();
  const seen = recordBodies(scope);
  // The reader waits until the in-progress write has been made.
  nockCheckRunStart(scope, undefined, undefined, { status: 'in_progress' });
  const readTrees = readTreesAfterCreate(scope);
  const { probot } = await createTestApp({ readTrees, inProgressAfterMs: 1 });
  nockConfig(scope, undefined);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await probot.receive({ id: 'w-2', name: 'pull_request', payload: pullRequestPayload('opened') } as never);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.deepEqual(writes(seen).filter((w) => !w.includes('access_tokens')), [`POST ${CREATE_PATH}`, `PATCH ${CHECK_RUN_PATH}`]);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH)[0].status, 'completed');
});

test('an existing completed run reviewed again and ready at once: one update, no "in progress" write', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(files, files), inProgressAfterMs: 60_000 });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope, { status: 'completed' });
  nockConfig(scope, undefined);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await probot.receive({ id: 'w-3', name: 'pull_request', payload: pullRequestPayload('synchronize') } as never);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.deepEqual(writes(seen).filter((w) => !w.includes('access_tokens')), [`PATCH ${CHECK_RUN_PATH}`]);
  const update = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH)[0];
  assert.equal(update.status, 'completed');
});

test('a failed in-progress write does not fail the review: the result is still written, created completed', async () => {
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope
    .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(CREATE_PATH, (b: Record<string, unknown>) => b.status === 'in_progress')
    .reply(500, { message: 'stand-in failure' })
    .post(CREATE_PATH, (b: Record<string, unknown>) => b.status === 'completed')
    .reply(201, { id: 5 });
  const readTrees = readTreesAfterCreate(scope);
  const { probot } = await createTestApp({ readTrees, inProgressAfterMs: 1 });
  nockConfig(scope, undefined);
  nockComments(scope);
  await probot.receive({ id: 'w-4', name: 'pull_request', payload: pullRequestPayload('opened') } as never);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', CREATE_PATH).at(-1).conclusion, 'success');
});

test('result ready, writes still to come: the pending in-progress write is not sent (two writes in a burst, not three)', async () => {
  const { PendingCheckRun } = await import('../../src/app/check-run/pending-check-run.js');
  const { KeyrefOctokit } = await import('../../src/app/octokit.js');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const octokit = new KeyrefOctokit({ auth: { token: 'ghs_test' }, log: quiet, throttle: { enabled: false }, retry: { enabled: false } } as never);
  const scope = nock(API)
    .post(CREATE_PATH, (body: Record<string, unknown>) => body.status === 'completed')
    .reply(201, { id: 7 });
  const run = new PendingCheckRun(octokit as never, { owner: OWNER, repo: REPO, headSha: HEAD_SHA }, undefined);
  run.startAfter(5);
  // The engine's result arrived before the delay; the review's own writes (waiting for the write limiter) come next.
  run.resultReady();
  await new Promise((resolve) => setTimeout(resolve, 30)); // past the delay: nothing is written (strictNock fails an in-progress POST)
  await run.complete({ conclusion: 'success', title: 'No problems', summary: 'ok' });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(run.checkRunId, 7);
});
