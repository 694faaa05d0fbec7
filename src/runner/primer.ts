/**
 * Small YAML and JSON files that an engine worker parses once, before its first task, and throws away:
 * they give V8 type feedback for every path of the YAML reader that real manifests take now and then.
 *
 * Why: V8 optimises a function from the feedback its earlier calls left. A path those calls never took
 * (a flow mapping holding `a:b`, an anchor on a number, a tab before a comment, a two-byte string, a
 * `deficient indentation` warning, a syntax error…) becomes a deoptimisation when a later document takes
 * it: the function drops back to the interpreter, and is compiled again once it is hot again. On the corpus
 * (5,000 manifests) a scan deoptimised the reader 31 times and compiled its functions 94 times (626 ms of
 * compiler CPU on V8's threads); primed, 4 and 66 (324 ms), and the scan finishes ~6% sooner
 * (docs/architecture.md). The files are parsed with the engine's own `parseSourceFile`, so the same code
 * (document splitting, the pre-screen, the kept-value copy, the error messages) gets its feedback.
 *
 * Nothing of this reaches a result: the worker discards what the primer gives, and parsing is pure.
 * The primer is ASCII (the CLI's bundles must be); the two-byte variants are made here.
 */
import type { SourceFile } from '../engine/model.js';

const TAB = '\t';

/** Every block, flow and scalar form the reader has, in manifests that parse. */
const FORMS = String.raw`# a comment before the document
apiVersion: v1
kind: ConfigMap
metadata:
  name: "primer"   # a comment after a value
  namespace: 'de''fault'
  labels: {app.kubernetes.io/name: primer, tier: "backend", n: 3}
  annotations:
    plain: a plain scalar with spaces, a:colon and a # comment
    folded-plain: first line
      continued line

      after a blank line
    quoted: "tab\there \"quote\" \u00e9 \x41 \
      folded"
    single: 'it''s
      two lines'
    literal: |
      line one
        indented
      line three
    folded: >-
      folded text
      more text

    keep: |+
      kept

    indented: |2
        two extra
    empty:
    tilde: ~
    nul: null
    bools: [true, false, True, FALSE]
    numbers: [1, -2, 0x1F, 0o17, 1.5, -1.0e3, .5, .inf, -.Inf, .nan]
    date: 2024-01-01
    tagged: !!str 123
    nested: [[a, b], {c: d}, [], {}]
    "quoted key": value
    ? explicit key
    : explicit value
data:
  base: &base
    a: 1
    b: two
  derived:
    <<: *base
    c: [x, *base]
  list:
  - one
  -   two
  - - nested
    - seq
  - key: value
    other: |
      block in a sequence
  -
  - "last"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, labels: {a: b}}
spec:
  template:
    spec:
      containers:
        - name: c
          image: "registry.example/image:1"
          env:
            - {name: A, value: "1"}
            - name: B
              valueFrom:
                secretKeyRef: {name: s, key: k, optional: true}
          envFrom: [{configMapRef: {name: cm}}]
...
---
{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}, "data": {"k": "v"}, "list": [1, 2.5, null, true]}
--- # a document that is only a comment
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: svc
  spec:
    ports:
    - port: 80
      targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: more
  annotations:
    url-in-flow: {link: http://example.com:8080/a, list: [a:b, c]}
    multi-line-flow: {a: 1,
      b: [x,
        y], c: "d"}
    tabbed: value${TAB}# a tab before the comment
    anchored: &s scalar
    again: *s
    seq-anchor: &q
      - x
    ? [complex, key]
    : value
    empty-then-dedent:
  labels:
    a: b
data:
  nested:
    deeper:
      deepest:
  after: 1
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: props
  annotations:
    tagged-anchor: &t !!str 42
    tagged-again: *t
    quoted-lines: ["first
      second", 'third
      fourth']
    plain-lines: [one
      two, three]
seq-same-indent: &sq
- a
- b
map-props: !!map
  a: b
---
%YAML 1.2
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: warnings
  annotations:
    num-anchor: &n 5
    bool-anchor: &b true
    null-anchor: &z null
    deficient: "first
 second"
    deficient-flow: [x,
 y]
`;

/** Manifests with the syntax errors (and the repeated key) that real repositories have. */
const BROKEN: readonly SourceFile[] = [
  { path: 'primer/tab.yaml', text: `apiVersion: v1\nkind: ConfigMap\ndata:\n${TAB}key: indented with a tab\n` },
  { path: 'primer/multiline-key.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  oops\n  key: value\n' },
  { path: 'primer/colon.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  "quoted" oops\n' },
  { path: 'primer/comma.yaml', text: 'apiVersion: v1\nkind: ConfigMap\ndata: {a: 1 b: 2}\n' },
  { path: 'primer/duplicate.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  name: two\n' },
];

const FILES: readonly SourceFile[] = [
  { path: 'primer/forms.yaml', text: FORMS },
  {
    path: 'primer/crlf.yaml',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: crlf\n  labels:\n    x: "y"\ndata:\n  k: |\n    v\n'.replace(/\n/g, '\r\n'),
  },
  ...BROKEN,
  // A kustomization is parsed whatever it holds. This one is shorter than 13 characters, the length from
  // which V8 joins strings into a rope: js-yaml's text (the document plus a terminator) is then a flat string.
  { path: 'primer/kustomization.yaml', text: 'a:\n  b\n' },
  { path: 'primer/file.json', text: '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {"k": "v"}\n}\n' },
  { path: 'primer/spaced.json', text: `  ${TAB}\n {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "spaced"}}\n` },
  { path: 'primer/empty.json', text: '\n' },
];

/**
 * The primer's files: those above, and each YAML one again with a character outside Latin-1 (an em
 * dash, as prose in comments and descriptions has), which makes V8 hold its text as a two-byte string: a
 * string of another shape, for which the feedback is separate. (Latin-1 text, `é` included, stays one-byte.)
 */
export const PRIMER_FILES: readonly SourceFile[] = [
  ...FILES,
  ...FILES.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path.replace(/\.yaml$/, '.wide.yaml'), text: `${f.text}# \u2014\n` })),
];

/** Parses each primer file with `parse`, once, and discards the results (a parser that throws is left as it is). */
export function primeParser(parse: (file: SourceFile) => unknown): void {
  for (const file of PRIMER_FILES) {
    try {
      parse(file);
    } catch {
      // parseSourceFile never throws; the primer must not break a worker that would work without it
    }
  }
}
