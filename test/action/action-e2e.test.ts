/**
 * The GitHub Action end to end: the committed bundle (dist-action/index.mjs, what action.yml runs) as a
 * child process with the environment a runner sets (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, INPUT_TOKEN,
 * GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_API_URL, GITHUB_GRAPHQL_URL, GITHUB_STEP_SUMMARY, …), against
 * the GitHub stand-in (src/standin) on loopback, in the github.com and the GHES layouts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startStandin, type Standin, type StandinRepo } from '../../src/standin/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'dist-action/index.mjs');
const fixture = (side: string): string => join(root, 'fixtures/demo-pr', side);
const SECRET_VALUE = 'demo-only-Xq7vR2pLm9TzK4wB';

interface RunResult {
  code: number;
  stdout: string;
  summary: string;
}

/** Runs the bundle as the runner would: a fresh process, only the runner's variables. */
function runAction(dir: string, event: { name: string; payload: Record<string, unknown> }, env: Record<string, string>): Promise<RunResult> {
  const eventPath = join(dir, 'event.json');
  const summaryPath = join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  // Actions payloads carry no installation (an App's webhooks do).
  const { installation: _installation, ...payload } = event.payload;
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(summaryPath, '');
  const runnerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'f'.repeat(40), // the merge commit on pull_request events; keyref reviews the head (payload)
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: dir,
    INPUT_TOKEN: 'ghs_actionTokenForTheStandin',
    'INPUT_READ-ONLY': 'false',
    ...env,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [bundle], { env: runnerEnv, cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: `${stdout}${stderr}`, summary: readFileSync(summaryPath, 'utf8') });
    });
  });
}

function assertNoSecret(standin: Standin, outputs: string[]): void {
  const b64 = Buffer.from(SECRET_VALUE).toString('base64');
  for (const r of standin.requests) {
    const body = JSON.stringify(r.body ?? '');
    assert.ok(!body.includes(SECRET_VALUE) && !body.includes(b64), `${r.method} ${r.path} carries the secret value`);
  }
  for (const text of outputs) assert.ok(!text.includes(SECRET_VALUE) && !text.includes(b64), 'the job log or summary carries the secret value');
}

