import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthHandler, isShuttingDown, markReady, onShutdown, shutdown } from '../../src/app/runtime/index.js';
import { resetLifecycleForTests } from '../../src/app/runtime/lifecycle.js';

afterEach(() => resetLifecycleForTests());

async function withServer(fn: (base: string) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    if (!healthHandler(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

test('/healthz is always 200; /readyz is 503 while starting, 200 when ready, 503 while shutting down', async () => {
  await withServer(async (base) => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const starting = await fetch(`${base}/readyz`);
    assert.equal(starting.status, 503);
    assert.deepEqual(await starting.json(), { status: 'starting' });
    markReady();
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const done = shutdown({ delayMs: 200 });
    const stopping = await fetch(`${base}/readyz?probe=1`);
    assert.equal(stopping.status, 503);
    assert.deepEqual(await stopping.json(), { status: 'shutting down' });
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still alive while draining');
    assert.equal(await done, true);
    assert.equal((await fetch(`${base}/other`)).status, 404, 'other paths fall through');
    assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 404);
  });
});

test('shutdown: server stops first, then hooks run in order (errors do not stop the others)', async () => {
  const order: string[] = [];
  onShutdown(async () => {
    await new Promise((r) => setTimeout(r, 50));
    order.push('queue closed');
  }, 'review queue');
  onShutdown(() => {
    throw new Error('boom');
  });
  const unregister = onShutdown(() => order.push('never'));
  unregister();
  onShutdown(() => order.push('last'));
  const finished = await shutdown({ stopServer: async () => void order.push('server stopped') });
  assert.equal(finished, true);
  assert.ok(isShuttingDown());
  assert.deepEqual(order, ['server stopped', 'queue closed', 'last']);
  assert.equal(await shutdown(), true, 'idempotent');
});

test('shutdown resolves false when hooks outlive the timeout', async () => {
  onShutdown(() => new Promise((r) => setTimeout(r, 1_000)));
  assert.equal(await shutdown({ timeoutMs: 100 }), false);
});

test('without the runtime entry point, SIGTERM still runs the shutdown hooks and exits 0', { timeout: 30_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/fallback.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 20_000;
  while (!out.includes('ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  assert.equal(await exit, 0);
  assert.match(out, /hook ran/);
});
