import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers.js';

const BROKEN = 'fixtures/cli/broken';

test('cli: --help, --version, <cmd> --help', async () => {
  let r = await cli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /keyref scan \[DIR\]/);
  assert.match(r.stdout, /keyref review --base REV/);
  r = await cli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`);
  r = await cli(['scan', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--format FORMAT/);
  r = await cli(['review', '-h']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--base REV/);
});

test('cli: bad usage exits 2 with one clear line and a usage hint, no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [[], /^keyref: finds/],
    [['frobnicate'], /^keyref: unknown command "frobnicate"\n/],
    [['scan', '--bogus'], /^keyref: Unknown option '--bogus'\nUsage: keyref scan/],
    [['scan', '--format', 'xml', BROKEN], /^keyref: unknown format "xml"; use one of text, json, sarif\n/],
    [['scan', 'no/such/dir'], /^keyref: not a directory: no\/such\/dir\n/],
    [['scan', 'package.json'], /^keyref: not a directory: package\.json\n/],
    [['scan', 'a', 'b'], /^keyref: scan takes one directory, got 2\n/],
    [['scan', BROKEN, '--config', 'nope.yml'], /^keyref: configuration file not found: nope\.yml\n$/],
    [['review'], /^keyref: --base REV is required/],
  ];
  for (const [argv, expected] of cases) {
    const r = await cli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
    assert.match(r.stderr, expected, argv.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('cli: a clean directory exits 0', async () => {
  const r = await cli(['scan', 'fixtures/cli/clean']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '0 errors, 0 warnings, 0 notices in 1 file (2 objects)\n');
  assert.equal(r.stderr, '');
});

test('cli: error findings exit 1; paths are relative to DIR; node_modules skipped; suppression and generator inputs work', async () => {
  const r = await cli(['scan', BROKEN, '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['findings', 'skipped', 'stats']);
  const got = out.findings.map((f: { ruleId: string; path: string; line: number; severity: string }) => `${f.path}:${f.line} ${f.severity} ${f.ruleId}`);
  assert.deepEqual(got, [
    'deployment.yaml:21 error missing-key', // DATABSE_HOST typo
    'deployment.yaml:36 error missing-key', // REGOIN: the key set comes from flags.env, read as a generator input
  ]);
  // line 26 (LOG_FORMAT) carries `# keyref-ignore missing-key`; FEATURES exists in flags.env; node_modules/ is never read.
  for (const f of out.findings) {
    assert.match(f.fingerprint, /^[0-9a-f]{8,}$/);
    assert.deepEqual(f.object, { kind: 'Deployment', name: 'api' });
  }
  assert.equal(out.stats.objects, 2);
});

test('cli: same directory given relative to another cwd gives the same paths', async () => {
  const a = await cli(['scan', BROKEN, '-f', 'json']);
  const b = await cli(['scan', '.', '-f', 'json'], join(process.cwd(), BROKEN));
  const c = await cli(['scan', '-f', 'json'], join(process.cwd(), BROKEN));
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.stdout, c.stdout);
});

test('cli: text report', async () => {
  const r = await cli(['scan', BROKEN]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^deployment\.yaml:21  error    missing-key  .*"DATABSE_HOST".*Did you mean "DATABASE_HOST"\?/);
  assert.match(lines[1]!, /^deployment\.yaml:36  error    missing-key  /);
  assert.equal(lines.at(-1), '2 errors, 0 warnings, 0 notices in 5 files (2 objects)');
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colors unless asked');
  const colored = await cli(['scan', BROKEN, '--color']);
  assert.match(colored.stdout, /\u001b\[31;1merror/);
});

test('cli: sarif report', async () => {
  const r = await cli(['scan', BROKEN, '--format', 'sarif']);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'keyref');
  assert.equal(run.tool.driver.version, JSON.parse(readFileSync('package.json', 'utf8')).version);
  const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.ok(ruleIds.includes('missing-key'));
  assert.equal(run.results.length, 2);
  for (const res of run.results) {
    assert.equal(ruleIds[res.ruleIndex], res.ruleId);
    assert.equal(res.level, 'error');
    // Relative to the git repository root (this repository), as GitHub code scanning expects.
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'fixtures/cli/broken/deployment.yaml');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(res.partialFingerprints['keyref/v1']);
  }
});

