import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createEngineRunner, EngineBudgetExceeded, engineBudgetFromEnv, DEFAULT_ENGINE_BUDGET_MS, FilePacker, type PackedFiles } from '../../src/runner/index.js';
import { startEngineThread } from '../../src/runner/engine-thread.js';

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

/** Packs files as the CLI does, in batches of a few bytes (one file each here) handed to `onBatch`. */
function pack(files: readonly { path: string; text: string }[], onBatch?: (b: PackedFiles) => void): PackedFiles {
  const packer = new FilePacker(onBatch, 16);
  for (const f of files) {
    const bytes = new TextEncoder().encode(f.text);
    packer.reserve(bytes.length).set(bytes);
    packer.commit(f.path, bytes.length);
  }
  return packer.finish();
}

test('files fed in parts while the rest is read (CLI): parsed ahead, scanned in path order, same result as one task', async () => {
  const runner = createEngineRunner({ budgetMs: 120_000 });
  runners.push(runner);
  const files = [secret('c'), { path: 'empty.yaml', text: '' }, secret('a'), { path: 'b.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: x\n      image: x\n      envFrom: [{secretRef: {name: missing}}]\n' }];
  const whole = await runner.run({ op: 'scan', input: { files: [...files].sort((x, y) => (x.path < y.path ? -1 : 1)) } });
  runner.prestart();
  let batches = 0;
  const rest = pack(files, (b) => {
    batches++;
    runner.feed(b);
  });
  assert.ok(batches >= 2 && rest.paths.length >= 1, `${batches} batches, ${rest.paths.length} left`);
  const streamed = await runner.run({ op: 'scan', input: { files: [] }, packed: rest });
  assert.deepEqual(streamed, whole);
  assert.deepEqual(whole.findings.map((f) => `${f.path} ${f.ruleId}`), ['a.yaml plaintext-secret', 'b.yaml unresolved-reference', 'c.yaml plaintext-secret']);
});

test('a scan that asks for its generator inputs (CLI): the worker names those its kustomizations read, once, and scans with what is supplied', async () => {
  const runner = createEngineRunner({ budgetMs: 120_000 });
  runners.push(runner);
  const kustomization = { path: 'app/kustomization.yaml', text: 'resources: [deploy.yaml]\nconfigMapGenerator:\n- name: cfg\n  envs: [cfg.env]\n- name: other\n  envs: [../shared/extra.env]\n' };
  const deploy = {
    path: 'app/deploy.yaml',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      containers:\n      - name: w\n        image: w\n        env:\n        - name: A\n          valueFrom: {configMapKeyRef: {name: cfg, key: B}}\n',
  };
  const env = { path: 'app/cfg.env', text: 'A=1\n' }; // no B: a missing key, known only from the input
  const byPath = (x: { path: string }, y: { path: string }) => (x.path < y.path ? -1 : 1);
  const whole = await runner.run({ op: 'scan', input: { files: [deploy, env, kustomization].sort(byPath) } });
  const withoutInput = await runner.run({ op: 'scan', input: { files: [deploy, kustomization].sort(byPath) } });
  assert.deepEqual(whole.findings.map((f) => f.ruleId), ['missing-key']);
  assert.notDeepEqual(whole.findings, withoutInput.findings, 'the input decides');

  runner.prestart();
  const rest = pack([deploy, kustomization], (b) => runner.feed(b));
  const asked: string[][] = [];
  const supplied = await runner.run(
    { op: 'scan', input: { files: [] }, packed: rest, askForInputs: true },
    {
      supply: (paths) => {
        asked.push([...paths]);
        return pack(paths.includes(env.path) ? [env] : []); // ../shared/extra.env is not in the tree
      },
    },
  );
  assert.deepEqual(asked, [['app/cfg.env', 'shared/extra.env']]);
  assert.deepEqual(supplied, whole);

  // No supplier: the worker is told there are none, as if the input did not exist.
  const unsupplied = await runner.run({ op: 'scan', input: { files: [deploy, kustomization].sort(byPath) }, askForInputs: true });
  assert.deepEqual(unsupplied, withoutInput);
  // A scan that does not ask is never asked about: the supplier is not called.
  await runner.run({ op: 'scan', input: { files: [deploy, env, kustomization].sort(byPath) } }, { supply: () => assert.fail('not asked') });
  // Inputs already among the files are not asked for.
  await runner.run({ op: 'scan', input: { files: [deploy, env, kustomization].sort(byPath) }, askForInputs: true }, { supply: (paths) => (assert.deepEqual(paths, ['shared/extra.env']), pack([])) });
});

test('a supplier that throws fails the scan with its error, and the worker is not kept', async () => {
  const runner = createEngineRunner({ budgetMs: 120_000 });
  runners.push(runner);
  const kustomization = { path: 'kustomization.yaml', text: 'secretGenerator:\n- name: s\n  files: [key.pem]\n' };
  await assert.rejects(
    runner.run({ op: 'scan', input: { files: [kustomization] }, askForInputs: true }, { supply: () => { throw new Error('disk gone'); } }),
    /disk gone/,
  );
  const again = await runner.run({ op: 'scan', input: { files: [kustomization] } });
  assert.equal(again.stats.files, 1);
});

test('a worker started before the runner (the CLI starts it first) is the one fed and scanned, and its budget cell is read', async () => {
  const started = startEngineThread(SLOW);
  started.worker.unref();
  const runner = createEngineRunner({ budgetMs: 1_000, budgetScope: 'file', workerUrl: SLOW, started });
  runners.push(runner);
  const done: string[] = [];
  started.worker.on('message', (m: { type: string }) => done.push(m.type));
  runner.prestart(); // idle already: no second worker
  const rest = pack([secret('a'), spin, secret('z')], (b) => runner.feed(b));
  const err = await runner.run({ op: 'scan', input: { files: [] }, packed: rest }).catch((e: unknown) => e);
  // The file is named: the runner reads the started worker's own progress cell.
  assert.ok(err instanceof EngineBudgetExceeded, String(err));
  assert.match(err.message, /on deploy\/ca-bundle\.yaml/);
  assert.ok(done.includes('feeding'), done.join(','));
  // The stopped worker is replaced by one the runner starts itself.
  const fresh = await runner.run({ op: 'scan', input: { files: [secret('b')] } });
  assert.deepEqual(fresh.findings.map((f) => `${f.path} ${f.ruleId}`), ['b.yaml plaintext-secret']);
});

test('a started worker that failed to load is not taken: the task runs in one the runner starts', async () => {
  const broken = startEngineThread(new URL('./no-such-worker.cjs', import.meta.url));
  broken.worker.on('error', () => {});
  await new Promise((resolve) => broken.worker.once('exit', resolve));
  const runner = createEngineRunner({ budgetMs: 120_000, workerUrl: SLOW, started: broken });
  runners.push(runner);
  const result = await runner.run({ op: 'scan', input: { files: [secret('a')] } });
  assert.deepEqual(result.findings.map((f) => `${f.path} ${f.ruleId}`), ['a.yaml plaintext-secret']);
});

test('a fed file that hangs the parse ahead is stopped by the per-file budget and named', async () => {
  const runner = createEngineRunner({ budgetMs: 1_000, budgetScope: 'file', workerUrl: SLOW });
  runners.push(runner);
  const rest = pack([secret('a'), spin, secret('z')], (b) => runner.feed(b));
  const err = await runner.run({ op: 'scan', input: { files: [] }, packed: rest }).catch((e: unknown) => e);
  assert.ok(err instanceof EngineBudgetExceeded, String(err));
  assert.match(err.message, /on deploy\/ca-bundle\.yaml/);
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
