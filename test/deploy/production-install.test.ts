/**
 * Reproduces the Docker image's runtime stage without a Docker engine: a clean copy of exactly what the
 * Dockerfile copies, `npm ci --omit=dev --ignore-scripts`, then the image's CMD with dummy credentials,
 * its HEALTHCHECK command, and SIGTERM. A devDependency needed at run time, or a file the image lacks, fails here.
 * Slow (npm ci from the local cache; the registry only on a cache miss).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { readRuntimeStage } from './dockerfile.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function transpileTree(srcDir: string, outDir: string): void {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const file of walk(srcDir)) {
    const out = join(outDir, relative(srcDir, file));
    mkdirSync(dirname(out), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      writeFileSync(out.replace(/\.ts$/, '.js'), outputText);
    } else if (file.endsWith('.json')) {
      cpSync(file, out);
    }
  }
}

function run(cmd: string, args: string[], cwd: string, timeout: number) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

test('the image install (npm ci --omit=dev) starts the production entry point and answers /healthz', { timeout: 120_000 }, async () => {
  const stage = readRuntimeStage(join(root, 'Dockerfile'));
  assert.equal(stage.user, 'node', 'runs as non-root');
  assert.equal(stage.stopSignal, 'SIGTERM');
  assert.ok(stage.runs.some((r) => /npm ci\b.*--omit=dev/.test(r)), 'installs production dependencies only');

  const dir = mkdtempSync(join(tmpdir(), 'keyref-image-'));
  try {
    // The build stage (`npm run build` = tsc -p tsconfig.build.json, src/ -> dist/), emit only: type errors are
    // the typecheck's business, and a full tsc run takes minutes on a busy machine. isolatedModules is on,
    // so per-file transpilation emits the same JavaScript.
    transpileTree(join(root, 'src'), join(dir, 'dist'));
    for (const built of stage.buildCopies) assert.ok(existsSync(join(dir, built)), `build stage produced ${built}`);
    for (const source of stage.contextCopies) {
      assert.ok(existsSync(join(root, source)), `the Dockerfile copies ${source}, which the repository lacks`);
      cpSync(join(root, source), join(dir, source), { recursive: true });
    }

    const npmCi = ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
    let install = run('npm', [...npmCi, '--offline'], dir, 90_000);
    if (!install.ok) install = run('npm', [...npmCi, '--prefer-offline'], dir, 90_000);
    assert.ok(install.ok, `npm ci failed:\n${install.output.slice(-3000)}`);
    assert.ok(!existsSync(join(dir, 'node_modules/typescript')), 'devDependencies are not installed');

    const port = await freePort();
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const env = {
      PATH: process.env.PATH ?? '',
      ...stage.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: 'production-install-test',
    };
    const [cmd, ...args] = stage.cmd;
    assert.equal(cmd, 'node');
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let exited = false;
    void exit.then(() => (exited = true));
    try {
      const deadline = Date.now() + 30_000;
      let healthy = false;
      while (!healthy && !exited && Date.now() < deadline) {
        healthy = (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200;
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(healthy, `the production entry point never answered /healthz:\n${out.slice(-3000)}`);

      const [hcCmd, ...hcArgs] = stage.healthcheck;
      assert.equal(hcCmd, 'node');
      const probe = spawnSync(process.execPath, hcArgs, { env, timeout: 10_000 });
      assert.equal(probe.status, 0, 'the HEALTHCHECK command passes');

      child.kill('SIGTERM');
      assert.equal(await exit, 0, `clean exit on SIGTERM:\n${out.slice(-2000)}`);
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
