import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { createLineResolver } from '../../../src/engine/parse/positions.js';

const FRAGMENTS = [
  '---', '...', 'apiVersion: v1', 'kind: ConfigMap', 'kind: List', 'items:', 'data:', 'metadata:', 'name: x',
  '  ', '- ', ': ', '{', '}', '[', ']', ',', '&a ', '*a', '<<: ', '"', "'", '# c', '\n', '\n', '\n', '\r\n', '\t',
  '{{ .Values.x }}', '|', '>-', '\uFEFF', '%YAML 1.2', '!!binary ', '!<tag:x> ', '? ', '\u2028', '\u0085', 'é', '😀',
];

const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), fc.string({ maxLength: 200, unit: 'grapheme' }), yamlish);
const path = fc.constantFrom('a.yaml', 'b.yml', 'c.json', 'kustomization.yaml', 'Kustomization', 'x.env');

test('parseRepository and the line resolver never throw on arbitrary text', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.record({ path, text: anyText }), { maxLength: 4, selector: (f) => f.path }), fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.nat(3)), { maxLength: 5 }), (files, nodePath) => {
      const repo = parseRepository(files);
      const texts = new Map(files.map((f) => [f.path, f.text] as const));
      const resolve = createLineResolver(texts);
      for (const f of files) {
        const lines = f.text.split('\n').length;
        for (let docIndex = 0; docIndex < 3; docIndex++) {
          for (const part of ['key', 'value'] as const) {
            const r = resolve({ path: f.path, docIndex, nodePath, part });
            assert.ok(r.line >= 1 && r.line <= r.endLine && r.endLine <= Math.max(1, lines), JSON.stringify(r));
          }
        }
      }
      for (const o of repo.objects) {
        const r = resolve({ path: o.path, docIndex: o.docIndex, nodePath: [...o.basePath, 'metadata', 'name'] });
        assert.ok(r.line >= 1);
      }
      for (const p of repo.problems) assert.ok(!p.reason.includes('\n'));
    }),
    { numRuns: 400 },
  );
});

const keyName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,11}$/);
const lead = fc.array(fc.constantFrom('# comment', '', '#', '# ---', '  # indented comment'), { maxLength: 3 });

interface Doc {
  readonly lead: readonly string[];
  readonly explicitStart: boolean;
  readonly keys: readonly string[];
  readonly style: 'block' | 'quoted' | 'flow';
  readonly listed: boolean;
}

const doc = fc.record({
  lead,
  explicitStart: fc.boolean(),
  keys: fc.uniqueArray(keyName, { minLength: 1, maxLength: 5 }),
  style: fc.constantFrom('block', 'quoted', 'flow'),
  listed: fc.boolean(),
});

test('the resolver finds the exact line of every data key of generated ConfigMaps', () => {
  fc.assert(
    fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), fc.boolean(), (docs: Doc[], crlf, bom, yml) => {
      const lines: string[] = [];
      const expected = new Map<string, Map<string, number>>(); // object name → key → line
      docs.forEach((d, i) => {
        const name = `cm-${i}`;
        const keyLines = new Map<string, number>();
        expected.set(name, keyLines);
        if (i > 0 || d.explicitStart) {
          lines.push(...d.lead);
          lines.push('---');
        } else {
          lines.push(...d.lead);
        }
        const indent = d.listed ? '    ' : '';
        if (d.listed) lines.push('apiVersion: v1', 'kind: List', 'items:', '  - apiVersion: v1', '    kind: ConfigMap');
        else lines.push('apiVersion: v1', 'kind: ConfigMap');
        lines.push(`${indent}metadata:`, `${indent}  name: ${name}`);
        if (d.style === 'flow') {
          lines.push(`${indent}data: {`);
          for (const k of d.keys) {
            keyLines.set(k, lines.length + 1);
            lines.push(`${indent}  "${k}": "v",`);
          }
          lines.push(`${indent}}`);
        } else {
          lines.push(`${indent}data:`);
          for (const k of d.keys) {
            keyLines.set(k, lines.length + 1);
            lines.push(d.style === 'quoted' ? `${indent}  '${k}': "v"` : `${indent}  ${k}: v`);
          }
        }
      });
      let text = lines.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
      if (bom) text = `\uFEFF${text}`;
      const path = yml ? 'gen.yml' : 'gen.yaml';
      const repo = parseRepository([{ path, text }]);
      assert.equal(repo.problems.length, 0, JSON.stringify(repo.problems));
      assert.deepEqual(
        repo.objects.map((o) => o.name),
        [...expected.keys()],
      );
      const resolve = createLineResolver(new Map([[path, text]]));
      for (const o of repo.objects) {
        for (const [key, line] of expected.get(o.name) ?? []) {
          const loc = { path, docIndex: o.docIndex, nodePath: [...o.basePath, 'data', key] };
          assert.equal(resolve(loc).line, line, `${o.name}.data.${key}`);
          assert.equal(resolve({ ...loc, part: 'key' }).line, line);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('a kept value equals what js-yaml loaded: the JSON rebuild, exact-size arrays and own copies of long strings change nothing', async () => {
  const jsYaml = (await import('js-yaml')).default;
  const { loadYaml } = await import('../../../src/engine/parse/schema.js');
  const text = fc.oneof(fc.string({ maxLength: 40, unit: 'binary' }), fc.string({ minLength: 12, maxLength: 40 }), fc.constantFrom('\uD800 lone surrogate here', 'x'.repeat(13), 'é'.repeat(20)));
  // .nan and .inf are what JSON cannot hold: such documents are compacted, not rebuilt.
  const leaf = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1, 1e21));
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 14 }), tie('node'), { maxKeys: 4 })),
  })).node;
  fc.assert(
    fc.property(tree, fc.boolean(), (data, json) => {
      const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'values-under-test' }, data };
      const source = json ? JSON.stringify(doc) : jsYaml.dump(doc);
      const repo = parseRepository([{ path: json ? 'a.json' : 'a.yaml', text: source }]);
      assert.equal(repo.objects.length, 1);
      assert.deepStrictEqual(repo.objects[0]!.value, json ? JSON.parse(source) : loadYaml(source));
    }),
    { numRuns: 500 },
  );
});
