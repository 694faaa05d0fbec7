import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINGERPRINT_KEY, formatSarif, pathToUri, toSarif } from '../../../src/engine/report/index.js';
import { SECURITY_SEVERITY } from '../../../src/engine/report/sarif.js';
import { rules } from '../../../src/engine/rules/index.js';
import { FINDINGS, META, finding, input } from './sample.js';

const TOOL = { name: 'keyref', version: '1.2.3', informationUri: 'https://example.test/keyref', rulesDocUri: 'https://example.test/keyref/rules.md' };

test('sarif: the fields GitHub code scanning requires', () => {
  const log = JSON.parse(formatSarif(input(), { rules: META, tool: TOOL }));
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'keyref');
  assert.equal(run.tool.driver.version, '1.2.3');
  assert.equal(run.tool.driver.informationUri, 'https://example.test/keyref');
  const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.deepEqual(ids, ['missing-key', 'unresolved-reference', 'wrong-kind'], 'registry rules first, then unknown ones named by findings');
  const mk = run.tool.driver.rules[0];
  assert.equal(mk.shortDescription.text, 'missing-key summary');
  assert.equal(mk.fullDescription.text, 'missing-key why');
  assert.equal(mk.helpUri, 'https://example.test/keyref/rules.md#missing-key');
  assert.equal(mk.defaultConfiguration.level, 'error');
  assert.equal(run.tool.driver.rules[1].defaultConfiguration.level, 'warning');

  assert.equal(run.results.length, 3);
  for (const [i, r] of run.results.entries()) {
    const f = FINDINGS[i]!;
    assert.equal(r.ruleId, f.ruleId);
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.equal(typeof r.message.text, 'string');
    assert.ok(r.message.text.length > 0);
    const loc = r.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, f.path);
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(loc.region.startLine, f.line);
    assert.equal(loc.region.endLine, f.endLine);
    assert.deepEqual(r.partialFingerprints, { [FINGERPRINT_KEY]: f.fingerprint });
  }
  assert.deepEqual(
    run.results.map((r: { level: string }) => r.level),
    ['error', 'warning', 'note'],
  );
  assert.equal(run.invocations[0].executionSuccessful, true);
  assert.equal(run.invocations[0].toolExecutionNotifications.length, 1);
});

test('sarif: URIs are relative and percent-encoded, lines at least 1', () => {
  assert.equal(pathToUri('a dir/x#1.yaml'), 'a%20dir/x%231.yaml');
  const log = toSarif(input([finding({ ruleId: 'missing-key', path: 'a b/c.yaml', line: 0, endLine: 0 })]), { rules: META });
  const loc = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!;
  assert.equal(loc.artifactLocation!.uri, 'a%20b/c.yaml');
  assert.equal(loc.region!.startLine, 1);
  assert.equal(loc.region!.endLine, 1);
});

test('sarif: review sets baselineState', () => {
  const log = toSarif(
    input([finding({ ruleId: 'missing-key', path: 'a.yaml', line: 1, introduced: true }), finding({ ruleId: 'missing-key', path: 'b.yaml', line: 1, introduced: false })], {
      review: { base: 'a', head: 'b', fixed: [], changedPaths: [] },
    }),
    { rules: META },
  );
  assert.deepEqual(
    log.runs[0]!.results!.map((r) => r.baselineState),
    ['new', 'unchanged'],
  );
});

test('sarif: every registered rule gets a complete descriptor', () => {
  const log = toSarif(input([]), { rules: rules.map((r) => r.meta) });
  for (const d of log.runs[0]!.tool.driver.rules!) {
    assert.ok(d.shortDescription?.text);
    assert.ok(d.fullDescription?.text);
    assert.match(d.helpUri ?? '', new RegExp(`rules\\.md#${d.id}$`));
    assert.ok(['error', 'warning', 'note'].includes(d.defaultConfiguration?.level ?? ''));
  }
});

test('sarif: every rule has a security-severity GitHub code scanning can rank (leaks high, breakage medium)', () => {
  const log = JSON.parse(formatSarif(input(), { rules: rules.map((r) => r.meta), tool: TOOL }));
  const byId = new Map<string, { properties: { tags: string[]; 'security-severity': string } }>(log.runs[0].tool.driver.rules.map((r: { id: string }) => [r.id, r]));
  for (const rule of rules) {
    const d = byId.get(rule.meta.id)!;
    assert.ok(d.properties.tags.includes('security'), `${rule.meta.id} is tagged security`);
    const score = Number(d.properties['security-severity']);
    assert.match(d.properties['security-severity'], /^\d+\.\d$/);
    assert.ok(score > 0 && score <= 10, `${rule.meta.id}: ${score}`);
    assert.ok(rule.meta.id in SECURITY_SEVERITY, `${rule.meta.id} has a deliberate score in SECURITY_SEVERITY`);
  }
  assert.ok(Number(byId.get('plaintext-secret')!.properties['security-severity']) >= 7, 'a committed secret ranks high');
  assert.ok(Number(byId.get('missing-key')!.properties['security-severity']) >= 4, 'a pod that will not start ranks medium');
});
