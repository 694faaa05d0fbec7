import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sign } from '@octokit/webhooks-methods';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the runtime serves health endpoints next to webhooks and drains on SIGTERM', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const secret = 'test-webhook-secret-value';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const fixture = fileURLToPath(new URL('./fixtures/app-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      KEYREF_SHUTDOWN_DELAY_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(() => out.includes('listening'), 30_000, 'server listening');
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);

    const body = JSON.stringify({
      action: 'opened',
      installation: { id: 1 },
      repository: { name: 'r', owner: { login: 'o' } },
      pull_request: { number: 1, state: 'open', head: { sha: 'a'.repeat(40) }, base: { sha: 'b'.repeat(40) } },
    });
    const post = (signature: string) =>
      fetch(`${base}/api/github/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': signature },
        body,
      });
    assert.equal((await post(await sign(secret, body))).status, 200);
    await waitFor(() => out.includes('webhook handled'), 5_000, 'webhook handled');
    const bad = await post(await sign('wrong-secret', body));
    assert.ok(bad.status >= 400 && bad.status < 500, `bad signature rejected (${bad.status})`);

    // Oversized bodies are refused from the headers alone (Probot would buffer them); no Content-Length: 411.
    const rawPost = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers: { 'content-type': 'application/json', ...headers } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
        if (headers['transfer-encoding']) req.write('{"a":');
      });
    assert.equal(await rawPost({ 'content-length': String(25 * 1024 * 1024 + 1) }), 413);
    assert.equal(await rawPost({ 'transfer-encoding': 'chunked' }), 411);
    // A client that uploads the whole oversized body still reads the answer (no reset under it).
    for (let i = 0; i < 3; i++) {
      const big = await fetch(`${base}/api/github/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': crypto.randomUUID(), 'x-hub-signature-256': 'sha256=0' },
        body: Buffer.alloc(25 * 1024 * 1024 + 1024, 0x20),
      });
      assert.equal(big.status, 413);
      await big.text();
    }
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still healthy');

    child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 503, 2_000, 'unready');
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'alive during the shutdown delay');
    assert.equal(await exit, 0);
    assert.match(out, /review queue drained/);
    assert.match(out, /stopped taking webhooks/);
    assert.ok(out.indexOf('stopped taking webhooks') < out.indexOf('review queue drained'), 'webhooks stop before the queue drains');
    assert.ok(!out.includes(secret) && !out.includes('PRIVATE KEY'), 'no credentials in the logs');
  } finally {
    child.kill('SIGKILL');
  }
});
