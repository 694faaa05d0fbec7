import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Location, ManifestObject } from '../../../src/engine/model.js';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { createLineResolver } from '../../../src/engine/parse/positions.js';
import { lineOf } from './helpers.js';

function resolverFor(path: string, text: string) {
  return createLineResolver(new Map([[path, text]]));
}

/** The object parseRepository finds with that name, so docIndex/basePath come from the parser, not the test. */
function objectNamed(path: string, text: string, name: string): ManifestObject {
  const found = parseRepository([{ path, text }]).objects.find((o) => o.name === name);
  assert.ok(found, `no object ${name}`);
  return found;
}

function at(o: ManifestObject, nodePath: (string | number)[], part?: 'key' | 'value'): Location {
  return { path: o.path, docIndex: o.docIndex, nodePath: [...o.basePath, ...nodePath], ...(part ? { part } : {}) };
}

const CM = (name: string, key = 'k') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  ${key}: v\n`;

describe('createLineResolver: exact lines', () => {
  const cases: { name: string; text: string; path?: string; object: string; nodePath: (string | number)[]; part?: 'key' | 'value'; line: string | number; endLine?: string | number }[] = [
    { name: 'plain document', text: CM('a', 'plain'), object: 'a', nodePath: ['data', 'plain'], line: 'plain:' },
    { name: 'leading comments', text: `# one\n# two\n\n${CM('a', 'lead')}`, object: 'a', nodePath: ['data', 'lead'], line: 'lead:' },
    { name: 'leading ---', text: `---\n${CM('a', 'dash')}`, object: 'a', nodePath: ['data', 'dash'], line: 'dash:' },
    { name: 'comments then ---', text: `# c\n---\n# d\n${CM('a', 'cd')}`, object: 'a', nodePath: ['data', 'cd'], line: 'cd:' },
    {
      name: 'second document after an empty and a comment-only one',
      text: `${CM('a')}---\n---\n# only a comment\n---\n${CM('b', 'third')}`,
      object: 'b',
      nodePath: ['data', 'third'],
      line: 'third:',
    },
    {
      name: 'document after `...`',
      text: `${CM('a')}...\n# c\n${CM('b', 'afterdots')}`,
      object: 'b',
      nodePath: ['data', 'afterdots'],
      line: 'afterdots:',
    },
    {
      name: 'directive before ---',
      text: `%YAML 1.2\n---\n${CM('a', 'directive')}`,
      object: 'a',
      nodePath: ['data', 'directive'],
      line: 'directive:',
    },
    {
      name: 'flow mapping',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1",\n  flowkey: "2"}\n',
      object: 'a',
      nodePath: ['data', 'flowkey'],
      line: 'flowkey',
    },
    {
      name: 'whole flow document',
      text: '# c\n{apiVersion: v1, kind: ConfigMap,\n metadata: {name: a},\n data: {fk: "1"}}\n',
      object: 'a',
      nodePath: ['data', 'fk'],
      line: 'fk',
    },
    {
      name: 'CRLF line ends',
      text: `# c\r\n---\r\n${CM('a', 'crlf').replaceAll('\n', '\r\n')}`,
      object: 'a',
      nodePath: ['data', 'crlf'],
      line: 'crlf:',
    },
    { name: 'BOM', text: `\uFEFF# c\n${CM('a', 'bom')}`, object: 'a', nodePath: ['data', 'bom'], line: 'bom:' },
    { name: 'BOM then ---', text: `\uFEFF---\n${CM('a', 'bomdash')}`, object: 'a', nodePath: ['data', 'bomdash'], line: 'bomdash:' },
    {
      name: 'JSON file',
      path: 'a.json',
      text: '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "a"},\n  "data": {\n    "jsonkey": "v"\n  }\n}\n',
      object: 'a',
      nodePath: ['data', 'jsonkey'],
      line: '"jsonkey"',
    },
    {
      name: 'JSON file indented with tabs',
      path: 'a.json',
      text: '{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"metadata": {"name": "a"},\n\t"data": {\n\t\t"tabkey": "v"\n\t}\n}\n',
      object: 'a',
      nodePath: ['data', 'tabkey'],
      line: '"tabkey"',
    },
    {
      name: '*List item',
      text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: first}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: second\n  data:\n    listkey: v\n',
      object: 'second',
      nodePath: ['data', 'listkey'],
      line: 'listkey:',
    },
    {
      name: 'sequence index into containers',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n  - name: b\n    env:\n    - name: X\n      valueFrom:\n        secretKeyRef: {name: s, key: wanted}\n',
      object: 'p',
      nodePath: ['spec', 'containers', 1, 'env', 0, 'valueFrom', 'secretKeyRef', 'key'],
      line: 'wanted',
    },
    {
      name: 'value on the next line',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\n    nextline\n',
      object: 'nextline',
      nodePath: ['metadata', 'name'],
      line: '    nextline',
    },
    {
      name: 'key part of a value on the next line',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\n    nl\n',
      object: 'nl',
      nodePath: ['metadata', 'name'],
      part: 'key',
      line: '  name:',
    },
    {
      name: 'block scalar: line of the indicator, endLine of its last line',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  script: |\n    one\n    two\n\n  other: x\n',
      object: 'a',
      nodePath: ['data', 'script'],
      line: 'script:',
      endLine: '    two',
    },
    {
      name: 'mapping: endLine is its last entry, not the trailing comment or blank lines',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  a: "1"\n  b: "2"\n\n# trailing\n',
      object: 'a',
      nodePath: ['data'],
      line: '  a: "1"',
      endLine: '  b: "2"',
    },
    {
      name: 'missing key: the deepest existing ancestor, at its key line',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  a: "1"\n',
      object: 'a',
      nodePath: ['data', 'missing'],
      line: 4,
      endLine: '  a: "1"',
    },
    {
      name: 'path through a scalar stops at the scalar',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: scalar\n',
      object: 'a',
      nodePath: ['data', 'x', 'y'],
      line: 4,
    },
    {
      name: 'numeric-looking key',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  a: x\n  8080: port\n',
      object: 'a',
      nodePath: ['data', '8080'],
      line: '8080:',
    },
    {
      name: 'quoted key',
      text: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  'quoted.key': x\n",
      object: 'a',
      nodePath: ['data', 'quoted.key'],
      part: 'key',
      line: 'quoted.key',
    },
    {
      name: 'empty nodePath: the document',
      text: '# c\n---\n\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      object: 'a',
      nodePath: [],
      line: 'apiVersion',
      endLine: 'metadata',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const path = c.path ?? 'f.yaml';
      const o = objectNamed(path, c.text, c.object);
      const got = resolverFor(path, c.text)(at(o, c.nodePath, c.part));
      const line = typeof c.line === 'number' ? c.line : lineOf(c.text, c.line);
      const endLine = c.endLine === undefined ? line : typeof c.endLine === 'number' ? c.endLine : lineOf(c.text, c.endLine);
      assert.deepEqual(got, { line, endLine });
    });
  }
});