for (const ghes of [false, true]) {
  describe(`the Action on a pull request (${ghes ? 'GHES' : 'github.com'} layout)`, () => {
    let standin: Standin;
    let repo: StandinRepo;
    let dir: string;
    let base: string;
    let head: string;
    let env: Record<string, string>;
    before(async () => {
      standin = await startStandin({ layouts: [ghes ? 'ghes' : 'dotcom'] });
      repo = standin.createRepo('acme', 'shop');
      base = repo.commit(fixture('base'));
      head = repo.commit(fixture('head'), { branch: 'worker-db' });
      repo.openPullRequest({ base, head, number: 42, headRef: 'worker-db' });
      dir = mkdtempSync(join(tmpdir(), 'keyref-action-'));
      env = ghes
        ? { GITHUB_API_URL: standin.ghesUrl, GITHUB_GRAPHQL_URL: `${standin.url}/api/graphql`, GITHUB_SERVER_URL: standin.url }
        : { GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql`, GITHUB_SERVER_URL: 'https://github.com' };
    });
    after(async () => {
      await standin?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('posts the keyref check run and an inline review, and fails the step', async () => {
      const result = await runAction(dir, repo.pullRequestEvent(42, 'opened'), env);
      assert.equal(result.code, 1, result.stdout);
      const runs = repo.checkRuns.filter((c) => c.head_sha === head && c.name === 'keyref');
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.status, 'completed');
      assert.equal(runs[0]!.conclusion, 'failure');
      const at = runs[0]!.annotations.map((a) => `${a.path}:${a.start_line} ${a.title}`);
      assert.ok(at.includes('deploy/worker.yaml:29 missing-key'), at.join('\n'));
      const comments = repo.reviewComments(42);
      assert.ok(comments.some((c) => c.path === 'deploy/worker.yaml' && c.line === 29 && c.body.includes('keyref:fingerprint=')));
      assert.match(result.summary, /^## keyref: /);
      // The check run carries the annotations: the job log does not repeat them.
      assert.ok(!result.stdout.includes('::error file='), result.stdout);
      assert.ok(standin.requests.every((r) => r.layout === (ghes ? 'ghes' : 'dotcom')));
      assertNoSecret(standin, [result.stdout, result.summary]);
    });

    it('a second run on the same commit adds no check run and no comment', async () => {
      const before = repo.reviewComments(42).length;
      const result = await runAction(dir, repo.pullRequestEvent(42, 'synchronize'), env);
      assert.equal(result.code, 1, result.stdout);
      assert.equal(repo.checkRuns.filter((c) => c.head_sha === head && c.name === 'keyref').length, 1);
      assert.equal(repo.reviewComments(42).length, before);
    });

    it('after a fix is pushed: success, and the outdated comment is minimized', async () => {
      const fixed = repo.commit(fixture('base'), { branch: 'worker-db' });
      repo.openPullRequest({ base, head: fixed, number: 42 });
      const result = await runAction(dir, repo.pullRequestEvent(42, 'synchronize'), env);
      assert.equal(result.code, 0, result.stdout);
      const run = repo.checkRuns.find((c) => c.head_sha === fixed && c.name === 'keyref');
      assert.equal(run?.conclusion, 'success');
      const comments = repo.reviewComments(42);
      assert.ok(comments.length > 0 && comments.every((c) => c.minimized), 'the outdated comment is minimized');
    });
  });
}

describe('the Action with a read-only token (a pull request from a fork)', () => {
  let standin: Standin;
  let dir: string;
  after(async () => {
    await standin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GitHub refuses the writes: annotations and the job summary instead, and the step still fails', async () => {
    standin = await startStandin({ layouts: ['dotcom'] });
    const repo = standin.createRepo('acme', 'shop');
    const base = repo.commit(fixture('base'));
    const head = repo.commit(fixture('head'), { branch: 'worker-db' });
    repo.openPullRequest({ base, head, number: 7, headRef: 'worker-db' });
    // What GitHub answers a read-only GITHUB_TOKEN that tries to write.
    const refusal = { status: 403, body: { message: 'Resource not accessible by integration' }, times: Infinity };
    standin.fault({ match: /^(POST|PATCH|PUT|DELETE) \/repos\//, ...refusal });
    dir = mkdtempSync(join(tmpdir(), 'keyref-action-'));
    const env = { GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql` };
    const result = await runAction(dir, repo.pullRequestEvent(7, 'opened'), env);
    assert.equal(result.code, 1, result.stdout);
    assert.equal(repo.checkRuns.length, 0);
    assert.match(result.stdout, /^::error file=deploy\/worker\.yaml,line=29,endLine=29,title=missing-key::/m);
    assert.match(result.stdout, /refused/);
    assert.match(result.summary, /^## keyref: /);
    // Only the check-run creation was tried: after the first refusal nothing more is sent.
    const writes = standin.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
    assert.equal(writes.length, 1, writes.map((r) => `${r.method} ${r.path}`).join('\n'));
    assertNoSecret(standin, [result.stdout, result.summary]);
  });

  it('a pull request from a fork is known to be read-only: no write is tried', async () => {
    const repo = standin.createRepo('acme', 'fork-target');
    const base = repo.commit(fixture('base'));
    const head = repo.commit(fixture('head'), { branch: 'worker-db' });
    repo.openPullRequest({ base, head, number: 3, headRef: 'worker-db', headOwner: 'contributor' });
    const before = standin.requests.length;
    const env = { GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql`, GITHUB_REPOSITORY: 'acme/fork-target' };
    const result = await runAction(dir, repo.pullRequestEvent(3, 'opened'), env);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /::error file=deploy\/worker\.yaml/);
    const writes = standin.requests.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/graphql');
    assert.deepEqual(writes, []);
  });
});

describe('the Action on a merge queue', () => {
  it('merge_group.checks_requested: the check run on the group head, no review', async () => {
    const standin = await startStandin({ layouts: ['dotcom'] });
    const dir = mkdtempSync(join(tmpdir(), 'keyref-action-'));
    try {
      const repo = standin.createRepo('acme', 'shop');
      const base = repo.commit(fixture('base'));
      const head = repo.commit(fixture('head'), { branch: 'gh-readonly-queue/main/pr-42' });
      const payload = {
        action: 'checks_requested',
        merge_group: { head_sha: head, head_ref: 'refs/heads/gh-readonly-queue/main/pr-42', base_sha: base, base_ref: 'refs/heads/main' },
        repository: repo.json(standin.url),
        sender: { login: 'octocat', type: 'User' },
      };
      const result = await runAction(dir, { name: 'merge_group', payload }, { GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql` });
      assert.equal(result.code, 1, result.stdout);
      const run = repo.checkRuns.find((c) => c.head_sha === head);
      assert.equal(run?.conclusion, 'failure');
      assert.equal(standin.requests.filter((r) => /\/reviews$/.test(r.path) && r.method === 'POST').length, 0);
    } finally {
      await standin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an event keyref does not review fails the step with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyref-action-'));
    try {
      const result = await runAction(dir, { name: 'push', payload: { ref: 'refs/heads/main' } }, { GITHUB_API_URL: 'http://127.0.0.1:9' });
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^::error::keyref reviews `pull_request`, `pull_request_target` and `merge_group` events, not `push`\./m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('dist-action/index.mjs is the bundle of the current sources (npm run build:action)', async () => {
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [join(root, 'scripts/build-action.mjs'), '--check'], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, out: `${stdout}${stderr}` }),
    );
  });
  assert.equal(result.code, 0, result.out);
});
