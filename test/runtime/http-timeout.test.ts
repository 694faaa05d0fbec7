import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbotOctokit } from 'probot';
import { installHttpDispatcher } from '../../src/app/runtime/index.js';

let slowLeft = 0;
let served = 0;
const server = createServer((req, res) => {
  served += 1;
  const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ login: 'x', path: req.url }));
  if (slowLeft > 0) {
    slowLeft -= 1;
    setTimeout(answer, 2_000);
  } else answer();
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('a client timeout bounds slow GitHub responses, and Octokit retries the timed-out request', { timeout: 30_000 }, async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  assert.deepEqual(installHttpDispatcher({ KEYREF_HTTP_TIMEOUT_MS: '300' }), { timeoutMs: 300 });

  slowLeft = 1;
  const started = performance.now();
  const error = await fetch(`${base}/slow`).then(
    () => undefined,
    (e: Error & { cause?: { code?: string } }) => e,
  );
  assert.equal(error?.cause?.code, 'UND_ERR_HEADERS_TIMEOUT');
  assert.ok(performance.now() - started < 1_500, 'gave up before the response came');

  slowLeft = 1;
  served = 0;
  const octokit = new ProbotOctokit({ baseUrl: base, throttle: { enabled: false } });
  const { data } = await octokit.request('GET /user');
  assert.equal(data.login, 'x');
  assert.equal(served, 2, 'one timed-out attempt, one retry');
});

test('without KEYREF_HTTP_TIMEOUT_MS the client timeout is 30 s', () => {
  assert.deepEqual(installHttpDispatcher({}), { timeoutMs: 30_000 });
});
