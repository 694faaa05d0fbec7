import { test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import type { Finding } from '../../src/engine/model.js';
import type { ReviewResult } from '../../src/engine/review.js';
import {
  API,
  BASE_SHA,
  CHECK_RUN_PATH,
  HEAD_SHA,
  OWNER,
  REPO,
  REVIEWS_PATH,
  addedPatch,
  bodiesOf,
  botComment,
  createTestApp,
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
  recordBodies,
  strictNock,
} from './helpers.js';

strictNock();

function lastCompletion(seen: ReturnType<typeof recordBodies>): any {
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  const last = updates.at(-1);
  assert.equal(last?.status, 'completed');
  return last;
}

async function deliver(probot: any, action = 'opened', id = 'delivery-1', payload = pullRequestPayload(action)): Promise<void> {
  await probot.receive({ id, name: 'pull_request', payload });
}

test('clean pull request: check run created in progress, completed success, no review posted', async () => {
  const files = loadFixture('removed-key', 'base');
  const readCalls: unknown[] = [];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(files, files, readCalls) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const created = bodiesOf(seen, 'POST', `/repos/${OWNER}/${REPO}/check-runs`)[0];
  assert.equal(created.name, 'keyref');
  assert.equal(created.status, 'in_progress');
  assert.equal(created.head_sha, HEAD_SHA);
  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'success');
  assert.equal(done.output.title, 'No new problems');
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
  assert.deepEqual(readCalls, [{ owner: OWNER, repo: REPO, baseSha: BASE_SHA, headSha: HEAD_SHA }]);
});

test('every rule family: failure, grouped summary, annotations, one review with comments on diff lines and suggestions', async () => {
  const base = loadFixture('families', 'base');
  const head = loadFixture('families', 'head');
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(base, head) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  nockFiles(
    scope,
    head.filter((f) => f.path !== 'config.yaml').map((f) => ({ filename: f.path, patch: addedPatch(f.text) })),
  );
  nockComments(scope);
  nockReviews(scope);
  nockCreateReview(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);

  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'failure');
  assert.match(done.output.title, /^5 errors, 2 warnings introduced$/);
  const summary: string = done.output.summary;
  for (const rule of ['parse-error', 'plaintext-secret', 'credential-in-configmap', 'missing-key', 'wrong-kind', 'unresolved-reference', 'credential-from-configmap']) {
    assert.ok(summary.includes(`\`${rule}\``), `summary names ${rule}`);
  }
  assert.ok(summary.indexOf('· error') < summary.indexOf('· warning'), 'errors before warnings');
  const annotations = done.output.annotations as any[];
  assert.equal(annotations.length, 7);
  const missing = annotations.find((a) => a.title === 'missing-key');
  assert.deepEqual(
    { path: missing.path, start_line: missing.start_line, end_line: missing.end_line, annotation_level: missing.annotation_level },
    { path: 'web.yaml', start_line: 22, end_line: 22, annotation_level: 'failure' },
  );
  assert.equal(annotations.find((a) => a.title === 'unresolved-reference').annotation_level, 'warning');

  const [review] = bodiesOf(seen, 'POST', REVIEWS_PATH);
  assert.equal(review.event, 'COMMENT');
  assert.equal(review.commit_id, HEAD_SHA);
  assert.match(review.body, new RegExp(`<!-- keyref:review sha=${HEAD_SHA} -->`));
  assert.equal(review.comments.length, 6, "the parse error points past the last line: not a diff line");
  for (const c of review.comments) {
    assert.equal(c.side, 'RIGHT');
    assert.match(c.body, /<!-- keyref:fingerprint=[0-9a-f]{20} -->$/);
  }
  const typo = review.comments.find((c: any) => c.body.includes('`missing-key`'));
  assert.equal(typo.line, 22);
  assert.ok(typo.body.includes('```suggestion\n                  key: log-level\n```'), typo.body);
  const kind = review.comments.find((c: any) => c.body.includes('`wrong-kind`'));
  assert.equal(kind.line, 25);
  assert.ok(kind.body.includes('```suggestion\n                configMapKeyRef:\n```') === false);
  assert.ok(kind.body.includes('```suggestion\n                secretKeyRef:\n```'), kind.body);
});

