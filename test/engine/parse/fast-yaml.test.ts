import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { documentsOf } from '../../../src/engine/parse/documents.js';
import { fastLoadYaml, resolvePlain } from '../../../src/engine/parse/fast-yaml.js';
import { KUBERNETES_SCHEMA, loadYaml } from '../../../src/engine/parse/schema.js';

/** js-yaml's verdict on a document: its value, or that it throws. */
function jsYaml(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: loadYaml(text) };
  } catch {
    return { ok: false };
  }
}

/** The contract: the fast reader gives up, or gives exactly what js-yaml gives (and never accepts what js-yaml rejects). */
function assertAgrees(text: string): unknown {
  const fast = fastLoadYaml(text);
  if (fast === undefined) return undefined;
  const reference = jsYaml(text);
  assert.ok(reference.ok, `fast reader accepted a document js-yaml rejects:\n${text}`);
  assert.deepStrictEqual(fast, reference.value, `fast reader disagrees with js-yaml on:\n${text}`);
  return fast;
}

const DEPLOYMENT = `# leading comment
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # trailing comment
  labels: {}
  annotations:
    example.com/url: http://x:80/path
    'quoted key': "double: quoted # not a comment"
    it's: 'single ''quoted'''
spec:
  replicas: 3
  template:
    spec:
      imagePullSecrets: []
      containers:
      - name: app
        image: nginx:1.27
        args: ["--port", 8080, true, null, x-y]
        env:
        - name: A
          valueFrom:
            configMapKeyRef:
              name: cfg
              key: a
              optional: true
        - name: B
          value: "2024-01-01"
        -   name: C
            value: 2024-01-01
      -
        name: sidecar
        command:
          - sh
          - -c
          - |
            echo one
              indented
            echo two

`;

const BLOCK_SCALARS = `data:
  clip: |
    a
    b


  strip: |-
    a

  keep: |+
    a


  folded: >
    one
    two

    three
      more indented
    four
  folded-strip: >-
    x
    y
  spaces: |
    a
      
    b
  last: |
    tail`;

