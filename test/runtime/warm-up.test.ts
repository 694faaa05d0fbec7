import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { warmHttpClient } from '../../src/app/runtime/warm-up.js';

test('the HTTP client is warmed by one request to the app\'s own /healthz, and a server that does not answer is no error', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await warmHttpClient(server);
    assert.deepEqual(seen, ['GET /healthz']);
  } finally {
    await new Promise((r) => server.close(r));
  }
  // Not listening (address() is null): nothing to do.
  await warmHttpClient(server);
  assert.equal(seen.length, 1);
});
