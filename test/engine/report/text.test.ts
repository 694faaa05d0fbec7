import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from '../../../src/engine/report/index.js';
import { FINDINGS, finding, input } from './sample.js';

test('text: path:line severity rule message, grouped by file, skipped files and a summary line', () => {
  const out = formatText(input());
  assert.equal(
    out,
    [
      'apps/api/deployment.yaml:23  error    missing-key           ConfigMap "api-config" has no key "DATABSE_URL" (did you mean "DATABASE_URL"?).',
      'apps/api/deployment.yaml:30  warning  unresolved-reference  No Secret "stripe" in the repository.',
      '    Declare it under externalObjects if it is created elsewhere.',
      '',
      'apps/worker/cronjob.yaml:12  notice   wrong-kind            Optional reference.',
      '',
      'Not analysed (1):',
      '  charts/web/templates/deploy.yaml  templated (Helm {{ }}), not a manifest',
      '',
      '1 error, 1 warning, 1 notice in 42 files (120 objects); not analysed: 1 file not read (listed above; --format json lists all under "skipped")',
      '',
    ].join('\n'),
  );
});

test('text: no colors by default, ANSI colors when asked', () => {
  assert.doesNotMatch(formatText(input()), /\u001b\[/);
  const colored = formatText(input(), { color: true });
  assert.match(colored, /\u001b\[31;1merror/);
  assert.match(colored, /\u001b\[33mwarning/);
});

test('text: empty result is just the summary', () => {
  assert.equal(formatText(input([], { skipped: [] })), '0 errors, 0 warnings, 0 notices in 42 files (120 objects)\n');
});

test('text: every kind of blind spot is counted on the summary line, even with no findings', () => {
  const skipped = [
    { path: 'charts/web/Chart.yaml', kind: 'helm-chart' as const, reason: 'Helm chart' },
    { path: 'charts/db/Chart.yaml', kind: 'helm-chart' as const, reason: 'Helm chart' },
    { path: 'apps/kustomization.yaml', kind: 'remote-base' as const, reason: 'remote' },
    { path: 'apps/hr.yaml', kind: 'helm-release' as const, reason: 'remote chart' },
  ];
  const out = formatText(input([], { skipped }));
  assert.match(out, /^0 errors, 0 warnings, 0 notices in 42 files \(120 objects\); not analysed: 2 Helm charts, 1 Helm release of a chart not in the repository, 1 remote kustomize resource \(listed above/m);
});

test('text: long skipped lists are truncated', () => {
  const skipped = Array.from({ length: 15 }, (_, i) => ({ path: `t/${i}.yaml`, kind: 'file' as const, reason: 'templated' }));
  const out = formatText(input([], { skipped }), { maxSkipped: 3 });
  assert.match(out, /Not analysed \(15\):/);
  assert.match(out, /… and 12 more/);
  assert.match(out, /\(120 objects\); not analysed: 15 files not read \(listed above/);
  assert.equal(out.split('\n').filter((l) => l.startsWith('  t/')).length, 3);
});

test('text: review lists introduced findings first, with "caused by" for untouched files', () => {
  const findings = [
    finding({ ruleId: 'missing-key', path: 'a/deploy.yaml', line: 5, introduced: true, causedBy: ['a/config.yaml'] }),
    finding({ ruleId: 'missing-key', path: 'b/deploy.yaml', line: 7, introduced: false }),
    finding({ ruleId: 'wrong-kind', path: 'c/deploy.yaml', line: 9, introduced: true, severity: 'warning' }),
  ];
  const out = formatText(
    input(findings, { skipped: [], review: { base: 'main', head: 'HEAD', fixed: [FINDINGS[0]!], changedPaths: ['a/config.yaml', 'c/deploy.yaml'] } }),
  );
  const lines = out.split('\n');
  const at = (s: string) => lines.findIndex((l) => l.includes(s));
  assert.ok(at('Introduced by main..HEAD:') < at('c/deploy.yaml:9'));
  assert.ok(at('c/deploy.yaml:9') < at('a/deploy.yaml:5'), 'findings in touched files come before caused ones');
  assert.equal(lines[at('a/deploy.yaml:5') + 1], '    caused by the change to a/config.yaml');
  assert.ok(at('Already present before this change:') > at('a/deploy.yaml:5'));
  assert.ok(at('b/deploy.yaml:7') > at('Already present'));
  assert.match(out, /1 error, 1 warning, 0 notices introduced \(1 already present, 1 fixed\) in 42 files \(120 objects\), 2 changed files\n$/);
});
