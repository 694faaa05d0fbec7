/**
 * End to end with GHE_HOST set: the real app behind the runtime entry point, a signed webhook over HTTP on
 * loopback, and every GitHub request on the stand-in's Enterprise Server layout (/api/v3, /api/graphql).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { deliverWebhook, filesFromDir, startStandin, throwawayPrivateKey } from '../../src/standin/index.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('GHE_HOST: the app served by the runtime reviews a pull request through /api/v3 and /api/graphql only', { timeout: 90_000 }, async () => {
  const standin = await startStandin({ layouts: ['ghes'] });
  const fixture = (side: string) => fileURLToPath(new URL(`../../fixtures/demo-pr/${side}`, import.meta.url));
  const repo = standin.createRepo('acme', 'shop', { installationId: 1 });
  const base = repo.commit(filesFromDir(fixture('base')));
  const head = repo.commit(filesFromDir(fixture('head')), { branch: 'feature' });
  repo.openPullRequest({ base, head, number: 7, headRef: 'feature' });

  const port = await freePort();
  const secret = 'ghes-e2e-webhook-secret';
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/keyref-server.ts', import.meta.url))], {
    env: {
      PATH: process.env.PATH ?? '',
      ...standin.runtimeEnv({ privateKey: throwawayPrivateKey(), webhookSecret: secret, port }),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 45_000;
    while (!out.includes('listening')) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `server did not start:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const delivery = await deliverWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, secret, repo.pullRequestEvent(7, 'opened'));
    assert.ok(delivery.status >= 200 && delivery.status < 300, `delivery acknowledged (${delivery.status})`);

    let run = repo.checkRuns.find((c) => c.head_sha === head);
    while (run?.status !== 'completed') {
      assert.ok(Date.now() < deadline + 30_000, `check run not completed (${run?.status ?? 'none'}):\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
      run = repo.checkRuns.find((c) => c.head_sha === head);
    }
    assert.equal(run.name, 'keyref');
    assert.ok(run.conclusion, 'has a conclusion');
    assert.ok(standin.requests.length > 0);
    assert.deepEqual([...new Set(standin.requests.map((r) => r.layout))], ['ghes'], 'every request on the GHES layout');
    assert.ok(standin.requests.some((r) => r.path === '/graphql'), 'GraphQL went to /api/graphql');

    child.kill('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    child.kill('SIGKILL');
    await standin.close();
  }
});
