import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFieldPath, parseConfig } from '../../../src/engine/config/load.js';
import { configSchema, DEFAULT_CONFIG, globProblem } from '../../../src/engine/config/schema.js';

const IDS = ['missing-key', 'unresolved-reference', 'wrong-kind'];
const SRC = '.github/keyref.yml';
const parse = (text: string) => parseConfig(text, SRC, { ruleIds: IDS });

function failure(text: string): { message: string; line?: number } {
  const r = parse(text);
  assert.equal(r.ok, false, `expected ${JSON.stringify(text)} to be rejected`);
  return r as { message: string; line?: number };
}

test('config: the written-out default is what the schema makes of an empty configuration', () => {
  assert.deepEqual(DEFAULT_CONFIG, configSchema.parse({}));
});

test('config: empty file and comment-only file are the default configuration', () => {
  for (const text of ['', '\n', '# keyref settings\n', '---\n']) {
    const r = parse(text);
    assert.ok(r.ok);
    assert.deepEqual(r.config, DEFAULT_CONFIG);
  }
});

test('config: a full valid configuration', () => {
  const r = parse(
    [
      'include: ["deploy/**"]',
      'exclude:',
      '  - "deploy/legacy/**"',
      'rules:',
      '  missing-key: warning',
      '  wrong-kind: off',
      'externalObjects:',
      '  - kind: Secret',
      '    name: registry-credentials',
      '    namespace: shop',
      '  - kind: ConfigMap',
      '    name: cluster-info',
      '    keys: [region, zone]',
      'app:',
      '  reviewDrafts: true',
      '',
    ].join('\n'),
  );
  assert.ok(r.ok);
  assert.deepEqual(r.config.include, ['deploy/**']);
  assert.deepEqual(r.config.rules, { 'missing-key': 'warning', 'wrong-kind': 'off' });
  assert.equal(r.config.externalObjects.length, 2);
  assert.deepEqual(r.config.externalObjects[1], { kind: 'ConfigMap', name: 'cluster-info', keys: ['region', 'zone'] });
  assert.equal(r.config.app.reviewDrafts, true);
  assert.equal(r.config.app.maxInlineComments, 30);
});

test('config: a bad severity names the file, line and field', () => {
  const r = failure('# keyref\ninclude: []\nrules:\n  missing-key: fatal\n');
  assert.equal(r.line, 4);
  assert.equal(r.message, '`.github/keyref.yml` line 4: rules.missing-key: expected one of error|warning|notice|off');
});

test('config: unknown rule ids are rejected with the valid ids and a suggestion', () => {
  const r = failure('rules:\n  missing-key: error\n  missing-keys: off\n');
  assert.equal(r.line, 3);
  assert.match(r.message, /line 3: rules\.missing-keys: unknown rule id \(did you mean "missing-key"\?\); valid ids: missing-key, unresolved-reference, wrong-kind/);
});

test('config: unknown fields, wrong types and missing fields point at their lines', () => {
  let r = failure('include: []\ninclde: [a]\n');
  assert.equal(r.line, 2);
  assert.match(r.message, /inclde: unknown field \(did you mean "include"\?\)/);

  r = failure('exclude: "vendor/**"\n');
  assert.equal(r.message, '`.github/keyref.yml` line 1: exclude: expected array, got string');

  r = failure('externalObjects:\n  - kind: Secret\n    name: a\n  - kind: Secrets\n    name: b\n');
  assert.equal(r.line, 4);
  assert.match(r.message, /externalObjects\[1\]\.kind: expected one of ConfigMap\|Secret/);

  r = failure('externalObjects:\n  - kind: Secret\n');
  assert.match(r.message, /line 2: externalObjects\[0\]\.name: missing required field/);

  r = failure('app:\n  inlineComments: true\n  maxInlineComments: 500\n');
  assert.equal(r.line, 3);
  assert.match(r.message, /app\.maxInlineComments:/);
});

test('config: several problems are all reported, one per line, in line order', () => {
  const r = failure('rules:\n  wrong-kind: nope\nfoo: 1\n');
  const lines = r.message.split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /line 2: rules\.wrong-kind/);
  assert.match(lines[1]!, /line 3: foo: unknown field/);
});

test('config: invalid YAML, duplicate keys, non-mapping top level', () => {
  let r = failure('rules:\n  missing-key: [error\n');
  assert.match(r.message, /^`\.github\/keyref\.yml` line \d+: not valid YAML: /);
  assert.equal(typeof r.line, 'number');
  r = failure('include: []\ninclude: []\n');
  assert.equal(r.line, 2);
  assert.match(r.message, /not valid YAML/);
  r = failure('- include\n');
  assert.match(r.message, /line 1: expected a mapping of settings at the top level, got a list/);
  r = failure('just a string\n');
  assert.match(r.message, /got string/);
  r = failure('a: 1\n---\nb: 2\n');
  assert.match(r.message, /not valid YAML/);
});

test('config: the default rule ids come from the rule registry', () => {
  const r = parseConfig('rules:\n  definitely-not-a-rule: off\n', SRC);
  assert.equal(r.ok, false);
});

test('formatFieldPath', () => {
  assert.equal(formatFieldPath(['externalObjects', 0, 'keys', 2]), 'externalObjects[0].keys[2]');
  assert.equal(formatFieldPath(['rules', 'missing-key']), 'rules.missing-key');
});

test('config: never throws, whatever the text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const r = parse(text);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(r.message.startsWith('`.github/keyref.yml`'));
    }),
    { numRuns: 300 },
  );
  // An alias bomb is rejected, not expanded.
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
  assert.equal(parse(bomb).ok, false);
});

test('globs: bounded length and wildcards, no extglobs; the schema the App uses refuses them too', () => {
  for (const ok of ['deploy/**', '**/testdata/**', '**/*-secret*.yaml', 'k8s/**/*.{yaml,yml}', '**/charts/**/templates/**', 'a?b.yaml']) {
    assert.equal(globProblem(ok), undefined, ok);
  }
  const hostile = `${'*a'.repeat(40)}b`;
  assert.match(globProblem(hostile) ?? '', /40 wildcards/);
  assert.match(globProblem('x'.repeat(257)) ?? '', /257 characters/);
  assert.match(globProblem('+(a|aa)b') ?? '', /extglob/);
  assert.match(globProblem('deploy/*a*b*c') ?? '', /3 wildcards in one path segment/);
  assert.match(globProblem('') ?? '', /empty/);
  const result = parseConfig(`exclude:\n  - "${hostile}"\n`, '.github/keyref.yml');
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.message, /^`\.github\/keyref\.yml` line 2: exclude\[0\]: glob with 40 wildcards/);
  assert.equal(configSchema.safeParse({ include: [hostile] }).success, false);
  assert.equal(configSchema.safeParse({ include: Array.from({ length: 101 }, (_, i) => `d${i}/**`) }).success, false);
});
