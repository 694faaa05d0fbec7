import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding } from '../../../src/engine/model.js';
import { formatJson, formatSarif, formatText } from '../../../src/engine/report/index.js';
import { applySuppressions } from '../../../src/engine/suppress/index.js';
import { META, input } from './sample.js';

const findingArb: fc.Arbitrary<Finding> = fc.record({
  ruleId: fc.constantFrom('missing-key', 'unresolved-reference', 'some-new-rule'),
  severity: fc.constantFrom('error' as const, 'warning' as const, 'notice' as const),
  path: fc.string({ minLength: 1, maxLength: 30 }),
  line: fc.integer({ min: 0, max: 500 }),
  endLine: fc.integer({ min: 0, max: 500 }),
  message: fc.string({ maxLength: 80 }),
  fingerprint: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 20, maxLength: 20 }),
  introduced: fc.option(fc.boolean(), { nil: undefined }),
  causedBy: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), { nil: undefined }),
}) as fc.Arbitrary<Finding>;

test('reporters: any findings give parseable JSON/SARIF and text with one summary line', () => {
  fc.assert(
    fc.property(fc.array(findingArb, { maxLength: 12 }), fc.boolean(), (findings, review) => {
      const data = input(findings, review ? { review: { base: 'a', head: 'b', fixed: findings.slice(0, 1), changedPaths: ['x'] } } : {});
      const json = JSON.parse(formatJson(data));
      assert.equal(json.findings.length, findings.length);
      const sarif = JSON.parse(formatSarif(data, { rules: META }));
      const run = sarif.runs[0];
      for (const r of run.results) {
        assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
        assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
        assert.ok(r.locations[0].physicalLocation.region.endLine >= r.locations[0].physicalLocation.region.startLine);
      }
      const text = formatText(data, { color: true });
      assert.ok(text.endsWith('\n'));
      assert.match(text.trimEnd().split('\n').at(-1)!, /\d+ errors?, \d+ warnings?, \d+ notices?/);
    }),
    { numRuns: 200 },
  );
});

test('suppression: never throws and only ever removes findings', () => {
  fc.assert(
    fc.property(fc.array(findingArb, { maxLength: 8 }), fc.array(fc.string({ maxLength: 60 }), { maxLength: 20 }), (findings, lines) => {
      const texts = new Map(findings.map((f) => [f.path, [...lines, '# keyref-ignore missing-key'].join('\n')] as const));
      const kept = applySuppressions(findings, texts);
      assert.ok(kept.length <= findings.length);
      for (const k of kept) assert.ok(findings.includes(k));
    }),
    { numRuns: 300 },
  );
});
