import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSourceFile } from '../../src/engine/parse/index.js';
import { PRIMER_FILES, primeParser } from '../../src/runner/primer.js';

/** What each primer file must give: the paths of the reader it is there for (a js-yaml upgrade that changes one shows here). */
const EXPECTED: Record<string, string> = {
  'primer/forms.yaml': '7 objects, 9 documents',
  'primer/crlf.yaml': '1 objects, 1 documents',
  'primer/tab.yaml': 'parse-error: tab characters must not be used in indentation',
  'primer/multiline-key.yaml': 'parse-error: can not read a block mapping entry; a multiline key may not be an implicit key',
  'primer/colon.yaml': 'parse-error: can not read an implicit mapping pair; a colon is missed',
  'primer/comma.yaml': 'parse-error: missed comma between flow collection entries',
  'primer/duplicate.yaml': 'duplicate-key: duplicated mapping key',
  'primer/kustomization.yaml': '0 objects, 1 documents',
  'primer/file.json': '1 objects, 1 documents',
  'primer/spaced.json': '1 objects, 1 documents',
  'primer/empty.json': '0 objects, 0 documents',
};

function outcome(path: string, text: string): string {
  const r = parseSourceFile({ path, text });
  assert.notEqual(r, 'aux', path);
  if (r === 'aux') return 'aux';
  if (r.problems.length > 0) return r.problems.map((p) => `${p.kind}: ${p.reason}`).join('; ');
  return `${r.objects.length} objects, ${r.documents} documents`;
}

test('each primer file takes the reader down the path it is there for, in one-byte and two-byte text alike', () => {
  const seen = new Set<string>();
  for (const file of PRIMER_FILES) {
    const plain = file.path.replace('.wide.yaml', '.yaml');
    assert.ok(plain in EXPECTED, `unexpected primer file ${file.path}`);
    assert.equal(outcome(file.path, file.text), EXPECTED[plain], file.path);
    if (file.path.includes('.wide.')) assert.ok(/[^\x00-\xff]/.test(file.text), `${file.path} is not two-byte text`);
    seen.add(file.path);
  }
  for (const path of Object.keys(EXPECTED)) assert.ok(seen.has(path), `missing ${path}`);
  for (const path of Object.keys(EXPECTED).filter((p) => p.endsWith('.yaml'))) assert.ok(seen.has(path.replace('.yaml', '.wide.yaml')), `no two-byte ${path}`);
});

test('the primer is parsed once per file and its results are dropped: a later parse is the same, a throwing parser is survived', () => {
  const file = { path: 'deploy/app.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  k: v\n' };
  const before = parseSourceFile(file);
  const parsed: string[] = [];
  primeParser((f) => {
    parsed.push(f.path);
    return parseSourceFile(f);
  });
  assert.deepEqual(parsed, PRIMER_FILES.map((f) => f.path));
  assert.deepEqual(parseSourceFile(file), before);
  assert.doesNotThrow(() =>
    primeParser(() => {
      throw new Error('boom');
    }),
  );
});

test('the primer is ASCII, as the CLI bundle that carries it must be', () => {
  for (const f of PRIMER_FILES.filter((f) => !f.path.includes('.wide.'))) assert.ok(/^[\x00-\x7f]*$/.test(f.text), f.path);
});
