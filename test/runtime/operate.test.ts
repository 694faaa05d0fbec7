/** Operating the App: start-up errors, JSON logs without duplicate keys, /metrics, and `npm start` passing SIGTERM on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import YAML from 'yaml';
import { createMemoryQueue } from '../../src/app/queue/memory.js';
import { createLog, dedupeJsonLine } from '../../src/app/runtime/log.js';
import { collectProcessMetrics, githubRequestMetrics, registry, withQueueMetrics } from '../../src/app/runtime/metrics.js';
import { startupProblem } from '../../src/app/runtime/startup.js';
import { assertAllRequestsExpected } from '../app/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const body = privateKey.split('\n')[1]!;

/** Throws on a repeated key at any depth (JSON is YAML; `yaml` refuses duplicate keys). */
function assertUniqueKeys(line: string): void {
  assert.doesNotThrow(() => YAML.parse(line, { uniqueKeys: true }), `duplicate key in ${line.slice(0, 200)}`);
}

test('start-up problems are one line each and never quote the key', () => {
  const prod = { NODE_ENV: 'production', WEBHOOK_SECRET: 's' };
  const cwd = mkdtempSync(join(tmpdir(), 'keyref-startup-'));
  try {
    assert.match(startupProblem({ ...prod, PRIVATE_KEY: privateKey }, cwd) ?? '', /^APP_ID is not set: /);
    assert.match(startupProblem({ ...prod, APP_ID: 'my-app', PRIVATE_KEY: privateKey }, cwd) ?? '', /^APP_ID must be the GitHub App's numeric id/);
    assert.match(startupProblem({ ...prod, APP_ID: '12' }, cwd) ?? '', /^no private key: set PRIVATE_KEY or PRIVATE_KEY_PATH/);
    assert.match(startupProblem({ ...prod, APP_ID: '12', PRIVATE_KEY: `x${body}x` }, cwd) ?? '', /^PRIVATE_KEY is not a PEM private key/);
    const broken = privateKey.replace(body, body.split('').reverse().join(''));
    const brokenMessage = startupProblem({ ...prod, APP_ID: '12', PRIVATE_KEY: broken }, cwd) ?? '';
    assert.match(brokenMessage, /^the private key in PRIVATE_KEY cannot be read as a PEM private key/);
    assert.match(startupProblem({ ...prod, APP_ID: '12', PRIVATE_KEY_PATH: join(cwd, 'nope.pem') }, cwd) ?? '', /^PRIVATE_KEY_PATH names a file that does not exist/);
    assert.match(startupProblem({ NODE_ENV: 'production', APP_ID: '12', PRIVATE_KEY: privateKey }, cwd) ?? '', /^WEBHOOK_SECRET is not set/);
    assert.equal(startupProblem({ ...prod, APP_ID: '12', PRIVATE_KEY: privateKey }, cwd), undefined);
    // Outside production, no credentials at all means Probot's setup flow: not a problem.
    assert.equal(startupProblem({}, cwd), undefined);
    // …but a credential that is set must be right (no silent fall back into setup mode).
    assert.match(startupProblem({ APP_ID: '12', PRIVATE_KEY: 'nonsense' }, cwd) ?? '', /^PRIVATE_KEY is not a PEM private key/);
    for (const env of [{ APP_ID: '12', PRIVATE_KEY: broken }, { APP_ID: '12', PRIVATE_KEY: `x${body}x` }]) {
      const message = startupProblem({ ...prod, ...env }, cwd) ?? '';
      assert.ok(!message.includes(body.slice(0, 20)) && !message.includes('\n'), message);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('the production entry point with a bad key or no APP_ID: one line on stderr, exit 1', { timeout: 60_000 }, async () => {
  const main = join(root, 'src/app/runtime/main.ts');
  const cwd = mkdtempSync(join(tmpdir(), 'keyref-main-'));
  try {
    for (const [env, expected] of [
      [{ PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 's' }, /^keyref: APP_ID is not set: /],
      [{ APP_ID: '12', PRIVATE_KEY: `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`, WEBHOOK_SECRET: 's' }, /^keyref: the private key in PRIVATE_KEY cannot be read/],
    ] as const) {
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main], { cwd, env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1, stderr);
      assert.equal(stdout, '');
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
      assert.match(stderr, expected);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('JSON logs: each key once, the most specific name kept', async () => {
  assert.equal(dedupeJsonLine('{"level":30,"name":"probot","name":"octokit","msg":"x"}'), '{"level":30,"name":"octokit","msg":"x"}');
  assert.equal(dedupeJsonLine('not json'), 'not json');
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const log = await createLog({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' }, out);
  // The chain Probot builds (probot -> github) plus ours.
  log.child({ name: 'probot' }).child({ name: 'github' }).child({ name: 'keyref-runtime', component: 'x' }).info({ n: 1 }, 'hello');
  await new Promise((r) => setTimeout(r, 50));
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 1);
  assertUniqueKeys(lines[0]!);
  const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(parsed.name, 'keyref-runtime');
  assert.equal(parsed.msg, 'hello');
});

test('metrics: GitHub requests by kind and status, rate limit left, reviews by conclusion, queue depth and timings', async () => {
  nock.disableNetConnect();
  try {
    collectProcessMetrics();
    const api = 'http://github.metrics.test';
    nock(api)
      .get('/repos/o/r')
      .reply(200, {}, { 'x-ratelimit-remaining': '4321', 'x-ratelimit-resource': 'core' })
      .patch('/repos/o/r/check-runs/5')
      .reply(200, { id: 5 })
      .post('/graphql')
      .reply(200, { data: {} }, { 'x-ratelimit-remaining': '4000', 'x-ratelimit-resource': 'graphql' })
      .get('/repos/o/missing')
      .reply(404, { message: 'Not Found' });
    const octokit = new (Octokit.plugin(githubRequestMetrics))({ baseUrl: api, request: { retries: 0 } });
    await octokit.rest.repos.get({ owner: 'o', repo: 'r' });
    await octokit.rest.checks.update({ owner: 'o', repo: 'r', check_run_id: 5, status: 'completed', conclusion: 'failure' });
    await octokit.graphql('query { viewer { login } }');
    await assert.rejects(octokit.rest.repos.get({ owner: 'o', repo: 'missing' }));
    assertAllRequestsExpected();

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = withQueueMetrics(createMemoryQueue)({ handler: () => gate, concurrency: 1 });
    await queue.enqueue({ id: 'a', coalesceKey: 'o/r#1', headSha: 'a'.repeat(40), data: {} });
    await queue.enqueue({ id: 'b', coalesceKey: 'o/r#2', headSha: 'b'.repeat(40), data: {} });
    await new Promise((r) => setTimeout(r, 20));
    const during = await registry.metrics();
    assert.match(during, /^keyref_queue_depth\{state="running"\} 1$/m);
    assert.match(during, /^keyref_queue_depth\{state="queued"\} 1$/m);
    release();
    for (let i = 0; i < 200 && !/^keyref_review_duration_seconds_count 2$/m.test(await registry.metrics()); i++) await new Promise((r) => setTimeout(r, 10));
    await queue.close();

    const text = await registry.metrics();
    assert.match(text, /^keyref_github_requests_total\{kind="rest",method="GET",status="200"\} 1$/m);
    assert.match(text, /^keyref_github_requests_total\{kind="rest",method="GET",status="404"\} 1$/m);
    assert.match(text, /^keyref_github_requests_total\{kind="graphql",method="POST",status="200"\} 1$/m);
    assert.match(text, /^keyref_github_rate_limit_remaining\{resource="core"\} 4321$/m);
    assert.match(text, /^keyref_github_rate_limit_remaining\{resource="graphql"\} 4000$/m);
    assert.match(text, /^keyref_reviews_total\{outcome="failure"\} 1$/m);
    assert.match(text, /^keyref_queue_depth\{state="queued"\} 0$/m);
    assert.match(text, /^keyref_queue_depth\{state="running"\} 0$/m);
    assert.match(text, /^keyref_queue_wait_seconds_count 2$/m);
    assert.match(text, /^keyref_review_duration_seconds_count 2$/m);
    assert.match(text, /^process_cpu_seconds_total /m);
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
});

test('`npm start` passes SIGTERM to the app (no shell left in between to orphan it)', { timeout: 60_000 }, async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const entry = 'dist/app/runtime/main.js';
  assert.ok(pkg.scripts.start!.includes(entry));
  const dir = mkdtempSync(join(tmpdir(), 'keyref-npm-start-'));
  try {
    // The same script, with a stand-in for the app that reports SIGTERM and exits 0.
    writeFileSync(join(dir, 'app.mjs'), "process.on('SIGTERM', () => { console.log('app got SIGTERM'); process.exit(0); });\nconsole.log('app ready ' + process.pid);\nsetInterval(() => {}, 1000);\n");
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'start-check', private: true, scripts: { start: pkg.scripts.start!.replace(entry, 'app.mjs') } }));
    const npm = spawn('npm', ['start', '--silent'], { cwd: dir, env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/app ready (\d+)/.test(out)) {
      if (Date.now() > deadline) throw new Error(`app did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const appPid = Number(/app ready (\d+)/.exec(out)![1]);
    npm.kill('SIGTERM');
    await exited;
    for (let i = 0; i < 100 && !out.includes('app got SIGTERM'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.match(out, /app got SIGTERM/);
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(appPid, 0);
        await new Promise((r) => setTimeout(r, 25));
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the app process is gone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
