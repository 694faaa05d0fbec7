import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding } from '../../src/engine/model.js';
import { buildAnnotations } from '../../src/app/check-run/annotations.js';
import { conclusionFor } from '../../src/app/check-run/conclusion.js';
import { buildSummary } from '../../src/app/check-run/summary.js';
import { buildTitle } from '../../src/app/check-run/title.js';
import { MAX_ANNOTATION_MESSAGE_BYTES, MAX_CHECK_SUMMARY_CHARS, MAX_COMMENT_BODY_CHARS } from '../../src/app/constants.js';
import { coalesceKeyFor, parseJobData } from '../../src/app/jobs/job-data.js';
import { commentBody } from '../../src/app/review/comment-body.js';
import { commentableLines } from '../../src/app/review/commentable-lines.js';
import { fingerprintMarker, fingerprintsIn, reviewMarker, reviewShaIn } from '../../src/app/review/markers.js';
import { planReview } from '../../src/app/review/plan-review.js';
import { reviewBody } from '../../src/app/review/review-body.js';
import { suggestedLine } from '../../src/app/review/suggested-line.js';
import { describeError } from '../../src/app/util/describe-error.js';
import { escapeMarkdown } from '../../src/app/util/markdown.js';
import { truncateBytes, truncateChars } from '../../src/app/util/truncate.js';

function finding(over: Partial<Finding> = {}): Finding {
  return { ruleId: 'missing-key', severity: 'error', path: 'a.yaml', line: 3, endLine: 3, message: 'm', fingerprint: '0123456789abcdef0123', introduced: true, ...over };
}

test('commentableLines: added and context lines of every hunk, right side numbering', () => {
  const patch = '@@ -1,3 +1,4 @@\n a\n-b\n+c\n+d\n e\n@@ -10,2 +11,2 @@\n x\n-y\n+z\n\\ No newline at end of file';
  assert.deepEqual([...commentableLines(patch)].sort((a, b) => a - b), [1, 2, 3, 4, 11, 12]);
  assert.deepEqual([...commentableLines('')], []);
  assert.deepEqual([...commentableLines('@@ -0,0 +1,2 @@\n+x\n+y')], [1, 2]);
});

test('suggestedLine: only lines that hold just the key and the replaced value (or key)', () => {
  assert.equal(suggestedLine('          key: log-levl', 'log-levl', 'log-level'), '          key: log-level');
  assert.equal(suggestedLine('          key: "log-levl"', 'log-levl', 'log-level'), '          key: "log-level"');
  assert.equal(suggestedLine('            configMapKeyRef:', 'configMapKeyRef', 'secretKeyRef'), '            secretKeyRef:');
  assert.equal(suggestedLine('  - name: app-confg', 'app-confg', 'app-config'), '  - name: app-config');
  assert.equal(suggestedLine('  - app-confg', 'app-confg', 'app-config'), '  - app-config');
  // anything else on the line: no suggestion (it could be a value, a comment, a secret)
  assert.equal(suggestedLine('  password: hunter2 # key: log-levl', 'log-levl', 'log-level'), undefined);
  assert.equal(suggestedLine('  log-levl: Zq8xK3vT9mW2pL7rN4sY6bH1', 'log-levl', 'log-level'), undefined);
  assert.equal(suggestedLine('  key: log-levl-log-levl', 'log-levl', 'x'), undefined, 'ambiguous');
  assert.equal(suggestedLine('  key: other', 'log-levl', 'x'), undefined);
  assert.equal(suggestedLine('  key: a', 'a', 'b\nc'), undefined);
});

test('truncation helpers respect character and byte limits and say they cut', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 20, max: 200 }), (s, max) => {
      const c = truncateChars(s, max);
      assert.ok(c.length <= max);
      if (s.length > max) assert.match(c, /truncated\)$/);
      const b = truncateBytes(s, max);
      assert.ok(Buffer.byteLength(b) <= max);
      if (Buffer.byteLength(s) > max) assert.match(b, /truncated\)$/);
      else assert.equal(b, s);
    }),
  );
});