describe('fast YAML reader', () => {
  for (const [name, text] of [
    ['a Deployment with comments, quotes, flow sequences and a nested block scalar', DEPLOYMENT],
    ['literal and folded block scalars with every chomping mode', BLOCK_SCALARS],
    ['scalars the schema resolves', 'a: true\nb: False\nc: ~\nd: null\ne: 0x1F\nf: 1_000\ng: 1.5e3\nh: .inf\ni: -.NaN\nj: 0o17\nk: yes\nl: "true"\nm: 012\nn: +1\no: <<\n'],
    ['keys the schema resolves', 'true: a\n1: b\nnull: c\n1.5: d\n0x10: e\n'],
    ['a sequence at the top level', '- a\n- b: c\n  d: e\n'],
    ['an explicit start with a comment', '--- # start\na: b\n'],
    ['one-line flow mappings', 'labels: {app: web, "tier": \'front\', n: 1}\nenvFrom:\n- secretRef: { name: creds }\n'],
    ['quoted scalars over several lines', 'a: "one\n  two  \n\n  three\\\n    four\\\n  \\ five"\nb: \'x\n  \'\'y\'\'\n\n\n  z\'\nc: "\n  "\n'],
    ['multi-line plain scalars', 'a: one\n  two\n\n   three\nb:\n- x\n  y\n- k: v\n    w\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\nc: &m\n  d: e\nf: *m\ng:\n- &s [1, 2]\n- *s # again\n'],
    ['a value on a line of its own', 'a:\n  plain text\n   goes on\nb:\n  "quoted\n  text"\nc:\n- [1]\n-\n  x\n- "multi\n  line"\n'],
    ['double-quoted escapes', 'a: "\\U0001F600\\U0000d83d tab\\there \\"q\\" \\\\ \\/ \\x41\\u00e9\\n\\0\\_\\N\\L\\ "\n'],
    ['flow collections over several lines, JSON style', '{\n  "apiVersion": "v1", # c\n  kind: Secret,\n  data: {\n    a: "x",\n  },\n  list: [\n    1, [2]],\n}\n'],
    ['a flow value over several lines in a block mapping', 'a: {x: 1,\ny: 2}\nb: [\n  "q"]\n'],
    ['nested one-line flow collections', 'ports: [{containerPort: 8080, protocol: TCP}, {}]\nm: {a: [1, 2], b: {c: d}}\n'],
  ] as const) {
    test(`reads ${name} exactly as js-yaml does`, () => {
      assert.notEqual(assertAgrees(text), undefined, 'expected the fast reader to take this document');
    });
  }

  const notTaken: [string, string][] = [
    ['an alias of an unknown anchor (js-yaml rejects it)', 'a: *x\n'],
    ['an anchored alias (js-yaml rejects it)', 'a: &x 1\nb: &y *x\n'],
    ['a merge of an alias', 'base: &b\n  x: 1\nother:\n  <<: *b\n'],
    ['an anchor on a key', '&k a: 1\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a: {}\n<<: {}\n'],
    ['a duplicate key (js-yaml rejects it)', 'a: 1\na: 2\n'],
    ['a comment inside a multi-line plain scalar', 'a: one\n  # c\n  two\n'],
    ['a deeper line after a plain scalar and a comment (js-yaml rejects it)', 'a: one # c\n  two\n'],
    ['a quoted scalar that never closes (js-yaml rejects it)', 'a: "one\n  two\n'],
    ['a document marker inside a quoted scalar', 'a: "one\n---\n  two"\n'],
    ['a \\U escape beyond Unicode', 'a: "\\UFFFFFFFF"\n'],
    ['an unknown escape (js-yaml rejects it)', 'a: "\\q"\n'],
    ['a tab in indentation', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte-order mark', '\uFEFFa: 1\n'],
    ['a bad dedent (js-yaml rejects it)', 'a:\n    b: 1\n  c: 2\n'],
    ['a value that is also a key (js-yaml rejects it)', 'a: b: c\n'],
    ['an unclosed flow collection (js-yaml rejects it)', 'a: {b: [c}\n'],
    ['a flow mapping entry without a blank after the colon', 'a: {b:c}\n'],
    ['a plain scalar at a line end inside a flow collection', 'a: [1,\n  2\n  ]\n'],
    ['a flow collection that never closes (js-yaml rejects it)', 'a: [1,\n  2\nb: 3\n'],
    ['an explicit indentation indicator', 'a: |2\n   x\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document of one scalar', 'just text\n'],
    ['a key with a blank before the colon', 'a : 1\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['control characters', 'a: b\u0001\n'],
    ['deep nesting', `${Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} v\n`],
  ];
  for (const [name, text] of notTaken) {
    test(`leaves ${name} to js-yaml`, () => {
      assert.equal(fastLoadYaml(text), undefined);
    });
  }

  test('resolves plain scalars exactly as the schema does', () => {
    const implicit = (KUBERNETES_SCHEMA as unknown as { compiledImplicit: { resolve(s: string): boolean; construct(s: string): unknown }[] }).compiledImplicit;
    const reference = (s: string): unknown => {
      for (const t of implicit) if (t.resolve(s)) return t.construct(s);
      return s;
    };
    const words = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.constantFrom('true', 'True', 'TRUE', 'false', 'null', 'Null', 'NULL', '~', 'nan', 'no', 'on', 'yes', 'Infinity', 'fal', 'n', 't', 'f', 'N', 'T', 'F', '<<'),
      fc.stringMatching(/^[-+]?(?:0[xob])?[0-9a-fA-F_.eE]{1,8}$/),
    );
    fc.assert(
      fc.property(words, (s) => {
        assert.deepStrictEqual(resolvePlain(s), reference(s));
      }),
      { numRuns: 3000 },
    );
  });
});

// --- differential property: generated block YAML, then mutated -------------------------------------------

type Node = string | Node[] | { [key: string]: Node };

const scalarText = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9._/-]{0,10}$/) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'False', 'null', '~', '1', '-2', '0x1F', '1e3', '.5', '012', '<<', 'yes', '2024-01-01', '', ' ', 'a b', 'x:y', 'a: b', 'a #b', 'a#b', '#c', '-', '- x', '--x', '"q"', "'q'", "it's", '[a]', '{a}', '*a', '&a', '!t', '|', '>', '%', '@', '`', '?', 'tab\there', 'one two three four', 'a  b c', 'é', '\\', 'x\\ty', '\\u00e9', '\\x4', '\\q', '&a x', '&a', '*b', '&b [1]') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarText,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._/-]{0,8}$/), scalarText), tie('node'), { maxKeys: 4 }),
  ),
})).node;

