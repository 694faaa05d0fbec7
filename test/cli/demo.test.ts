import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

interface JsonFinding {
  ruleId: string;
  severity: string;
  path: string;
  line: number;
}

test('examples/demo: the README\'s first scan shows a spread of rules at exact lines', async () => {
  const r = await cli(['scan', 'examples/demo', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const findings = JSON.parse(r.stdout).findings as JsonFinding[];
  assert.deepEqual(
    findings.map((f) => `${f.path}:${f.line} ${f.severity} ${f.ruleId}`),
    [
      'apps/web/deployment.yaml:29 error missing-key',
      'apps/web/deployment.yaml:48 warning unresolved-reference',
      'apps/worker/cronjob.yaml:25 error wrong-kind',
      'apps/worker/secret.yaml:9 error plaintext-secret',
      'base/configmap.yaml:11 error credential-in-configmap',
    ],
  );
  // Never repeat the (fake) secret values.
  for (const value of ['demo-only-7hQ2xV9kLm4pRw8T', 'demo-only-Pq4zW8mNc2Lx']) {
    assert.ok(!r.stdout.includes(value), 'no secret value in the report');
    assert.ok(!r.stdout.includes(Buffer.from(value).toString('base64')), 'nor its base64');
  }
  const text = await cli(['scan', 'examples/demo']);
  assert.match(text.stdout, /\n4 errors, 1 warning, 0 notices in \d+ files \(5 objects, 1 suppressed\)\n$/);
});

test('the process entry point: exit code and output of a real process (tsx, and bin/keyref.js when dist is built)', (t) => {
  const viaTsx = spawnSync(process.execPath, ['--import', 'tsx', 'test/cli/entry.ts', 'scan', 'fixtures/cli/broken'], { encoding: 'utf8' });
  assert.equal(viaTsx.stderr, '');
  assert.equal(viaTsx.status, 1);
  assert.match(viaTsx.stdout, /^deployment\.yaml:21  error/);

  if (!existsSync('dist/cli-bundle/main.js')) {
    t.diagnostic('dist/ not built: bin/keyref.js not spawned');
    return;
  }
  const bin = spawnSync(process.execPath, ['bin/keyref.js', 'scan', 'fixtures/cli/broken', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(bin.status, 1, bin.stderr);
  assert.equal(JSON.parse(bin.stdout).findings.length, 2);
  // Where Node's compile cache cannot be written (a read-only image, here a temp folder under a file), the
  // scan runs the same and says nothing about it; the V8 flag the engine's worker sets prints nothing either.
  const noCache = spawnSync(process.execPath, ['bin/keyref.js', 'scan', 'fixtures/cli/broken', '--format', 'json'], {
    encoding: 'utf8',
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_COMPILE_CACHE')), TMPDIR: join('package.json', 'tmp') },
  });
  assert.equal(noCache.stderr, '');
  assert.equal(noCache.status, 1);
  assert.equal(noCache.stdout, bin.stdout);
  const usage = spawnSync(process.execPath, ['bin/keyref.js', 'scan', '--nope'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^keyref: Unknown option '--nope'/);
});

test('bin/keyref.js keeps the engine\'s V8 code cache: written once, then used; a damaged one is never handed to V8', (t) => {
  if (!existsSync('dist/cli-bundle/engine-worker.cjs')) {
    t.diagnostic('dist/ not built: bin/keyref.js not spawned');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'keyref-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = () => {
    const r = spawnSync(process.execPath, ['bin/keyref.js', 'scan', 'fixtures/cli/broken', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_DISABLE_COMPILE_CACHE')), NODE_COMPILE_CACHE: dir },
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
    return r.stdout;
  };
  const caches = () =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((p) => /(^|\/)keyref-engine-[0-9a-f]{40}$/.test(p))
      .map((p) => join(dir, p));
  const valid = (file: string) => {
    const bytes = readFileSync(file);
    return bytes.length > 20 && bytes.subarray(0, 20).equals(createHash('sha1').update(bytes.subarray(20)).digest());
  };

  const first = run();
  const [cache, ...others] = caches();
  assert.ok(cache, 'the first run writes the cache');
  assert.deepEqual(others, []);
  assert.ok(valid(cache));
  const written = statSync(cache);
  // A second run takes the cache as it is: V8 accepted it, or it would have been written again.
  assert.equal(run(), first);
  assert.equal(statSync(cache).mtimeMs, written.mtimeMs);
  assert.equal(statSync(cache).ino, written.ino);

  // A damaged file (here one flipped byte of the code) fails its own hash: it is not used, and is replaced.
  const damaged = readFileSync(cache);
  damaged.writeUInt8(damaged.readUInt8(damaged.length - 100) ^ 0xff, damaged.length - 100);
  writeFileSync(cache, damaged);
  assert.equal(run(), first);
  assert.ok(valid(cache), 'the damaged cache was written again');
  assert.deepEqual(caches(), [cache]);
});