test('a removed ConfigMap key breaks an unchanged Deployment: introduced, annotated, not commented (outside the diff)', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(loadFixture('removed-key', 'base'), loadFixture('removed-key', 'head')) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  // No pull request read (the payload has it) and no diff listed: the finding is in a file the PR did not change.
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'failure');
  assert.equal(done.output.title, '1 error introduced');
  assert.deepEqual(
    done.output.annotations.map((a: any) => [a.path, a.start_line, a.annotation_level, a.title]),
    [['api.yaml', 22, 'failure', 'missing-key']],
  );
  assert.match(done.output.annotations[0].message, /caused by the change to config\.yaml/);
  assert.match(done.output.summary, /caused by the change to `config\.yaml`/);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0, 'no review: the finding is not on a diff line');
});

function fakeFinding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'missing-key',
    severity: 'warning',
    path: `apps/app-${String(i).padStart(3, '0')}.yaml`,
    line: 10,
    endLine: 10,
    message: `Finding number ${i}`,
    fingerprint: `fp${String(i).padStart(18, '0')}`,
    introduced: true,
    ...over,
  };
}

function fakeEngine(findings: Finding[], extra: Partial<ReviewResult> = {}) {
  return async (): Promise<ReviewResult> => ({
    findings,
    fixed: [],
    changedPaths: [],
    skipped: [],
    stats: { files: 0, documents: 0, objects: 0, references: 0, providers: 0 },
    ...extra,
  });
}

test('more than 50 findings: annotations sent in batches of at most 50, the last with the conclusion; comments capped, the rest in the review body', async () => {
  const findings = Array.from({ length: 120 }, (_, i) => fakeFinding(i));
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, 'app:\n  maxInlineComments: 5\n  conclusionOnWarnings: neutral\n');
  nockPull(scope, HEAD_SHA, 120);
  nockFiles(scope, findings.map((f) => ({ filename: f.path, patch: '@@ -8,3 +8,3 @@\n a\n-b\n+c\n d' })));
  nockComments(scope);
  nockReviews(scope);
  nockCreateReview(scope);
  nockCheckRunUpdates(scope, 3);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  assert.deepEqual(updates.map((u) => u.output.annotations.length), [50, 50, 20]);
  assert.deepEqual(updates.map((u) => u.status), [undefined, undefined, 'completed']);
  assert.equal(updates[2].conclusion, 'neutral');
  assert.equal(updates[2].output.title, '120 warnings introduced');
  const [review] = bodiesOf(seen, 'POST', REVIEWS_PATH);
  assert.equal(review.comments.length, 5);
  assert.equal((review.body.match(/<!-- keyref:fingerprint=/g) ?? []).length, 115);
});

test('more than 3,000 files and a file without patch: findings there get annotations only, the summary says why', async () => {
  const findings = [fakeFinding(1, { severity: 'error' }), fakeFinding(2, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  // Page 1 links to page 2 (paginated with per_page/page); app-002 is not listed at all (beyond 3,000), app-001 has no patch.
  scope
    .get(`/repos/${OWNER}/${REPO}/pulls/7/files`)
    .query({ per_page: '100' })
    .reply(200, [{ filename: 'apps/app-001.yaml', status: 'modified' }], {
      link: `<${API}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100&page=2>; rel="next"`,
    })
    .get(`/repos/${OWNER}/${REPO}/pulls/7/files`)
    .query({ per_page: '100', page: '2' })
    .reply(200, [{ filename: 'other.txt', status: 'modified', patch: '@@ -1 +1 @@\n-a\n+b' }]);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot, 'opened', 'delivery-1', pullRequestPayload('opened', { changedFiles: 3500 }));
  assert.deepEqual(scope.pendingMocks(), []);
  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'failure');
  assert.equal(done.output.annotations.length, 2);
  assert.match(done.output.summary, /changes 3500 files; GitHub lists only the first 3000/);
  assert.match(done.output.summary, /GitHub sent no diff for 1 file/);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
});