interface Style {
  readonly scalar: number; // picks plain, quoted, block or flow renderings
  readonly sameIndentSequences: boolean;
  readonly comments: boolean;
  readonly step: number;
}

function renderScalar(s: string, indent: number, pick: number): string[] {
  switch (pick % 8) {
    case 6:
    case 7: {
      // a quoted scalar over several lines; in double quotes, now and then an escaped line break or blank
      const q = pick % 8 === 6 ? '"' : "'";
      const words = s.split(' ');
      return words.map((w, i) => {
        const text = `${i === 0 ? q : `${' '.repeat(indent)}${q === '"' && i % 3 === 2 ? '\\ ' : ''}`}${w}${i === words.length - 1 ? q : q === '"' && i % 2 === 1 ? '\\' : i % 4 === 3 ? '  ' : ''}`;
        return i === 2 ? `\n${text}` : text;
      });
    }
    case 5: {
      // a multi-line plain scalar: one word per line, a blank line now and then
      const [first = '', ...rest] = s.split(' ');
      return [first, ...rest.flatMap((w, i) => (i % 2 === 1 ? ['', `${' '.repeat(indent)}${w}`] : [`${' '.repeat(indent)}${w}`]))];
    }
    case 0:
    case 1:
      return [s];
    case 2:
      return [`"${s}"`];
    case 3:
      return [`'${s.replaceAll("'", "''")}'`];
    default: {
      const header = ['|', '|-', '|+', '>', '>-'][pick % 5 === 4 ? (s.length + indent) % 5 : 0] as string;
      return [header, ...s.split(' ').map((w) => `${' '.repeat(indent)}${w}`)];
    }
  }
}

/**
 * A flow rendering (scalars as they are: some make it invalid, which is the point); with `breakAt`,
 * JSON style over several lines, with a comment and a trailing comma now and then.
 */
function flowText(node: Node, breakAt?: string): string {
  if (typeof node === 'string') return node;
  const inner = (n: Node) => flowText(n, breakAt === undefined ? undefined : `${breakAt}  `);
  const parts = Array.isArray(node) ? node.map(inner) : Object.entries(node).map(([k, v]) => `${k}: ${inner(v)}`);
  const sep = breakAt === undefined ? ', ' : `,${parts.length % 3 === 1 ? ' # c' : ''}\n${breakAt}  `;
  const [open, close] = Array.isArray(node) ? ['[', ']'] : ['{', '}'];
  if (breakAt === undefined) return `${open}${parts.join(sep)}${close}`;
  return `${open}\n${breakAt}  ${parts.join(sep)}${parts.length % 2 === 1 ? ',' : ''}\n${breakAt}${close}`;
}

/** Renders a tree as block YAML lines, with a little variety chosen by `style` and `salt`. */
function render(node: Node, indent: number, style: Style, salt: number): { inline?: string; lines: string[] } {
  const pad = ' '.repeat(indent);
  if (typeof node === 'string') {
    const [first, ...rest] = renderScalar(node, indent + style.step, style.scalar + salt);
    return { inline: first, lines: rest };
  }
  if (Array.isArray(node)) {
    if (node.length === 0) return { inline: '[]', lines: [] };
    if (salt % 4 === 0) return { inline: flowText(node, salt % 8 === 4 ? pad : undefined), lines: [] };
    const lines: string[] = [];
    node.forEach((item, i) => {
      const child = render(item, indent + 2, style, salt + i);
      if (child.inline !== undefined) lines.push(`${pad}- ${child.inline}`, ...child.lines);
      else if (!Array.isArray(item) && child.lines.length > 0 && (salt + i) % 2 === 0) {
        // compact: `- key: value` with the other keys under it
        lines.push(`${pad}- ${(child.lines[0] as string).trimStart()}`, ...child.lines.slice(1));
      } else lines.push(`${pad}-`, ...child.lines);
      if (style.comments && i === 0) lines.push(`${pad}  # note`);
    });
    return { lines };
  }
  const entries = Object.entries(node);
  if (entries.length === 0) return { inline: '{}', lines: [] };
  if (salt % 4 === 1) return { inline: flowText(node, salt % 8 === 5 ? pad : undefined), lines: [] };
  const lines: string[] = [];
  entries.forEach(([key, value], i) => {
    const k = /^[A-Za-z]/.test(key) ? key : `"${key}"`;
    const sameIndent = style.sameIndentSequences && Array.isArray(value);
    const child = render(value, sameIndent ? indent : indent + style.step, style, salt + i);
    if (child.inline !== undefined && child.lines.length === 0 && (salt + i) % 5 === 3) lines.push(`${pad}${k}:`, `${pad}${' '.repeat(style.step)}${child.inline}`);
    else if (child.inline !== undefined) lines.push(`${pad}${k}: ${child.inline}${style.comments && i === 1 ? ' # c' : ''}`, ...child.lines);
    else lines.push(`${pad}${k}:`, ...child.lines);
    if (style.comments && i === 0) lines.push('', `${pad}# comment`);
  });
  return { lines };
}

