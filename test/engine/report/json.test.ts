import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson } from '../../../src/engine/report/index.js';
import { FINDINGS, finding, input } from './sample.js';

test('json: findings with the Finding fields, skipped and stats', () => {
  const out = JSON.parse(formatJson(input()));
  assert.deepEqual(Object.keys(out), ['findings', 'skipped', 'stats']);
  assert.equal(out.findings.length, 3);
  assert.deepEqual(out.findings[0], {
    ruleId: 'missing-key',
    severity: 'error',
    path: 'apps/api/deployment.yaml',
    line: 23,
    endLine: 23,
    message: FINDINGS[0]!.message,
    object: { kind: 'Deployment', name: 'api', namespace: 'shop' },
    fingerprint: FINDINGS[0]!.fingerprint,
  });
  assert.equal(out.findings[1].endLine, 31);
  assert.deepEqual(out.skipped, [{ path: 'charts/web/templates/deploy.yaml', kind: 'file', reason: 'templated (Helm {{ }}), not a manifest' }]);
  assert.deepEqual(out.stats, { files: 42, documents: 130, objects: 120, references: 50, providers: 20 });
});

test('json: review adds introduced/causedBy, fixed and the revisions', () => {
  const findings = [
    finding({ ruleId: 'missing-key', path: 'a.yaml', line: 1, introduced: true, causedBy: ['b.yaml'] }),
    finding({ ruleId: 'missing-key', path: 'c.yaml', line: 1, introduced: false }),
  ];
  const out = JSON.parse(formatJson(input(findings, { review: { base: 'main', head: 'HEAD', fixed: [], changedPaths: ['b.yaml'] } })));
  assert.equal(out.findings[0].introduced, true);
  assert.deepEqual(out.findings[0].causedBy, ['b.yaml']);
  assert.equal(out.findings[1].introduced, false);
  assert.equal('causedBy' in out.findings[1], false);
  assert.deepEqual(out.review, { base: 'main', head: 'HEAD', changedPaths: ['b.yaml'] });
  assert.deepEqual(out.fixed, []);
});