test('re-push with the same findings: no new review, no minimizing; the check run still completes', async () => {
  const findings = [fakeFinding(1, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  // Nothing to write: no pull request read, and no diff listed (the only finding is already commented).
  nockComments(scope, [
    botComment(501, `🛑 old text\n\n<!-- keyref:fingerprint=${findings[0]!.fingerprint} -->`),
    // a person quoting a marker does not count
    { id: 502, node_id: 'PRRC_502', body: '<!-- keyref:fingerprint=someoneelse0000000000 -->', user: { login: 'alice', type: 'User' } },
  ]);
  nockCheckRunUpdates(scope);
  await deliver(probot, 'synchronize');
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
  assert.equal(bodiesOf(seen, 'POST', '/graphql').length, 0);
  assert.equal(lastCompletion(seen).conclusion, 'failure');
});

test('fixed finding: the app minimizes its old comment as outdated (once); new and returning findings are commented', async () => {
  const findings = [fakeFinding(1, { severity: 'error' }), fakeFinding(2, { severity: 'error' }), fakeFinding(3, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  nockFiles(scope, findings.map((f) => ({ filename: f.path, patch: '@@ -8,3 +8,3 @@\n a\n-b\n+c\n d' })));
  nockComments(scope, [
    botComment(601, `<!-- keyref:fingerprint=${findings[0]!.fingerprint} -->`),
    botComment(602, 'old text <!-- keyref:fingerprint=gone0000000000000000 -->'),
    // minimized by an earlier run: left alone
    botComment(603, '<!-- keyref:fingerprint=gone1111111111111111 --> <!-- keyref:outdated -->'),
    // its finding was gone, now it is back: commented again
    botComment(604, `<!-- keyref:fingerprint=${findings[2]!.fingerprint} --> <!-- keyref:outdated -->`),
  ]);
  nockReviews(scope, [{ id: 1, body: `x <!-- keyref:review sha=${'c'.repeat(40)} -->`, user: { login: 'keyref[bot]', type: 'Bot' } }]);
  nockCreateReview(scope);
  scope.post('/graphql').reply(200, { data: { m0: { minimizedComment: { isMinimized: true } }, u0: { pullRequestReviewComment: { id: 'PRRC_602' } } } });
  nockCheckRunUpdates(scope);
  await deliver(probot, 'synchronize');
  assert.deepEqual(scope.pendingMocks(), []);
  const [review] = bodiesOf(seen, 'POST', REVIEWS_PATH);
  assert.deepEqual(
    review.comments.map((c: any) => c.body.match(/fingerprint=(\w+)/)[1]),
    [findings[1]!.fingerprint, findings[2]!.fingerprint],
  );
  const [gql] = bodiesOf(seen, 'POST', '/graphql');
  assert.match(gql.query, /m0: minimizeComment\(input: \{ subjectId: \$id0, classifier: OUTDATED \}\)/);
  assert.match(gql.query, /u0: updatePullRequestReviewComment\(input: \{ pullRequestReviewCommentId: \$id0, body: \$body0 \}\)/);
  assert.doesNotMatch(gql.query, /\$id1/);
  assert.equal(gql.variables.id0, 'PRRC_602');
  assert.match(gql.variables.body0, /^old text <!-- keyref:fingerprint=gone0000000000000000 -->\n\n_keyref no longer finds this problem._ <!-- keyref:outdated -->$/);
});

test('a review already posted for this head SHA is not posted again (one review per head SHA)', async () => {
  const findings = [fakeFinding(1, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope, { status: 'completed' });
  nockConfig(scope, undefined);
  nockFiles(scope, [{ filename: findings[0]!.path, patch: '@@ -8,3 +8,3 @@\n a\n-b\n+c\n d' }]);
  nockComments(scope);
  nockReviews(scope, [{ id: 1, body: `x <!-- keyref:review sha=${HEAD_SHA} -->`, user: { login: 'keyref[bot]', type: 'Bot' } }]);
  nockCheckRunUpdates(scope, 2);
  await deliver(probot, 'reopened');
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
  const updates = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH);
  assert.equal(updates[0].status, 'in_progress', 'the completed run is set back to in progress');
  assert.equal(updates[1].conclusion, 'failure');
});

test('fork pull request: everything is read from and posted to the base repository', async () => {
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(loadFixture('removed-key', 'base'), loadFixture('removed-key', 'base')) });
  const scope = nockToken();
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockComments(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot, 'opened', 'fork-1', pullRequestPayload('opened', { fork: true }));
  assert.deepEqual(scope.pendingMocks(), []);
});

test('draft pull requests are skipped unless app.reviewDrafts; edited without a base change is ignored', async () => {
  const { probot, jobs } = await createTestApp({ readTrees: fakeReadTrees([], []) });
  const scope = nockToken();
  nockConfig(scope, undefined);
  await deliver(probot, 'opened', 'draft-1', pullRequestPayload('opened', { draft: true }));
  const edited = pullRequestPayload('opened');
  edited.action = 'edited';
  edited.changes = { title: { from: 'old' } };
  await probot.receive({ id: 'edit-1', name: 'pull_request', payload: edited as any });
  assert.deepEqual(scope.pendingMocks(), []);
  // The webhook queues the draft without reading anything; the job reads the configuration and makes no check run.
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0]!.data.draft, true);

  // With reviewDrafts the configuration is read once (by the job), before the check run is made.
  const scope2 = nock(API);
  nockConfig(scope2, 'app:\n  reviewDrafts: true\n');
  nockCheckRunStart(scope2);
  nockComments(scope2);
  nockCheckRunUpdates(scope2);
  await deliver(probot, 'opened', 'draft-2', pullRequestPayload('opened', { draft: true }));
  assert.deepEqual(scope2.pendingMocks(), []);

  const scope3 = nock(API);
  nockCheckRunStart(scope3);
  // The owner's .github has no keyref.yml: remembered from draft-1 a moment ago, only the repository's file is read.
  scope3.get(`/repos/${OWNER}/${REPO}/contents/.github%2Fkeyref.yml`).reply(404, { message: 'Not Found' });
  nockComments(scope3);
  nockCheckRunUpdates(scope3);
  edited.changes = { base: { ref: { from: 'old-main' }, sha: { from: 'c'.repeat(40) } } };
  await probot.receive({ id: 'edit-2', name: 'pull_request', payload: edited as any });
  assert.deepEqual(scope3.pendingMocks(), []);
  assert.equal(jobs.length, 3, 'draft-1 (skipped by its job), draft-2, edit-2');
});