const style = fc.record({
  scalar: fc.nat(20),
  sameIndentSequences: fc.boolean(),
  comments: fc.boolean(),
  step: fc.constantFrom(2, 4),
});

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'indent', 'dedent', 'none', 'none'),
  text: fc.constantFrom(' ', '  ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '\n', '\t', '|', '>', '[', ']', '{', '}', ',', '&a ', '*a', '!', '?', '---', '...', '\\', '\r'),
});

function mutate(text: string, m: { at: number; kind: string; text: string }): string {
  const i = text.length === 0 ? 0 : m.at % text.length;
  switch (m.kind) {
    case 'insert':
      return text.slice(0, i) + m.text + text.slice(i);
    case 'delete':
      return text.slice(0, i) + text.slice(i + 1);
    case 'indent':
    case 'dedent': {
      const lines = text.split('\n');
      const l = m.at % lines.length;
      lines[l] = m.kind === 'indent' ? ` ${lines[l]}` : (lines[l] as string).replace(/^ /, '');
      return lines.join('\n');
    }
    default:
      return text;
  }
}

test('on generated and mutated block YAML, the fast reader agrees with js-yaml or gives up', () => {
  const root = fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9._/-]{0,8}$/), tree, { minKeys: 1, maxKeys: 5 });
  let taken = 0;
  fc.assert(
    fc.property(root, style, fc.array(mutation, { maxLength: 3 }), fc.boolean(), (node, s, mutations, trailingNewline) => {
      let text = render(node, 0, s, 0).lines.join('\n') + (trailingNewline ? '\n' : '');
      for (const m of mutations) text = mutate(text, m);
      if (assertAgrees(text) !== undefined) taken++;
    }),
    { numRuns: 3000 },
  );
  // the generator must mostly produce documents the reader takes, or the property proves little
  assert.ok(taken > 500, `only ${taken} of 3000 generated documents were read by the fast reader`);
});

test('the fast reader never throws, whatever the text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300, unit: 'binary' })), (text) => {
      assertAgrees(text);
    }),
    { numRuns: 2000 },
  );
});

/** Every YAML document of the repository's own fixtures: real manifests in every style the tests use. */
function fixtureDocuments(): string[] {
  const root = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
  const docs: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    for (const chunk of documentsOf(path, text)) docs.push(text.slice(chunk.start, chunk.end));
  }
  return docs;
}

test('on the fixtures, intact and mutated, the fast reader agrees with js-yaml or gives up', () => {
  const docs = fixtureDocuments();
  assert.ok(docs.length > 100);
  let taken = 0;
  for (const doc of docs) if (assertAgrees(doc) !== undefined) taken++;
  assert.ok(taken > docs.length * 0.8, `the reader took only ${taken} of ${docs.length} fixture documents`);
  fc.assert(
    fc.property(fc.nat(docs.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (i, mutations) => {
      let text = docs[i] as string;
      for (const m of mutations) text = mutate(text, m);
      assertAgrees(text);
    }),
    { numRuns: 3000 },
  );
});
