/** The CLI's reader: folders it cannot read are named, UTF-16 files with a BOM are decoded. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, readDirectory, readDirectoryStreamed, type ReaderFs } from '../../src/cli/files.js';
import { unpackFiles } from '../../src/runner/packed.js';
import { cli } from './helpers.js';

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  DB_PASSWORD: "Uq8Zr3Kx9Lw2Vm5T"\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyref-files-'));
}

test('an unreadable folder is named in the output, not left out silently (fs error injected: root reads every folder)', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'ok'));
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'ok/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    writeFileSync(join(dir, 'locked/secret.yaml'), SECRET);
    const fs: ReaderFs = {
      readdirSync(path: string, options: { withFileTypes: true }): Dirent[] {
        if (path.endsWith('locked')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return readdirSync(path, options);
      },
    };
    const read = readDirectory(dir, undefined, fs);
    assert.deepEqual(read.files.map((f) => f.path), ['ok/cm.yaml']);
    assert.deepEqual(read.skipped, [{ path: 'locked/', kind: 'skipped', reason: 'folder could not be read (EACCES); nothing in it was scanned' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: an unreadable folder appears in the json `skipped` list (real permissions; skipped as root)', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('running as root: permissions do not stop root from reading a folder (the injected test above covers it)');
    return;
  }
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked/secret.yaml'), SECRET);
    chmodSync(join(dir, 'locked'), 0o000);
    const r = await cli(['scan', dir, '-f', 'json']);
    chmodSync(join(dir, 'locked'), 0o755);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).skipped.map((s: { path: string }) => s.path), ['locked/']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function utf16(text: string, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return endian === 'le' ? le : le.swap16();
}

test('UTF-16 files with a byte order mark are decoded', () => {
  assert.equal(decode(utf16('kind: Secret\n', 'le')), 'kind: Secret\n');
  assert.equal(decode(utf16('kind: Secret\n', 'be')), 'kind: Secret\n');
  assert.equal(decode(Buffer.from('\uFEFFkind: x\n', 'utf8')), 'kind: x\n');
});

test('cli: a UTF-16 Secret (with BOM) is scanned and its plaintext value reported, not skipped as binary', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'le.yaml'), utf16(SECRET, 'le'));
    writeFileSync(join(dir, 'be.yaml'), utf16(SECRET.replace('name: db', 'name: db2'), 'be'));
    const r = await cli(['scan', dir, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; severity: string }[]; skipped: unknown[] };
    assert.deepEqual(out.skipped, []);
    assert.deepEqual(
      out.findings.filter((f) => f.ruleId === 'plaintext-secret').map((f) => `${f.path}:${f.severity}`),
      ['be.yaml:error', 'le.yaml:error'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: generator inputs outside the repository give the reason (kustomize refuses them), not "has no keys"', async () => {
  const root = tempDir();
  try {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'app'), { recursive: true });
    writeFileSync(join(root, 'outside.env'), 'A=1\n');
    writeFileSync(join(repo, 'app/kustomization.yaml'), 'secretGenerator:\n- name: s\n  envs: [../../outside.env]\n- name: t\n  files: [/etc/hostname]\nresources: [deploy.yaml]\n');
    writeFileSync(
      join(repo, 'app/deploy.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: w\n        env:\n        - name: A\n          valueFrom: {secretKeyRef: {name: s, key: A}}\n        - name: B\n          valueFrom: {secretKeyRef: {name: t, key: B}}\n',
    );
    const r = await cli(['scan', repo, '-f', 'json']);
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; path: string; line: number; message: string }[] };
    assert.deepEqual(out.findings.filter((f) => f.ruleId === 'missing-key'), [], 'no "has no keys"');
    const outside = out.findings.filter((f) => f.ruleId === 'parse-error');
    assert.deepEqual(outside.map((f) => `${f.path}:${f.line}`), ['app/kustomization.yaml:3', 'app/kustomization.yaml:5']);
    assert.match(outside[0]!.message, /secretGenerator `s` reads `\.\.\/\.\.\/outside\.env`, which is outside the repository: `kustomize build` refuses/);
    assert.match(outside[1]!.message, /reads `\/etc\/hostname`, which is outside the repository/);
    assert.equal(r.code, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('streamed reading (the scan command): generator inputs are read when the worker names them, only inside the root and only if the walk found them', () => {
  const dir = tempDir();
  try {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/kustomization.yaml'), 'configMapGenerator:\n- name: c\n  envs: [c.env]\n');
    writeFileSync(join(dir, 'app/c.env'), 'A=1\n');
    writeFileSync(join(dir, 'app/d.env'), 'B=2\n');
    mkdirSync(join(dir, 'app/dir.env'));
    const batches: string[][] = [];
    const read = readDirectoryStreamed(dir, undefined, (b) => batches.push([...b.paths]));
    const listed = [...batches.flat(), ...read.packed.paths];
    assert.deepEqual(listed, ['app/kustomization.yaml'], 'the inputs are not read up front');
    const inputs = unpackFiles(read.readInputs(['app/d.env', 'app/c.env', 'app/missing.env', '../outside.env', '/etc/hostname', 'app/kustomization.yaml', 'app/dir.env']));
    assert.deepEqual(inputs.map((f) => `${f.path}=${f.text}`), ['app/c.env=A=1\n', 'app/d.env=B=2\n']);
    assert.deepEqual(read.skipped, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