describe('createLineResolver: fallbacks', () => {
  const text = CM('a');
  const lineOfLoc = resolverFor('f.yaml', text);
  test('an explicit line wins', () => {
    assert.deepEqual(lineOfLoc({ path: 'f.yaml', line: 42 }), { line: 42, endLine: 42 });
    assert.deepEqual(lineOfLoc({ path: 'f.yaml', line: 3, endLine: 5, nodePath: ['data'] }), { line: 3, endLine: 5 });
  });
  test('unknown file, unknown document, no nodePath', () => {
    assert.deepEqual(lineOfLoc({ path: 'nope.yaml', docIndex: 0, nodePath: ['a'] }), { line: 1, endLine: 1 });
    assert.deepEqual(lineOfLoc({ path: 'f.yaml', docIndex: 7, nodePath: ['a'] }), { line: 1, endLine: 1 });
    assert.equal(lineOfLoc({ path: 'f.yaml' }).line, 1);
  });
  test('a document that yaml cannot parse gives its first line', () => {
    const broken = `${CM('a')}---\n# c\nkey: [unclosed\n`;
    const r = resolverFor('b.yaml', broken)({ path: 'b.yaml', docIndex: 1, nodePath: ['key', 0] });
    assert.ok(r.line >= 7 && r.line <= 9, `line ${r.line}`);
  });
  test('deeply nested input never throws', () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    const r = resolverFor('d.yaml', deep)({ path: 'd.yaml', docIndex: 0, nodePath: [0, 0, 0] });
    assert.equal(r.line, 1);
  });
  test('a file is parsed once: later lookups are served from the cache', () => {
    const big = Array.from({ length: 200 }, (_, i) => CM(`cm${i}`, `key${i}`)).join('---\n');
    const resolve = resolverFor('big.yaml', big);
    for (let i = 0; i < 200; i += 37) {
      assert.equal(resolve({ path: 'big.yaml', docIndex: i, nodePath: ['data', `key${i}`] }).line, lineOf(big, `key${i}:`));
    }
  });
});

test('the resolver keeps only recently used files, and places a line the same after it dropped a file', () => {
  // Flow style sends the lookups to the position-keeping parse, the part of the index worth dropping.
  const texts = new Map<string, string>();
  for (let i = 0; i < 200; i++) texts.set(`f${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n\ndata: {a: x, b: y, k${i}: z}\n`);
  const resolve = createLineResolver(texts);
  const place = (i: number) => resolve({ path: `f${i}.yaml`, docIndex: 0, nodePath: ['data', `k${i}`] });
  const first = [0, 1, 2].map(place);
  assert.deepEqual(first, [0, 1, 2].map(() => ({ line: 5, endLine: 5 })));
  for (let i = 3; i < 200; i++) assert.deepEqual(place(i), { line: 5, endLine: 5 });
  // f0..f2 were dropped by now; asked again, they are read again and placed alike.
  assert.deepEqual([0, 1, 2].map(place), first);
});
