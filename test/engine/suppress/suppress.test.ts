import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../../src/engine/model.js';
import { applySuppressions, parseDirective } from '../../../src/engine/suppress/index.js';

function f(ruleId: string, path: string, line: number): Finding {
  return { ruleId, severity: 'error', path, line, endLine: line, message: 'm', fingerprint: `${ruleId}:${path}:${line}` };
}

const DEPLOY = [
  'apiVersion: apps/v1', // 1
  'kind: Deployment', // 2
  'spec:', // 3
  '  template:', // 4
  '    spec:', // 5
  '      containers:', // 6
  '        - name: api', // 7
  '          env:', // 8
  '            - name: A', // 9
  '              valueFrom:', // 10
  '                configMapKeyRef:', // 11
  '                  name: app', // 12
  '                  key: A # keyref-ignore missing-key', // 13
  '            - name: B', // 14
  '              valueFrom:', // 15
  '                configMapKeyRef:', // 16
  '                  # keyref-ignore missing-key, wrong-kind -- created by the operator', // 17
  '                  key: B', // 18
  '                  name: app2', // 19
  '                  # keyref-ignore', // 20
  '                  optional: false', // 21
  '# keyref-ignore unresolved-reference', // 22
  '# (reason on its own line)', // 23
  'x: 1', // 24
].join('\n');

const kept = (findings: Finding[], text = DEPLOY, path = 'deploy.yaml') =>
  applySuppressions(findings, new Map([[path, text]])).map((x) => `${x.ruleId}@${x.line}`);

test('suppress: a comment on the same line silences the named rule', () => {
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 13)]), []);
});

test('suppress: a comment on the line above silences the named rules (several ids, with a reason)', () => {
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 18), f('wrong-kind', 'deploy.yaml', 18)]), []);
});

test('suppress: another rule id does not suppress', () => {
  assert.deepEqual(kept([f('unresolved-reference', 'deploy.yaml', 13), f('unresolved-reference', 'deploy.yaml', 18)]), [
    'unresolved-reference@13',
    'unresolved-reference@18',
  ]);
});

test('suppress: a directive only reaches its own line and the next, not further', () => {
  // Line 17's directive is above line 18, not above line 19.
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 19)]), ['missing-key@19']);
  // A trailing comment on line 13 does not silence line 14.
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 14)]), ['missing-key@14']);
});

test('suppress: a bare `# keyref-ignore` silences nothing', () => {
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 21), f('wrong-kind', 'deploy.yaml', 21)]), ['missing-key@21', 'wrong-kind@21']);
});

test('suppress: the block of comment lines right above counts', () => {
  assert.deepEqual(kept([f('unresolved-reference', 'deploy.yaml', 24)]), []);
});

test('suppress: CRLF files', () => {
  const text = DEPLOY.replace(/\n/g, '\r\n');
  assert.deepEqual(kept([f('missing-key', 'deploy.yaml', 13), f('missing-key', 'deploy.yaml', 18), f('missing-key', 'deploy.yaml', 19)], text), ['missing-key@19']);
});

test('suppress: .env files use whole-line comments above; a trailing # is part of the value', () => {
  const env = ['A=1', '# keyref-ignore credential-in-configmap', 'PASSWORD=x', 'TOKEN=y # keyref-ignore credential-in-configmap'].join('\n');
  assert.deepEqual(kept([f('credential-in-configmap', 'app.env', 3), f('credential-in-configmap', 'app.env', 4)], env, 'app.env'), ['credential-in-configmap@4']);
});

test('suppress: files without findings or without the directive are left alone; unknown files keep findings', () => {
  const findings = [f('missing-key', 'other.yaml', 1), f('missing-key', 'missing.yaml', 3)];
  assert.deepEqual(applySuppressions(findings, new Map([['other.yaml', 'a: 1\n']])), findings);
  assert.deepEqual(applySuppressions([], new Map()), []);
});

