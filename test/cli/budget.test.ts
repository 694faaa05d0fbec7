import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';

test('a file over the per-file engine budget stops the CLI with a message naming it (exit 3), never a hang', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyref-budget-'));
  try {
    mkdirSync(join(dir, 'deploy'));
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: Zq8!mW2#rT5vK9pL\n';
    writeFileSync(join(dir, 'deploy', 'secret.yaml'), secret);
    let stderr = '';
    let stdout = '';
    // 1 ms: nothing fits, so the run must stop on the budget (the real engine; the file is named once the engine reported one).
    const code = await main(['scan', dir], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: { KEYREF_ENGINE_BUDGET_MS: '1' } });
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.match(stderr, /^keyref: stopped: analysing (deploy\/secret\.yaml|the files) took longer than 0\.001 s, so nothing was reported\./);
    assert.match(stderr, /KEYREF_ENGINE_BUDGET_MS/);
    assert.doesNotMatch(stderr, /Zq8|internal error|\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
