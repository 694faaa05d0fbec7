/**
 * No webhook payload is ever logged, even at LOG_LEVEL=debug: Probot's `receive` logs the whole event
 * ("Webhook received", `{ event }`), payload included. keyref's loggers keep the delivery id and the event
 * name of it. Delivered both ways the app receives events: Probot's `receive` (the Action) and Probot's
 * HTTP middleware (the App's server), with the production logger (createLog).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sign } from '@octokit/webhooks-methods';
import { createNodeMiddleware, Probot } from 'probot';
import { createKeyrefApp } from '../../src/app/index.js';
import { KeyrefOctokit } from '../../src/app/octokit.js';
import type { ReviewJob } from '../../src/app/queue/types.js';
import { createLog } from '../../src/app/runtime/log.js';
import { eventLogField } from '../../src/app/runtime/log-serializers.js';
import { LogCapture, pullRequestPayload, testPrivateKey } from '../app/helpers.js';

const MARKERS = ['Title-Marker-p8Qz', 'Body-Marker-x3Wv', 'Login-Marker-k5Tn', 'Description-Marker-r2Js'];

function plantedPayload(): Record<string, any> {
  const payload = pullRequestPayload('opened');
  payload.pull_request.title = `Add ${MARKERS[0]}`;
  payload.pull_request.body = `Adds the thing. ${MARKERS[1]}`;
  payload.sender.login = MARKERS[2];
  payload.repository.description = MARKERS[3];
  return payload;
}

const flush = () => new Promise((r) => setTimeout(r, 50));

test('at LOG_LEVEL=debug a delivery is logged by id and event name, never with its payload', async () => {
  const logs = new LogCapture();
  const log = await createLog({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, logs);
  const secret = 'webhook-log-test-secret';
  const probot = new Probot({ appId: 123, privateKey: testPrivateKey(), secret, Octokit: KeyrefOctokit, log });
  const jobs: ReviewJob[] = [];
  // A queue that only records: the review itself (GitHub requests, covered by test/app/leak.test.ts) does not run.
  const queue = () => ({ async enqueue(job: ReviewJob) { jobs.push(job); }, async close() {} });
  const middleware = await createNodeMiddleware(createKeyrefApp({ appId: 123, queue }), { probot, webhooksPath: '/api/github/webhooks' });

  // 1. Probot's receive (how the Action hands the runner's event to the app).
  await probot.receive({ id: 'delivery-receive-1', name: 'pull_request', payload: plantedPayload() as any });
  // 2. Probot's HTTP middleware (how the App's server receives a signed delivery).
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const body = JSON.stringify(plantedPayload());
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'delivery-http-2', 'x-hub-signature-256': await sign(secret, body) },
      body,
    });
    assert.equal(res.status, 200);
  } finally {
    await new Promise((r) => server.close(r));
  }
  await flush();

  assert.equal(jobs.length, 2, 'both deliveries reached the app');
  const text = logs.lines.join('\n');
  const received = logs.lines.find((l) => l.includes('Webhook received'));
  assert.ok(received, 'the "Webhook received" debug line is still written');
  assert.deepEqual(JSON.parse(received!).event, { id: 'delivery-receive-1', name: 'pull_request' });
  assert.ok(text.includes('delivery-http-2'), 'the HTTP delivery is logged by its id');
  for (const marker of MARKERS) assert.ok(!text.includes(marker), `payload content (${marker}) in the log:\n${logs.lines.find((l) => l.includes(marker))?.slice(0, 300)}`);
  assert.ok(!text.includes('"payload"'), 'no payload field in any log line');
});

test('the event log field keeps an id and a name, never anything else', () => {
  assert.deepEqual(eventLogField({ id: 'x', name: 'push', payload: { commits: [{ message: 'secret plan' }] } }), { id: 'x', name: 'push' });
  assert.equal(eventLogField('pull_request.opened'), 'pull_request.opened');
  assert.deepEqual(eventLogField({ payload: {} }), {});
  assert.equal(eventLogField(undefined), undefined);
});
