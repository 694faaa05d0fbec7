import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, TempRepo } from './helpers.js';

function configMap(name: string, keys: string[]): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${keys.map((k) => `  ${k}: "1"\n`).join('')}`;
}

function deployment(name: string, refs: [configMap: string, key: string][]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector:',
    `    matchLabels: { app: ${name} }`,
    '  template:',
    '    metadata:',
    `      labels: { app: ${name} }`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    '          image: example/app:1.0',
    '          env:',
    ...refs.flatMap(([cm, key]) => [
      `            - name: ${key}`,
      '              valueFrom:',
      '                configMapKeyRef:',
      `                  name: ${cm}`,
      `                  key: ${key}`,
    ]),
    '',
  ].join('\n');
}

let repo: TempRepo;
let base: string;
let head: string;

before(() => {
  repo = new TempRepo();
  repo.write({
    'deploy/configmap.yaml': configMap('api-config', ['DATABASE_HOST', 'LOG_LEVEL']),
    'deploy/deployment.yaml': deployment('api', [['api-config', 'DATABASE_HOST'], ['api-config', 'LOG_LEVEL']]),
    // Already broken before the change: a typo in the key.
    'other/configmap.yaml': configMap('other-config', ['QUEUE_URL']),
    'other/deployment.yaml': deployment('other', [['other-config', 'QUEUE_ULR']]),
    'README.md': '# demo\n',
  });
  base = repo.commit('base');
  // The change: drop DATABASE_HOST from the ConfigMap (breaks the untouched Deployment), and add
  // a worker with a typo in a key.
  repo.write({
    'deploy/configmap.yaml': configMap('api-config', ['LOG_LEVEL']),
    'deploy/worker.yaml': deployment('worker', [['api-config', 'LOG_LEVLE']]),
  });
  head = repo.commit('head');
});

after(() => repo.cleanup());

test('review: marks introduced findings, including those in untouched files, with causedBy', async () => {
  const r = await cli(['review', '--base', base, '--head', head, '-f', 'json'], repo.dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const got = out.findings.map((f: { path: string; ruleId: string; introduced: boolean; causedBy?: string[] }) => ({
    path: f.path,
    ruleId: f.ruleId,
    introduced: f.introduced,
    causedBy: f.causedBy,
  }));
  const introduced = got.filter((f: { introduced: boolean }) => f.introduced);
  assert.deepEqual(
    introduced.map((f: { path: string; causedBy?: string[] }) => `${f.path} <- ${(f.causedBy ?? []).join(',')}`).sort(),
    ['deploy/deployment.yaml <- deploy/configmap.yaml', 'deploy/worker.yaml <- '],
  );
  const present = got.filter((f: { introduced: boolean }) => !f.introduced);
  assert.deepEqual(
    present.map((f: { path: string }) => f.path),
    ['other/deployment.yaml'],
  );
  assert.deepEqual(out.review.changedPaths, ['deploy/configmap.yaml', 'deploy/worker.yaml']);
  assert.deepEqual(out.fixed, []);
});

test('review: text shows introduced findings first with "caused by", then the ones already present', async () => {
  const r = await cli(['review', '--base', base], repo.dir);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  assert.equal(lines[0], `Introduced by ${base}..HEAD:`);
  // Introduced in a changed file first, then the one the change caused in an untouched file.
  assert.equal(at(/^deploy\/worker\.yaml:20 +error +missing-key/), 2);
  assert.equal(at(/^deploy\/deployment\.yaml:20 +error +missing-key/), 4);
  assert.equal(lines[5], '    caused by the change to deploy/configmap.yaml');
  assert.ok(at(/^Already present before this change:/) > 5);
  assert.ok(at(/^other\/deployment\.yaml:20 /) > at(/^Already present/));
  assert.match(lines.at(-2)!, /^2 errors, 0 warnings, 0 notices introduced \(1 already present\) in \d+ files \(\d+ objects\), 2 changed files$/);
});

test('review: only introduced errors decide the exit code', async () => {
  // base..base: the typo in other/ is present but not introduced.
  const r = await cli(['review', '--base', base, '--head', base, '-f', 'json'], repo.dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.findings.length > 0);
  assert.ok(out.findings.every((f: { introduced: boolean }) => f.introduced === false));
});

test('review: the reverse change reports the fixed findings', async () => {
  const r = await cli(['review', '--base', head, '--head', base, '-f', 'json'], repo.dir);
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.stdout).fixed.length, 2);
});

test('review: DIR limits the review to a folder; paths are relative to it', async () => {
  const r = await cli(['review', '--base', base, '-f', 'json', 'other'], repo.dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(
    out.findings.map((f: { path: string }) => f.path),
    ['deployment.yaml'],
  );
  const sarif = JSON.parse((await cli(['review', '--base', base, '-f', 'sarif', 'other'], repo.dir)).stdout);
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'other/deployment.yaml', 'SARIF paths are repository paths');
  // From a subfolder without DIR, the whole repository is reviewed.
  const whole = await cli(['review', '--base', base, '-f', 'json'], join(repo.dir, 'other'));
  assert.equal(whole.code, 1);
});

test('scan: SARIF paths are relative to the git root holding DIR', async () => {
  const r = await cli(['scan', 'other', '-f', 'sarif'], repo.dir);
  assert.equal(JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'other/deployment.yaml');
  const j = await cli(['scan', 'other', '-f', 'json'], repo.dir);
  assert.equal(JSON.parse(j.stdout).findings[0].path, 'deployment.yaml');
});

test('review: sarif marks baselineState', async () => {
  const r = await cli(['review', '--base', base, '-f', 'sarif'], repo.dir);
  const states = JSON.parse(r.stdout).runs[0].results.map((x: { baselineState: string }) => x.baselineState).sort();
  assert.deepEqual(states, ['new', 'new', 'unchanged']);
});

test('review: the base commit\'s .github/keyref.yml applies by default: the change cannot switch rules off for itself', async () => {
  const r = new TempRepo();
  try {
    r.write({ 'a.yaml': deployment('api', [['cm', 'A']]), 'cm.yaml': configMap('cm', ['A', 'B']) });
    const b = r.commit('base');
    // The change breaks the Deployment and, in the same commit, turns the rule off and excludes the file.
    r.write({ 'cm.yaml': configMap('cm', ['B']), '.github/keyref.yml': 'rules:\n  missing-key: off\nexclude: ["a.yaml"]\n' });
    r.commit('head');
    let res = await cli(['review', '--base', b, '-f', 'json'], r.dir);
    assert.equal(res.code, 1, res.stderr);
    assert.deepEqual(
      JSON.parse(res.stdout).findings.map((f: { ruleId: string; severity: string; introduced: boolean }) => `${f.ruleId}:${f.severity}:${f.introduced}`),
      ['missing-key:error:true'],
    );
    // Explicit opt-in: the head's configuration.
    res = await cli(['review', '--base', b, '--config-from', 'head', '-f', 'json'], r.dir);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).findings, []);
    res = await cli(['review', '--base', b, '--config-from', 'tip'], r.dir);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--config-from takes base or head/);
  } finally {
    r.cleanup();
  }
});

test('review: a bad configuration exits 2 naming the commit it was read from', async () => {
  const r = new TempRepo();
  try {
    r.write({ 'cm.yaml': configMap('cm', ['A']), '.github/keyref.yml': 'rules:\n  missing-key: warning\n' });
    const b = r.commit('base');
    r.write({ '.github/keyref.yml': 'rules:\n  missing-key: loud\n' });
    r.commit('bad config');
    let res = await cli(['review', '--base', b], r.dir);
    assert.equal(res.code, 0, 'the base configuration is valid');
    res = await cli(['review', '--base', b, '--config-from', 'head'], r.dir);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /^keyref: invalid configuration: `\.github\/keyref\.yml \(at HEAD\)` line 2: rules\.missing-key: expected one of/);
    // A hostile glob in the head cannot hang the review: it is not read by default, and refused when it is.
    r.write({ '.github/keyref.yml': `exclude: ["${'*a'.repeat(30)}b"]\n` });
    r.commit('hostile glob');
    res = await cli(['review', '--base', b], r.dir);
    assert.equal(res.code, 0, res.stderr);
    res = await cli(['review', '--base', b, '--config-from', 'head'], r.dir);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /exclude\[0\]: glob with 30 wildcards/);
  } finally {
    r.cleanup();
  }
});

test('review: user errors outside a repository or with unknown revisions exit 2', async () => {
  let r = await cli(['review', '--base', 'no-such-branch'], repo.dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^keyref: unknown revision: no-such-branch/);
  r = await cli(['review', '--base', '--evil'], repo.dir);
  assert.equal(r.code, 2);
  r = await cli(['review', '--base', 'HEAD', '/'], repo.dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not inside a git repository|outside the git repository/);
});
