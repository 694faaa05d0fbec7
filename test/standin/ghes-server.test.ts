import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { deliverWebhook, startStandin, throwawayPrivateKey, type Standin } from '../../src/standin/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (side: string): string => `${root}fixtures/demo-pr/${side}`;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('production entry point against a GitHub Enterprise Server stand-in (GHE_HOST)', () => {
  let standin: Standin | undefined;
  let child: ChildProcess | undefined;
  const output: string[] = [];
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    await standin?.close();
  });

  it('reviews a signed webhook over HTTP using only /api/v3 and /api/graphql, then stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    standin = await startStandin({ layouts: ['ghes'] });
    const repo = standin.createRepo('acme', 'shop');
    const base = repo.commit(fixture('base'));
    const head = repo.commit(fixture('head'), { branch: 'worker-db' });
    repo.openPullRequest({ base, head, number: 7, headRef: 'worker-db' });

    const port = await freePort();
    const secret = 'ghes-e2e-secret';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/app/runtime/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...standin.runtimeEnv({ privateKey: throwawayPrivateKey(), webhookSecret: secret, port }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));

    const deadline = Date.now() + 45_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) break;
      assert.ok(child.exitCode === null, `the server exited early:\n${output.join('')}`);
      assert.ok(Date.now() < deadline, `the server did not become ready:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const delivery = await deliverWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, secret, repo.pullRequestEvent(7, 'opened'));
    assert.equal(delivery.status, 200);
    for (;;) {
      const run = repo.checkRuns.find((c) => c.head_sha === head);
      if (run?.status === 'completed') {
        assert.equal(run.conclusion, 'failure');
        break;
      }
      assert.ok(Date.now() < deadline, `no completed check run; last status ${run?.status}:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(standin.requests.length > 0);
    assert.deepEqual(standin.requests.filter((r) => r.layout !== 'ghes' || r.status === 404 && !r.path.includes('/contents/')), []);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
    assert.equal(code, 0, output.join(''));
    assert.ok(!output.join('').includes('demo-only-Xq7vR2pLm9TzK4wB'), 'the secret value appears in the logs');
  });
});