test('summary stays under 65,535 characters with a huge number of findings, and counts the ones left out', () => {
  const many = Array.from({ length: 5000 }, (_, i) => finding({ path: `dir/file-${i}.yaml`, message: 'x'.repeat(200), fingerprint: `f${i}`, introduced: i % 2 === 0 }));
  const summary = buildSummary({ findings: many, notes: ['a note'] });
  assert.ok(summary.length <= MAX_CHECK_SUMMARY_CHARS);
  assert.match(summary, /more findings not listed: GitHub limits this summary to 65,535 characters/);
  assert.match(summary, /### Notes\n- a note/);
});

test('summary: introduced first (grouped by rule and severity), pre-existing in a collapsed block; HTML in messages is escaped', () => {
  const summary = buildSummary({
    findings: [
      finding({ ruleId: 'unresolved-reference', severity: 'warning', message: 'w <script>' }),
      finding({ ruleId: 'missing-key', severity: 'error', path: 'b.yaml', causedBy: ['cm.yaml'] }),
      finding({ ruleId: 'plaintext-secret', severity: 'error', introduced: false, path: 'old.yaml' }),
    ],
    fixedCount: 2,
  });
  assert.ok(summary.indexOf('`missing-key` · error (1)') < summary.indexOf('`unresolved-reference` · warning (1)'));
  assert.ok(summary.indexOf('<details><summary>1 finding that already existed</summary>') > summary.indexOf('unresolved-reference'));
  assert.match(summary, /`old\.yaml` line 3/);
  assert.match(summary, /w &lt;script&gt;/);
  assert.match(summary, /caused by the change to `cm\.yaml`/);
  assert.match(summary, /fixes 2 findings/);
});

test('summary: what was not analysed is named under the headline, so no new problems never reads as a clean pass', () => {
  const clean = buildSummary({ findings: [], notes: ['charts/web/Chart.yaml: not analysed — Helm chart'], notAnalysed: 'not analysed: 1 Helm chart' });
  assert.match(clean, /^\*\*No new problems\.\*\*.*\n\n⚠️ \*\*not analysed: 1 Helm chart\*\* — listed under Notes/);
  const withFindings = buildSummary({ findings: [finding({})], notAnalysed: 'not analysed: 2 remote kustomize resources' });
  assert.match(withFindings, /^⚠️ \*\*not analysed: 2 remote kustomize resources\*\*.*\n\n### Introduced by this change/);
  assert.doesNotMatch(buildSummary({ findings: [] }), /not analysed/);
});

test('annotations: level per severity, title = rule id, message ≤ 64 KB, only introduced findings, lines clamped to the file', () => {
  const { annotations } = buildAnnotations(
    [
      finding({ message: 'é'.repeat(MAX_ANNOTATION_MESSAGE_BYTES) }),
      finding({ severity: 'notice', ruleId: 'r2', line: 50, endLine: 60 }),
      finding({ severity: 'warning', introduced: false }),
    ],
    () => 40,
  );
  assert.deepEqual(
    annotations.map((a) => [a.annotation_level, a.title, a.start_line, a.end_line]),
    [
      ['failure', 'missing-key', 3, 3],
      ['notice', 'r2', 40, 40],
    ],
  );
  assert.ok(Buffer.byteLength(annotations[0]!.message) <= MAX_ANNOTATION_MESSAGE_BYTES);
});

test('conclusion and title', () => {
  assert.equal(conclusionFor([], { conclusionOnWarnings: 'neutral' }), 'success');
  assert.equal(conclusionFor([finding({ severity: 'notice' })], { conclusionOnWarnings: 'failure' }), 'success');
  assert.equal(conclusionFor([finding({ severity: 'warning' })], { conclusionOnWarnings: 'neutral' }), 'neutral');
  assert.equal(conclusionFor([finding({ severity: 'warning' }), finding()], { conclusionOnWarnings: 'success' }), 'failure');
  assert.equal(conclusionFor([finding({ introduced: false })], { conclusionOnWarnings: 'success' }), 'success', 'pre-existing errors do not fail the PR');
  assert.equal(buildTitle([finding(), finding({ severity: 'warning' }), finding({ introduced: false })]), '1 error, 1 warning introduced · 1 pre-existing');
  assert.equal(buildTitle([]), 'No new problems');
});

test('markers round-trip; comment and review bodies stay under the limit with the marker last', () => {
  assert.deepEqual(fingerprintsIn(`a ${fingerprintMarker('abc123')} b ${fingerprintMarker('def')}`), ['abc123', 'def']);
  assert.equal(reviewShaIn(`x\n${reviewMarker('a'.repeat(40))}`), 'a'.repeat(40));
  assert.equal(reviewShaIn('<!-- keyref:review sha=zzz -->'), undefined);
  const body = commentBody(finding({ message: 'm'.repeat(100_000) }));
  assert.ok(body.length <= MAX_COMMENT_BODY_CHARS);
  assert.ok(body.endsWith(fingerprintMarker('0123456789abcdef0123')));
  const withFence = commentBody(finding(), 'a ``` b');
  assert.match(withFence, /````suggestion\na ``` b\n````/);
  const review = reviewBody({ headSha: 'c'.repeat(40), commentCount: 1, overflow: Array.from({ length: 2000 }, (_, i) => finding({ fingerprint: `f${i}`, message: 'y'.repeat(100) })) });
  assert.ok(review.length <= MAX_COMMENT_BODY_CHARS);
  assert.equal(reviewShaIn(review), 'c'.repeat(40));
  assert.match(review, /and \d+ more \(see the check run\)/);
});

test('planReview: errors first, only diff lines, only new, notices never inline, cap respected, gone fingerprints found', () => {
  const findings = [
    finding({ severity: 'warning', path: 'a.yaml', line: 1, fingerprint: 'w1' }),
    finding({ path: 'a.yaml', line: 2, fingerprint: 'e1' }),
    finding({ path: 'a.yaml', line: 9, endLine: 9, fingerprint: 'e-outside' }),
    finding({ severity: 'notice', path: 'a.yaml', line: 2, fingerprint: 'n1' }),
    finding({ path: 'a.yaml', line: 3, fingerprint: 'e-old' }),
    finding({ path: 'a.yaml', line: 3, fingerprint: 'e-pre', introduced: false }),
    finding({ path: 'a.yaml', line: 4, fingerprint: 'e2' }),
  ];
  const plan = planReview({
    findings,
    head: [{ path: 'a.yaml', text: 'x\ny\nz\nw\n' }],
    commentable: new Map([['a.yaml', new Set([1, 2, 3, 4])]]),
    alreadyPosted: new Set(['e-old']),
    existingComments: ['e-old', 'vanished'],
    maxComments: 2,
  });
  assert.deepEqual(plan.comments.map((c) => c.fingerprint), ['e1', 'e2']);
  assert.deepEqual(plan.overflow.map((f) => f.fingerprint), ['w1']);
  assert.deepEqual([...plan.gone], ['vanished']);
});

test('job data survives JSON and rejects malformed data; coalesce keys per PR or merge group commit', () => {
  const data = { kind: 'pull_request', installationId: 2, owner: 'o', repo: 'r', headSha: 'h', baseSha: 'b', pullNumber: 3, checkRunId: 9 } as const;
  assert.deepEqual(parseJobData(JSON.parse(JSON.stringify(data))), data);
  assert.equal(parseJobData({ ...data, pullNumber: undefined }), undefined);
  assert.equal(parseJobData({ ...data, kind: 'push' }), undefined);
  assert.deepEqual(parseJobData({ ...data, changedFiles: 0 }), { ...data, changedFiles: 0 });
  assert.deepEqual(parseJobData({ ...data, changedFiles: -1 }), data, 'a malformed changed-file count is dropped (the PR is read instead)');
  assert.deepEqual(parseJobData({ ...data, changedFiles: '3' }), data);
  assert.equal(coalesceKeyFor(data), 'o/r#3');
  assert.equal(coalesceKeyFor({ ...data, kind: 'merge_group' }), 'o/r@merge_group:h');
  // The webhook knows no check run (the job finds or creates it); a re-run without a pull request is a `commit` job with no base yet.
  const { checkRunId: _id, ...fromWebhook } = data;
  assert.deepEqual(parseJobData({ ...fromWebhook, draft: true }), { ...fromWebhook, draft: true });
  assert.deepEqual(parseJobData({ ...fromWebhook, draft: 'yes' }), fromWebhook);
  const commit = { kind: 'commit', installationId: 2, owner: 'o', repo: 'r', headSha: 'h' } as const;
  assert.deepEqual(parseJobData(commit), commit);
  assert.equal(parseJobData({ ...fromWebhook, kind: 'merge_group', baseSha: undefined }), undefined, 'a merge group job needs its base');
  assert.equal(coalesceKeyFor(commit), 'o/r@commit:h');
});

test('describeError keeps name, status and the first sentence only; escapeMarkdown defuses HTML and mentions', () => {
  const err = Object.assign(new Error('Validation Failed: {"value":"hunter2"}'), { status: 422, name: 'HttpError' });
  assert.deepEqual(describeError(err), { name: 'HttpError', status: 422, message: 'Validation Failed' });
  assert.deepEqual(describeError('x'), { name: 'Error', message: 'non-error value thrown' });
  assert.equal(escapeMarkdown('<!-- x --> @team'), '&lt;!-- x --&gt; @\u200bteam');
});
