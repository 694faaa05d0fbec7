import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createEngineRunner, EngineBudgetExceeded, engineBudgetFromEnv, DEFAULT_ENGINE_BUDGET_MS } from '../../src/runner/index.js';

const SLOW = new URL('./slow-engine-worker.ts', import.meta.url);
const secret = (name: string) => ({ path: `${name}.yaml`, text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: Zq8!mW2#rT5vK9pL\n` });
const spin = { path: 'deploy/ca-bundle.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\n# keyref-test: spin\n' };

const runners: { close(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(runners.map((r) => r.close()));
});

test('the real engine runs in a worker: same findings as in-thread, progress names the files, warm workers are reused', async () => {
  const runner = createEngineRunner({ budgetMs: 120_000 });
  runners.push(runner);
  const seen: string[] = [];
  const result = await runner.run({ op: 'scan', input: { files: [secret('a'), secret('b')] } }, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(result.findings.map((f) => `${f.path} ${f.ruleId}`), ['a.yaml plaintext-secret', 'b.yaml plaintext-secret']);
  assert.ok(seen.includes('a.yaml') && seen.includes('b.yaml'), seen.join(','));
  const reviewed = await runner.run({ op: 'review', input: { base: [secret('a')], head: [secret('a'), secret('b')] } });
  assert.deepEqual(reviewed.findings.map((f) => `${f.path} ${f.introduced}`), ['a.yaml false', 'b.yaml true']);
});

test('a task over its budget is stopped, names the file it was on, and the event loop kept turning meanwhile', async () => {
  const runner = createEngineRunner({ budgetMs: 1_000, workerUrl: SLOW });
  runners.push(runner);
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 10);
  try {
    const err = await runner.run({ op: 'review', input: { base: [], head: [secret('a'), spin] } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof EngineBudgetExceeded, String(err));
    assert.equal(err.file, 'deploy/ca-bundle.yaml');
    assert.equal(err.scope, 'task');
    assert.match(err.message, /took longer than its 1 s budget \(on deploy\/ca-bundle\.yaml\)/);
    assert.ok(ticks > 0, 'timers ran while the engine spun');
  } finally {
    clearInterval(ticker);
  }
  // The runner keeps working after terminating a worker.
  const ok = await runner.run({ op: 'scan', input: { files: [secret('c')] } });
  assert.equal(ok.findings.length, 1);
});

test('per-file budget (CLI): the budget restarts on every file; only a file that alone exceeds it stops the scan', async () => {
  const runner = createEngineRunner({ budgetMs: 1_000, budgetScope: 'file', workerUrl: SLOW });
  runners.push(runner);
  const err = await runner.run({ op: 'scan', input: { files: [secret('a'), spin] } }).catch((e: unknown) => e);
  assert.ok(err instanceof EngineBudgetExceeded);
  assert.equal(err.scope, 'file');
  assert.match(err.message, /for one file \(on deploy\/ca-bundle\.yaml\)/);
});

test('aborting a task terminates its worker and rejects with the reason', async () => {
  const runner = createEngineRunner({ budgetMs: 600_000, workerUrl: SLOW });
  runners.push(runner);
  const controller = new AbortController();
  const running = runner.run({ op: 'scan', input: { files: [spin] } }, { signal: controller.signal, onProgress: () => controller.abort(new Error('superseded')) });
  await assert.rejects(running, /superseded/);
});

test('KEYREF_ENGINE_BUDGET_MS sets the budget; nonsense falls back to the default', () => {
  assert.equal(engineBudgetFromEnv({ KEYREF_ENGINE_BUDGET_MS: '5000' }), 5000);
  assert.equal(engineBudgetFromEnv({ KEYREF_ENGINE_BUDGET_MS: '-1' }), DEFAULT_ENGINE_BUDGET_MS);
  assert.equal(engineBudgetFromEnv({}), DEFAULT_ENGINE_BUDGET_MS);
});
