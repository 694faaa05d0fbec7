import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderRulesDoc } from '../../src/docs/render-rules-doc.js';
import { rules } from '../../src/engine/rules/index.js';

test('docs/rules.md is generated from the rule modules (run `npm run docs`)', () => {
  const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderRulesDoc());
});

test('every rule has complete docs and a unique id', () => {
  const ids = new Set<string>();
  for (const rule of rules) {
    const { id, docs } = rule.meta;
    assert.match(id, /^[a-z]+(-[a-z]+)*$/, id);
    assert.ok(!ids.has(id), `duplicate rule id ${id}`);
    ids.add(id);
    for (const field of ['summary', 'why', 'example', 'fix'] as const) assert.ok(docs[field].trim().length > 0, `${id}: docs.${field}`);
  }
});
