import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHECK_RUN_PATH,
  LogCapture,
  REVIEWS_PATH,
  addedPatch,
  strictNock,
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
} from './helpers.js';

strictNock();

/** The fake secrets planted in fixtures/app/leak/head. */
const CANARIES = [
  'Canary-Secret-Q9xT4vL2mK8pW3zR', // base64 in Secret data
  'Canary-Token-H7bN2cV5xJ9kL4qW', // Secret stringData
  'Canary-Config-T6yU1iO8pA3sD5fG', // ConfigMap value
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1', // AWS-shaped ConfigMap value
  'Canary-Env-Z2xC4vB6nM8qR1tY', // literal env value
  'Canary-Broken-K5jH3gF1dS9aP7oI', // in a file that does not parse
];

function forms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [secret, b64, b64.replace(/=+$/, ''), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

function assertNoSecret(where: string, text: string): void {
  for (const secret of CANARIES) for (const form of forms(secret)) assert.ok(!text.includes(form), `${where} contains a planted secret (${form.slice(0, 6)}…)`);
  // and no fragment long enough to identify one
  for (const secret of CANARIES) assert.ok(!text.includes(secret.slice(-12)), `${where} contains the end of a planted secret`);
}

/** Reviews the leak fixture (planted secrets) with logs captured at trace level; every request mocked. */
async function reviewLeakFixture(id: string) {
  const base = loadFixture('leak', 'base');
  const head = loadFixture('leak', 'head');
  const logs = new LogCapture();
  const { probot } = await createTestApp({ readTrees: fakeReadTrees(base, head), logs });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockPull(scope);
  nockFiles(scope, head.map((f) => ({ filename: f.path, patch: addedPatch(f.text) })));
  nockComments(scope, [botComment(1, '<!-- keyref:fingerprint=gone0000000000000000 -->')]);
  nockReviews(scope);
  nockCreateReview(scope);
  scope.post('/graphql').reply(200, { data: { m0: { minimizedComment: { isMinimized: true } } } });
  nockCheckRunUpdates(scope);
  await probot.receive({ id, name: 'pull_request', payload: pullRequestPayload('opened') as any });
  assert.deepEqual(scope.pendingMocks(), []);
  return { logs, seen };
}

test('no request body and no log line ever carries a planted secret, raw or base64 (findings, suggestions, failures)', async () => {
  const { logs, seen } = await reviewLeakFixture('leak-1');

  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  assert.equal(done.conclusion, 'failure');
  assert.ok(done.output.annotations.length >= 7, 'the secrets are reported');
  const [review] = bodiesOf(seen, 'POST', REVIEWS_PATH);
  assert.ok(review.comments.length >= 7);
  assert.ok(review.comments.some((c: any) => c.body.includes('```suggestion\n                secretKeyRef:\n```')), 'the safe suggestion is still made');
  assert.ok(seen.length >= 8);
  for (const r of seen) assertNoSecret(`${r.method} ${r.path}`, typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''));
  assert.ok(logs.lines.length > 5, 'logs were captured at trace level');
  for (const line of logs.lines) assertNoSecret('a log line', line);
});

test('a failure whose message quotes a secret is logged without it, and the check run does not repeat it', async () => {
  const base = loadFixture('leak', 'base');
  const head = loadFixture('leak', 'head');
  const logs = new LogCapture();
  const { probot } = await createTestApp({
    readTrees: fakeReadTrees(base, head),
    logs,
    engine: async () => {
      throw new Error(`unexpected token at "password: ${CANARIES[1]}" and ${CANARIES[4]} (${Buffer.from(CANARIES[0]!).toString('base64')})`);
    },
  });
  const scope = nockToken();
  const seen = recordBodies(scope);
  nockCheckRunStart(scope);
  nockConfig(scope, undefined);
  nockCheckRunUpdates(scope);
  await probot.receive({ id: 'leak-2', name: 'pull_request', payload: pullRequestPayload('opened') as any });
  assert.deepEqual(scope.pendingMocks(), []);
  assert.equal(bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1).conclusion, 'neutral');
  for (const r of seen) assertNoSecret(`${r.method} ${r.path}`, JSON.stringify(r.body ?? ''));
  assert.ok(logs.lines.some((l) => l.includes('review failed')));
  for (const line of logs.lines) assertNoSecret('a log line', line);
});

/** Every string in a request body long enough to identify it (prose: comment bodies, check-run summaries). */
function proseOf(body: unknown, out: string[] = []): string[] {
  if (typeof body === 'string') {
    if (body.length >= 30 && /\s/.test(body)) out.push(body.slice(0, 60), JSON.stringify(body).slice(1, 61));
  } else if (Array.isArray(body)) for (const item of body) proseOf(item, out);
  else if (body && typeof body === 'object') for (const value of Object.values(body)) proseOf(value, out);
  return out;
}

test('at debug level no log line carries an outgoing request body or header (method, route, status kept)', async () => {
  const { logs, seen } = await reviewLeakFixture('leak-debug');

  const done = bodiesOf(seen, 'PATCH', CHECK_RUN_PATH).at(-1);
  const summary: string = done.output.summary;
  assert.ok(summary.length > 30);
  const prose = seen.flatMap((r) => proseOf(r.body));
  assert.ok(prose.length > 10, 'the review sent comment bodies and summaries');
  const requestLines = logs.lines.filter((line) => line.includes('GitHub request: '));
  assert.ok(requestLines.some((line) => line.includes('PATCH') && line.includes('/check-runs/') && line.includes(' - 200')), 'request lines keep method, URL and status');
  // Probot's own "Webhook received" debug line is kept, without the incoming payload (test/runtime/webhook-log.test.ts).
  assert.ok(logs.lines.some((l) => l.includes('"msg":"Webhook received"')));
  for (const line of logs.lines) {
    for (const text of prose) assert.ok(!line.includes(text), `a log line carries a request body: ${line.slice(0, 200)}`);
    assert.ok(!/"(authorization|headers|body|query|variables)"\s*:/i.test(line), `a log line carries request options: ${line.slice(0, 200)}`);
  }
});