test('parseDirective', () => {
  assert.equal(parseDirective('key: a'), undefined);
  assert.equal(parseDirective('key: a#keyref-ignore missing-key'), undefined, 'YAML comments need a space before #');
  assert.deepEqual(parseDirective('# keyref-ignore'), []);
  assert.deepEqual(parseDirective('#keyref-ignore missing-key'), ['missing-key']);
  assert.deepEqual(parseDirective('# keyref-ignore a,b  c -- because, reasons x-y'), ['a', 'b', 'c']);
  assert.deepEqual(parseDirective('# keyref-ignore-all missing-key'), undefined);
  assert.deepEqual(parseDirective('x: 1  # keyref-ignore missing-key --'), ['missing-key']);
});

import { suppress } from '../../../src/engine/suppress/index.js';
import { scan } from '../../../src/engine/scan.js';

const KNOWN = ['missing-key', 'wrong-kind', 'unresolved-reference'];

test('suppress: unknown ids, bare comments and idle comments are reported; silenced findings are counted', () => {
  const text = [
    'a: 1 # keyref-ignore missing-keys', // 1: typo
    '# keyref-ignore', // 2: bare
    'b: 2', // 3
    'c: 3 # keyref-ignore wrong-kind', // 4: silences nothing
    'd: 4 # keyref-ignore missing-key', // 5: used
  ].join('\n');
  const r = suppress([f('missing-key', 'x.yaml', 1), f('missing-key', 'x.yaml', 5)], new Map([['x.yaml', text]]), KNOWN);
  assert.deepEqual(r.kept.map((x) => x.line), [1]);
  assert.equal(r.suppressed, 1);
  assert.deepEqual(r.problems, [
    { path: 'x.yaml', line: 1, problem: 'unknown-rule', ruleId: 'missing-keys', didYouMean: 'missing-key' },
    { path: 'x.yaml', line: 2, problem: 'bare' },
    { path: 'x.yaml', line: 4, problem: 'unused', ruleId: 'wrong-kind' },
  ]);
});

test('suppress: a reason without ` -- ` is one unknown-rule report per comment; an odd word is not echoed', () => {
  const text = 'a: 1 # keyref-ignore missing-key because Ops makes it\nb: 2 # keyref-ignore ${HACK}\n';
  const r = suppress([f('missing-key', 'x.yaml', 1)], new Map([['x.yaml', text]]), KNOWN);
  assert.deepEqual(r.problems, [
    { path: 'x.yaml', line: 1, problem: 'unknown-rule', ruleId: 'because' },
    { path: 'x.yaml', line: 2, problem: 'unknown-rule' },
  ]);
});

test('suppress: scan reports suppression-comment findings and counts suppressed findings in stats', async () => {
  const deploy = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: api',
    'spec:',
    '  containers:',
    '    - name: api',
    '      image: example/api:1',
    '      envFrom:',
    '        - secretRef:',
    '            name: api-env # keyref-ignore unresolved-refrence',
    '        - configMapRef:',
    '            name: api-cfg # keyref-ignore unresolved-reference',
    '        - configMapRef: # keyref-ignore missing-key',
    '            name: api-cfg2',
  ].join('\n');
  const { findings, stats } = await scan({ files: [{ path: 'pod.yaml', text: deploy }] });
  const shown = findings.map((x) => `${x.line} ${x.ruleId} ${x.severity} ${x.message}`);
  assert.deepEqual(shown, [
    '11 suppression-comment warning This `keyref-ignore` comment names an unknown rule "unresolved-refrence" — did you mean "unresolved-reference"?',
    '11 unresolved-reference warning Secret "api-env" is not defined in this repository.',
    '14 suppression-comment notice This `keyref-ignore missing-key` comment silences nothing on its line.',
    '15 unresolved-reference warning ConfigMap "api-cfg2" is not defined in this repository.',
  ]);
  assert.equal(stats.suppressed, 1);
  // off in the configuration: no reports about comments
  const off = await scan({ files: [{ path: 'pod.yaml', text: deploy }], config: { ...(await import('../../../src/engine/config/schema.js')).DEFAULT_CONFIG, rules: { 'suppression-comment': 'off' } } });
  assert.equal(off.findings.filter((x) => x.ruleId === 'suppression-comment').length, 0);
});
