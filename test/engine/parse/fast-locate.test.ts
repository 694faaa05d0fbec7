// The resolver's indentation-based fast path must agree with the `yaml`-based path whenever it answers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import type { NodePath } from '../../../src/engine/model.js';
import { docLines, fastLocate } from '../../../src/engine/parse/fast-locate.js';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { createLineResolver } from '../../../src/engine/parse/positions.js';

function allPaths(value: unknown, base: NodePath = [], out: NodePath[] = []): NodePath[] {
  out.push(base);
  if (value && typeof value === 'object') {
    if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...base, i], out));
    else for (const [k, v] of Object.entries(value)) allPaths(v, [...base, k], out);
  }
  return out;
}

/** Compares both paths on every node of every object of `text`; returns how many the fast path answered. */
function compare(text: string, path = 'f.yaml'): number {
  const repo = parseRepository([{ path, text }], { noScreen: true });
  const texts = new Map([[path, text]]);
  const slow = createLineResolver(texts, { fastPath: false });
  const fast = createLineResolver(texts);
  let answered = 0;
  for (const o of repo.objects) {
    for (const p of allPaths(o.value, o.basePath)) {
      for (const part of ['key', 'value'] as const) {
        const loc = { path, docIndex: o.docIndex, nodePath: p, part };
        assert.deepEqual(fast(loc), slow(loc), `${p.join('.')} (${part}) in\n${text}`);
        answered++;
      }
    }
  }
  return answered;
}

describe('fast path', () => {
  test('answers for plain block manifests', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    env:\n      - name: X\n        value: "1"\n';
    const lines = docLines(text);
    assert.deepEqual(fastLocate(lines, ['spec', 'containers', 0, 'env', 0, 'value'], 'value'), { line: 9, endLine: 9 });
    assert.deepEqual(fastLocate(lines, ['spec', 'containers', 0], 'value'), { line: 6, endLine: 9 });
    assert.deepEqual(fastLocate(lines, ['spec', 'containers'], 'key'), { line: 5, endLine: 5 });
    compare(text);
  });

  test('declines what it cannot be sure of', () => {
    const cases: [string, NodePath][] = [
      ['a: &x\n  b: 1\n', ['a', 'b']],
      ['a:\n  <<: {b: 1}\n', ['a', 'b']],
      ['a: {b: 1}\n', ['a', 'c']],
      ['a: {b: [1]}\n', ['a', 'b', 1]],
      ['a: {b: 1, b: 2}\n', ['a', 'b']],
      ['"a\\u0062": 1\n', ['ab']],
      ['? a\n: 1\n', ['a']],
      ['a:\n\tb: 1\n', ['a', 'b']],
      ['a: 1\n', ['missing']],
      ['--- {a: 1}\n', ['a']],
      ['a: [1,\n  2\n]\n', ['a']],
      ['- - x\n', [0, 0]],
    ];
    for (const [text, path] of cases) assert.equal(fastLocate(docLines(text), path, 'value'), undefined, text);
  });

  test('answers inside a flow collection that closes on its line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  env:\n  - valueFrom:\n      configMapKeyRef: {name: cfg, key: k}\n  - {name: X, value: "1"}\n';
    const lines = docLines(text);
    assert.deepEqual(fastLocate(lines, ['spec', 'env', 0, 'valueFrom', 'configMapKeyRef', 'key'], 'value'), { line: 5, endLine: 5 });
    assert.deepEqual(fastLocate(lines, ['spec', 'env', 1, 'value'], 'value'), { line: 6, endLine: 6 });
    assert.ok(compare(text) > 0);
  });

  test('agrees with the yaml path on tricky layouts', () => {
    const texts = [
      '# c\n---\n# d\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  # comment\n  a: |\n    one\n    # not a comment\n\n  b: >-\n    folded\n  "quoted": \'it\'\'s\'\n  \'single\': x\n  empty:\n  trailing: v # comment\n',
      'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: v1\r\n  kind: Secret\r\n  metadata:\r\n    name: s\r\n  stringData:\r\n    k:\r\n      multi\r\n      line\r\n',
      '\uFEFFapiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    -   name: a\n        args: ["x", "y"]\n        env:\n        -\n          name: X\n          value: "a: b # c"\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    a.b/c: "1"\n    url: http://x:80/y\n    key with spaces: v\n    "8080": port\n',
      '  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: indented-root\n',
    ];
    for (const text of texts) assert.ok(compare(text) > 0);
  });

  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('a: b', '# x', '- y', 'line\nbreak', "it's", '"q"', '{x}', '[y]'));
  const key = fc.oneof(fc.stringMatching(/^[a-zA-Z][\w.\-/]{0,8}$/), fc.constantFrom('a b', '8080', 'true', 'null', 'x:y', "o'k", '"dq"', '#h', '-d'));
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    seq: fc.array(tie('node'), { maxLength: 3 }),
  }));

  test('property: agrees with the yaml path on js-yaml dumps of random objects, in every layout', () => {
    fc.assert(
      fc.property(
        tree.map,
        fc.record({ indent: fc.constantFrom(2, 4), noArrayIndent: fc.boolean(), flowLevel: fc.constantFrom(-1, -1, 2, 3), lineWidth: fc.constantFrom(80, 10, -1), quotingType: fc.constantFrom("'", '"') as fc.Arbitrary<"'" | '"'>, forceQuotes: fc.boolean() }),
        fc.boolean(),
        (spec, options, crlf) => {
          const value = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec };
          let text = jsyaml.dump(value, options);
          if (crlf) text = text.replaceAll('\n', '\r\n');
          compare(text);
          compare(`# lead\n---\n${text}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
