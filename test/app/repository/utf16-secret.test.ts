/**
 * A UTF-16 Secret (a Windows editor's manifest, with its byte order mark) is applied by kubectl, so the
 * App must review it like any other: GitHub calls it binary (NUL bytes), the reader re-reads its bytes
 * and decodes them as the CLI does. Through the whole app, against the stand-in's real payload shapes.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createKeyrefApp } from '../../../src/app/index.js';
import { inlineEngine } from '../../../src/app/jobs/engine.js';
import { readTrees } from '../../../src/app/repository/index.js';
import { startAppHarness, type AppHarness } from '../../../src/standin/app-harness.js';
import { startStandin, type Standin } from '../../../src/standin/index.js';
import { octokitFor } from './helpers.js';

delete process.env.REDIS_URL;

const PASSWORD = 'Utf16-Canary-pW7qZ3xK9mL2';
const SECRET = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${PASSWORD}\n`;

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

let standin: Standin | undefined;
let harness: AppHarness | undefined;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await harness?.close();
  await standin?.close();
});

test('a UTF-16 Secret (LE and BE, with BOM) has its plaintext value reported in the review, never quoted', async () => {
  standin = await startStandin();
  const repo = standin.createRepo('acme', 'windows');
  const base = repo.commit({ 'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n' });
  const head = repo.commit(
    {
      'deploy/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n',
      'deploy/db-secret.yaml': utf16(SECRET, 'le'),
      'deploy/db-secret-be.yaml': utf16(SECRET.replace('name: db', 'name: db-be'), 'be'),
      // Truly binary, of even size: re-read, then still skipped as binary.
      'deploy/blob.yaml': Buffer.from([0x00, 0x01, 0x02, 0x03]),
    },
    { branch: 'windows' },
  );
  repo.openPullRequest({ base, head, number: 1, headRef: 'windows' });

  harness = await startAppHarness({
    standin,
    throttle: false,
    logLevel: 'fatal',
    appFn: createKeyrefApp({ appId: standin.options.appId, engine: inlineEngine, onQueue: (q) => void cleanups.push(() => q.close()) }),
  });
  assert.equal((await harness.deliver(repo.pullRequestEvent(1, 'opened'))).status, 200);
  const run = await harness.waitForCheckRun(repo, head, { timeoutMs: 60_000 });

  const flagged = run.annotations.filter((a) => String(a.title ?? '').includes('plaintext-secret') || String(a.message ?? '').toLowerCase().includes('plaintext'));
  const paths = new Set(flagged.map((a) => a.path));
  assert.ok(paths.has('deploy/db-secret.yaml'), `UTF-16LE Secret reported: ${JSON.stringify(run.annotations.map((a) => [a.path, a.title]))}`);
  assert.ok(paths.has('deploy/db-secret-be.yaml'), 'UTF-16BE Secret reported');
  // Never echoed: not in the check run, not in any request the app sent.
  const sent = JSON.stringify(standin.requests.map((r) => r.body));
  assert.ok(!JSON.stringify(run).includes(PASSWORD.slice(-10)), 'the check run quotes the value');
  assert.ok(!sent.includes(PASSWORD.slice(-10)) && !sent.includes(Buffer.from(PASSWORD).toString('base64').slice(0, 16)), 'a request quotes the value');
});

test('the reader decodes UTF-16 blobs GitHub calls binary, within a bound of re-reads per review', async () => {
  standin ??= await startStandin();
  const repo = standin.createRepo('acme', 'reader');
  const files: Record<string, Buffer | string> = { 'a/secret.yaml': utf16(SECRET, 'le'), 'a/odd.yaml': Buffer.from([0, 1, 2]) };
  for (let i = 0; i < 30; i++) files[`bin/b${i}.yaml`] = Buffer.from([0, i, 0, i]);
  const sha = repo.commit(files);
  const read = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'reader', baseSha: sha, headSha: sha });
  assert.deepEqual(read.head.map((f) => f.path), ['a/secret.yaml']);
  assert.equal(read.head[0]!.text, SECRET);
  assert.match(read.notes.join('\n'), /skipped 31 binary file\(s\)/);
  // One listing, one GraphQL batch, and at most 20 re-reads (the UTF-16 file among them).
  assert.ok(read.requestCount <= 2 + 20, `${read.requestCount} requests`);
});
