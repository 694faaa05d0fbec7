import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHECK_RUN_PATH,
  CHECK_RUN_ID,
  HEAD_SHA,
  LogCapture,
  OWNER,
  PR_NUMBER,
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
import { rateLimitHandler } from '../../src/app/octokit.js';

strictNock();

const CONFIG_URL = `/repos/${OWNER}/${REPO}/contents/.github%2Fkeyref.yml`;
const clean = loadFixture('removed-key', 'base');

async function deliver(probot: any, id = 'f-1'): Promise<void> {
  await probot.receive({ id, name: 'pull_request', payload: pullRequestPayload('synchronize') });
}

test('config file that is not YAML: the check run explains it with its line (neutral by default)', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, 'app:\n  reviewDrafts: true\nrules: [unclosed\n');
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'neutral');
  assert.equal(done.output.title, 'Configuration error in .github/keyref.yml');
  assert.match(done.output.summary, /`\.github\/keyref\.yml` line \d+: not valid YAML/);
});

test('config that does not match the schema: every problem with file, line and field; conclusionOnInternalError still honoured', async () => {
  const text = 'app:\n  conclusionOnInternalError: failure\n  maxInlineComments: 500\nrulez:\n  missing-key: off\n';
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, text);
  scope.get(CONFIG_URL).reply(200, text, { 'content-type': 'text/plain; charset=utf-8' }); // re-read as text for the lines
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'failure');
  assert.match(done.output.summary, /`\.github\/keyref\.yml` line 3: app\.maxInlineComments/);
  assert.match(done.output.summary, /line 4: rulez: unknown field \(did you mean "rules"\?\)/);
});

test('GitHub 5xx then success: retried (Octokit retry plugin), the review completes normally', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), retry: true });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope.get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`).query(true).reply(502, { message: 'Bad Gateway' });
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query({ per_page: '100' }).reply(500, { message: 'Server Error' });
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'success');
});

/** When the job could not find or create its check run: one run was created, already completed as an internal error. */
function assertOneCompletedRunCreated(seen: Parameters<typeof bodiesOf>[0]): void {
  const created = bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`);
  assert.equal(created.length, 1);
  assert.equal(created[0].status, 'completed');
  assert.equal(created[0].conclusion, 'neutral');
  assert.equal(created[0].output.title, 'keyref could not review this commit');
}

test('the job cannot find or create its check run (permanent 5xx): it still leaves a completed one on the commit', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope.get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`).query(true).reply(503, { message: 'Service Unavailable' });
  scope.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, { id: CHECK_RUN_ID });
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assertOneCompletedRunCreated(seen);
  assert.ok(logs.lines.some((l) => l.includes('review failed')));
});

test('rate-limit response: waits for the reset (Octokit throttling plugin) and completes', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), throttle: true, logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query({ per_page: '100' }).reply(
    403,
    { message: 'API rate limit exceeded for installation ID 2.' },
    { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
  );
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'success');
  assert.ok(logs.lines.some((l) => l.includes('Request quota exhausted')));
});

const SECONDARY = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };

test('403 secondary rate limit with retry-after: retried after the wait (keyref\'s throttle handler), completes normally, warning logged', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), throttle: true, logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query({ per_page: '100' }).reply(403, SECONDARY, { 'retry-after': '1' });
  nockComments(scope);
  nockCheckRunUpdates(scope);
  const started = Date.now();
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.ok(Date.now() - started >= 1000, 'waited retry-after');
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'success');
  const warning = logs.lines.find((l) => l.includes('Secondary rate limit on'));
  assert.ok(warning, 'a warning is logged');
  assert.match(JSON.parse(warning).msg, /^Secondary rate limit on GET \S+comments: retrying in 1 s \(retry 1 of 2\)$/);
  assert.equal(JSON.parse(warning).level, 40);
  assert.ok(!logs.lines.some((l) => l.includes('ghs_test')), 'no token in any log line');
});

test('403 secondary rate limit that persists: two retries, then the check run completes with the internal-error conclusion', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), throttle: true, logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  scope.get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`).query(true).times(3).reply(403, SECONDARY, { 'retry-after': '1' });
  scope.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, { id: CHECK_RUN_ID });
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assertOneCompletedRunCreated(seen);
  assert.equal(logs.lines.filter((l) => l.includes('retrying in 1 s')).length, 2);
  assert.ok(logs.lines.some((l) => l.includes('Secondary rate limit on GET') && l.includes('giving up after 2 retries')));
});

test('rate-limit handler: bounded retries, no wait longer than 60 s, nothing but method and route logged', () => {
  const warnings: string[] = [];
  const octokit = { log: { warn: (m: string) => void warnings.push(m) } };
  const handler = rateLimitHandler('Secondary rate limit');
  const options = { method: 'GET', url: '/repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1', headers: { authorization: 'token ghs_secret' } };
  assert.equal(handler(1, options, octokit, 0), true);
  assert.equal(handler(60, options, octokit, 1), true);
  assert.equal(handler(1, options, octokit, 2), false, 'at most two retries');
  assert.equal(handler(61, options, octokit, 0), false, 'a longer wait is not held');
  assert.equal(handler(1, { ...options, request: { retryCount: 2 } }, octokit), false, 'retry count from the request when not passed');
  assert.deepEqual(warnings, [
    'Secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}: retrying in 1 s (retry 1 of 2)',
    'Secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}: retrying in 60 s (retry 2 of 2)',
    'Secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}: giving up after 2 retries (retry-after 1 s)',
    'Secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}: giving up after 0 retries (retry-after 61 s)',
    'Secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}: giving up after 2 retries (retry-after 1 s)',
  ]);
});

test('permanent API failure: the check run completes with the configured conclusion (fail closed) and a clear title', async () => {
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(clean, clean), logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, 'app:\n  conclusionOnInternalError: failure\n');
  nockComments(scope);
  // Completing the check run fails for good: the review fails, and the run is completed as an internal error.
  scope.patch(CHECK_RUN_PATH).reply(500, { message: 'Server Error' });
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'failure');
  assert.equal(done.output.title, 'keyref could not review this commit');
  assert.match(done.output.summary, /app\.conclusionOnInternalError/);
  const errorLine = logs.lines.find((l) => l.includes('"review failed"'));
  assert.ok(errorLine, 'the failure is logged');
  assert.match(errorLine!, /"status":500/);
});

test('the repository reader fails for good: neutral by default (fail open)', async () => {
  const { probot } = await createTestApp({
    readTrees: async () => {
      throw Object.assign(new Error('Not Found'), { status: 404 });
    },
  });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'neutral');
});

test('an engine bug or a timeout still completes the check run', async () => {
  const { probot } = await createTestApp({
    readTrees: fakeReadTrees(clean, clean),
    engine: async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'neutral');

  const slow = await createTestApp({
    timeoutMs: 1000,
    readTrees: () => new Promise(() => {}), // a request that never answers
  });
  const scope2 = nockToken();
  const seen2 = recordBodies(scope2);
  nockCheckRunStart(scope2);
  nockConfig(scope2, undefined);
  nockCheckRunUpdates(scope2);
  const keepAlive = setInterval(() => {}, 50); // AbortSignal.timeout's timer does not hold the event loop open (a server does, in production)
  await deliver(slow.probot, 'f-2').finally(() => clearInterval(keepAlive));
  assert.deepEqual(scope2.pendingMocks(), []);
  const done = bodiesOf(seen2, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'neutral');
  assert.match(done.output.summary, /did not finish within/);
});