test('superseded: the PR head moved on before posting, so no review and a neutral "superseded" check run', async () => {
  const findings = [fakeFinding(1, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockComments(scope);
  nockFiles(scope, [{ filename: findings[0]!.path, patch: '@@ -8,3 +8,3 @@\n a\n-b\n+c\n d' }]);
  nockReviews(scope);
  // Right before posting, the pull request's head is checked (one request): it moved on.
  nockPull(scope, 'd'.repeat(40));
  nockCheckRunUpdates(scope);
  await deliver(probot, 'synchronize');
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'neutral');
  assert.match(done.output.title, /Superseded/);
});

test('configuration from the owner\'s .github repository applies (context.config semantics); inlineComments: false posts no review', async () => {
  const findings = [fakeFinding(1, { severity: 'warning' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  scope
    .get(`/repos/${OWNER}/${REPO}/contents/.github%2Fkeyref.yml`)
    .reply(404, { message: 'Not Found' })
    .get(`/repos/${OWNER}/.github/contents/.github%2Fkeyref.yml`)
    .reply(200, 'app:\n  conclusionOnWarnings: neutral\n  inlineComments: false\n', { 'content-type': 'text/plain; charset=utf-8' });
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  const done = lastCompletion(seen);
  assert.equal(done.conclusion, 'neutral');
  assert.equal(done.output.annotations.length, 1);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH).length, 0);
});

test('large pull request: file pages are read only until every file with a finding to comment on was seen', async () => {
  const findings = [fakeFinding(1, { severity: 'error' })];
  const { probot } = await createTestApp({ readTrees: fakeReadTrees([], []), engine: fakeEngine(findings) });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope, HEAD_SHA, 2500);
  const page1 = Array.from({ length: 100 }, (_, i) => ({ filename: i === 42 ? findings[0]!.path : `other-${i}.yaml`, status: 'modified', patch: '@@ -8,3 +8,3 @@\n a\n-b\n+c\n d' }));
  scope
    .get(`/repos/${OWNER}/${REPO}/pulls/7/files`)
    .query({ per_page: '100' })
    .reply(200, page1, { link: `<${API}/repos/${OWNER}/${REPO}/pulls/7/files?per_page=100&page=2>; rel="next"` });
  nockComments(scope);
  nockReviews(scope);
  nockCreateReview(scope);
  nockCheckRunUpdates(scope);
  await deliver(probot);
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'POST', REVIEWS_PATH)[0].comments.length, 1);
});
