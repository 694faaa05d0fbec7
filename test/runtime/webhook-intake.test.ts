import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { guardRequests } from '../../src/app/runtime/http-guard.js';
import { createWebhookIntake, type WebhookIntakeOptions } from '../../src/app/runtime/webhook-intake.js';
import { payloadProblem } from '../../src/app/webhooks/payload-shape.js';
import { signWebhook } from '../../src/standin/index.js';

const SECRET = 'intake-secret';
const PATH = '/api/github/webhooks';
const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function serve(options: Partial<WebhookIntakeOptions> = {}) {
  const lines: { obj: object; msg: string }[] = [];
  const passed: string[] = [];
  const server = createServer((req, res) => {
    passed.push((req as IncomingMessage & { body?: string }).body ?? '<stream>');
    res.writeHead(200).end('ok');
  });
  guardRequests(server, {
    webhook: { path: PATH, intake: createWebhookIntake({ path: PATH, secret: SECRET, validate: payloadProblem, log: { warn: (obj, msg) => lines.push({ obj, msg }) }, ...options }) },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, port: (server.address() as AddressInfo).port, lines, passed };
}

function post(url: string, body: string, signature: string, event = 'pull_request') {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': 'd-1', 'x-hub-signature-256': signature },
  });
}

const PR = JSON.stringify({ action: 'opened', repository: { name: 'r', owner: { login: 'o' } }, pull_request: { number: 1, state: 'open', head: { sha: 'a' }, base: { sha: 'b' } } });

test('a bad signature is answered 400 after streaming, never passed on, logged once without the body', async () => {
  const { url, lines, passed } = await serve();
  const body = JSON.stringify({ action: 'opened', canary: 'CANARY-'.repeat(1000) });
  const res = await post(url, body, signWebhook('wrong', body));
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: 'signature does not match' });
  assert.deepEqual(passed, []);
  assert.equal(lines.length, 1);
  assert.ok(!JSON.stringify(lines).includes('CANARY'));
  assert.match(lines[0]!.msg, /signature does not match/);
});

test('missing or malformed signature headers are refused before reading the body', async () => {
  const { url, passed, lines } = await serve();
  assert.equal((await post(url, PR, 'sha1=abc')).status, 400);
  const noType = await fetch(url, { method: 'POST', body: PR, headers: { 'x-github-event': 'ping', 'x-github-delivery': 'x', 'x-hub-signature-256': signWebhook(SECRET, PR) } });
  assert.equal(noType.status, 415);
  assert.deepEqual(passed, []);
  assert.equal(lines.length, 2);
});

test('a verified body is passed on as the raw payload', async () => {
  const { url, passed, lines } = await serve();
  const res = await post(url, PR, signWebhook(SECRET, PR));
  assert.equal(res.status, 200);
  assert.deepEqual(passed, [PR]);
  assert.equal(lines.length, 0);
});

test('a signed but malformed payload is answered 400 naming what is missing; invalid JSON too', async () => {
  const { url, passed } = await serve();
  const noHead = JSON.stringify({ ...JSON.parse(PR), pull_request: { number: 1, state: 'open', base: { sha: 'b' } } });
  const res = await post(url, noHead, signWebhook(SECRET, noHead));
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: 'malformed pull_request payload: `pull_request.head.sha` must be a string' });
  const notJson = '{"action": ';
  const res2 = await post(url, notJson, signWebhook(SECRET, notJson));
  assert.equal(res2.status, 400);
  assert.deepEqual(await res2.json(), { error: 'payload is not valid JSON' });
  // Events keyref does not handle pass with any object.
  const ping = JSON.stringify({ zen: 'x' });
  assert.equal((await post(url, ping, signWebhook(SECRET, ping), 'ping')).status, 200);
  assert.deepEqual(passed, [ping]);
});

test('unverified bodies share a byte budget: over it, requests wait unread; a full waiting room is answered 503', async () => {
  const { server, url, port, passed } = await serve({ maxUnverifiedBytes: 1_000, maxWaiting: 0 });
  const body = JSON.stringify({ action: 'opened', pad: 'x'.repeat(2_000) });
  // The first request is admitted (budget idle) and holds the budget while its body trickles in.
  const slow = request({ host: '127.0.0.1', port, path: PATH, method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'slow', 'x-hub-signature-256': signWebhook(SECRET, body), 'content-length': Buffer.byteLength(body) } });
  const slowDone = new Promise<number>((resolve, reject) => {
    slow.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    slow.on('error', reject);
  });
  const admitted = new Promise((r) => server.once('request', r)); // after the guard's listener: the budget is taken
  slow.write(body.slice(0, 10));
  await admitted;
  const second = await post(url, body, signWebhook(SECRET, body), 'ping');
  assert.equal(second.status, 503);
  assert.equal(second.headers.get('retry-after'), '5');
  slow.end(body.slice(10));
  assert.equal(await slowDone, 200);
  assert.deepEqual(passed, [body]);
});