test('cli: --config overrides severities; the default config is DIR/.github/keyref.yml', async () => {
  const r = await cli(['scan', BROKEN, '--config', 'fixtures/cli/config/missing-key-warning.yml', '-f', 'json']);
  assert.equal(r.code, 0, 'warnings only');
  assert.deepEqual(
    JSON.parse(r.stdout).findings.map((f: { severity: string }) => f.severity),
    ['warning', 'warning'],
  );
});

test('cli: a bad configuration exits 2 naming file, line and field', async () => {
  const r = await cli(['scan', 'fixtures/cli/bad-config']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'keyref: invalid configuration: `fixtures/cli/bad-config/.github/keyref.yml` line 3: rules.missing-key: expected one of error|warning|notice|off\n');
});

test('cli: --output writes the report to a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyref-out-'));
  try {
    const file = join(dir, 'report.sarif');
    const r = await cli(['scan', BROKEN, '-f', 'sarif', '-o', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, '2.1.0');
    const bad = await cli(['scan', BROKEN, '-o', join(dir, 'missing-dir', 'x.txt')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^keyref: cannot write .*ENOENT\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: progress only on a terminal and only for text', async () => {
  const tty = await cli(['scan', BROKEN], process.cwd(), true);
  assert.match(tty.stderr, /keyref: scanning \d+ files…/);
  assert.ok(tty.stderr.endsWith('\r\u001b[K'), 'the progress line is cleared');
  const json = await cli(['scan', BROKEN, '-f', 'json'], process.cwd(), true);
  assert.equal(json.stderr, '');
  const pipe = await cli(['scan', BROKEN]);
  assert.equal(pipe.stderr, '');
});

test('cli: binary, non-UTF-8 and empty files are skipped or ignored, never fatal', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyref-bytes-'));
  try {
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0]));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('kind: ConfigMap\napiVersion: v1\nmetadata: {name: caf\xe9}\n', 'latin1'));
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(33 * 1024 * 1024, 0x61));
    // A kustomization naming generator inputs that do not exist, or lie outside the scanned folder.
    writeFileSync(join(dir, 'kustomization.yaml'), 'configMapGenerator:\n  - name: x\n    envs: [missing.env, ../../etc/passwd]\n    files: [/etc/hostname]\n');
    writeFileSync(join(dir, 'bom.yaml'), '\ufeffapiVersion: v1\nkind: ConfigMap\nmetadata: {name: with-bom}\ndata: {a: b}\n');
    const r = await cli(['scan', dir, '-f', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.stats.files, 5);
    const paths = [...out.findings, ...out.skipped].map((x: { path: string }) => x.path);
    assert.ok(paths.includes('binary.yaml'), 'the binary file is reported or skipped');
    assert.deepEqual(
      out.skipped.filter((x: { path: string }) => x.path === 'huge.yaml'),
      [{ path: 'huge.yaml', kind: 'file', reason: 'larger than 32 MB, not read' }],
    );
    assert.ok(!JSON.stringify(out).includes('root:'), 'nothing outside DIR is read');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: an internal error is one line and exit 3, with the stack only under KEYREF_DEBUG', async () => {
  const failing = (env: Record<string, string>) => {
    let stderr = '';
    return import('../../src/cli/main.js').then(async ({ main }) => {
      const code = await main(['scan', 'fixtures/cli/clean'], {
        stdout: () => {
          throw new Error('disk on fire\nsecond line');
        },
        stderr: (t) => void (stderr += t),
        cwd: process.cwd(),
        env,
      });
      return { code, stderr };
    });
  };
  const plain = await failing({});
  assert.equal(plain.code, 3);
  assert.match(plain.stderr, /^keyref: internal error: disk on fire\n\(set KEYREF_DEBUG=1/);
  assert.doesNotMatch(plain.stderr, /\n\s+at /);
  const debug = await failing({ KEYREF_DEBUG: '1' });
  assert.match(debug.stderr, /\n\s+at /);
});
