// Bad input never throws and never stops the other files: each case is parsed next to a good file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileProblem, SourceFile } from '../../../src/engine/model.js';
import { DEFAULT_MAX_FILE_BYTES, parseRepository, safeReason } from '../../../src/engine/parse/index.js';
import { createLineResolver } from '../../../src/engine/parse/positions.js';

const GOOD: SourceFile = { path: 'good.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: good}\n' };

function withGood(bad: SourceFile, options = {}) {
  const repo = parseRepository([bad, GOOD], options);
  assert.deepEqual(
    repo.objects.filter((o) => o.path === 'good.yaml').map((o) => o.name),
    ['good'],
    'the good file is still read',
  );
  return { repo, problems: repo.problems.filter((p) => p.path === bad.path) };
}

function billionLaughs(): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = name;
  }
  return `${lines.join('\n')}\n`;
}

const SECRET = 'hunter2-very-secret-value';

describe('bad input', () => {
  test('a 50 MB file is skipped with its size, quickly', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n${'  k: 0123456789012345678901234567890123456789012345678901234567890123456789\n'.repeat(700_000)}`;
    assert.ok(text.length > 50_000_000);
    const t0 = performance.now();
    const { problems } = withGood({ path: 'huge.yaml', text });
    assert.ok(performance.now() - t0 < 3000, 'the size check does not parse the file');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.kind, 'skipped');
    assert.match(problems[0]?.reason ?? '', /too large \(\d+(\.\d)? MiB, limit 5\.0 MiB\)/);
  });

  test('the size limit counts UTF-8 bytes and is configurable', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "${'é'.repeat(600)}"}\n`; // > 1200 bytes, < 700 chars
    assert.equal(withGood({ path: 'a.yaml', text }, { maxFileBytes: 1000 }).problems[0]?.kind, 'skipped');
    assert.equal(withGood({ path: 'a.yaml', text }, { maxFileBytes: 2000 }).problems.length, 0);
    assert.equal(DEFAULT_MAX_FILE_BYTES, 5 * 1024 * 1024);
  });

  test('billion laughs: skipped, and nothing downstream can expand it', () => {
    const t0 = performance.now();
    const { repo, problems } = withGood({ path: 'lol.yaml', text: billionLaughs() });
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.reason]),
      [['skipped', 'YAML aliases expand to too many nodes']],
    );
    assert.equal(repo.objects.filter((o) => o.path === 'lol.yaml').length, 0);
  });

  test('billion laughs in block style: skipped', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1}\n${Array.from({ length: 10 }, () => `- *l${i}`).join('\n')}`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\nl0: &l0 lol\n${levels.join('\n')}\n`;
    const t0 = performance.now();
    const { problems } = withGood({ path: 'lol-block.yaml', text });
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.reason]),
      [['skipped', 'YAML aliases expand to too many nodes']],
    );
  });

  test('a recursive alias is skipped (js-yaml would build a cycle)', () => {
    const { problems } = withGood({ path: 'cyc.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x, self: *m}\n' });
    assert.equal(problems[0]?.reason, 'document uses a recursive YAML alias');
  });

  test('deeply nested flow and block documents', () => {
    for (const text of [
      `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      `apiVersion: v1\nkind: ConfigMap\ndata:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`,
      `${'- '.repeat(50_000)}x\n`,
    ]) {
      const { problems } = withGood({ path: 'deep.yaml', text });
      for (const p of problems) assert.doesNotMatch(p.reason, /\[\[|k\d/);
      createLineResolver(new Map([['deep.yaml', text]]))({ path: 'deep.yaml', docIndex: 0, nodePath: ['data', 0, 0] });
    }
  });

  test('a List with 150,000 items is read whole', () => {
    const items = Array.from({ length: 150_000 }, (_, i) => `{apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}`).join(',\n  ');
    const { repo, problems } = withGood({ path: 'list.yaml', text: `apiVersion: v1\nkind: List\nitems: [\n  ${items}\n]\n` }, { maxFileBytes: 64 << 20 });
    assert.deepEqual(problems, []);
    assert.equal(repo.objects.filter((o) => o.path === 'list.yaml').length, 150_000);
  });

  test('binary files are skipped', () => {
    const { problems } = withGood({ path: 'bin.yaml', text: 'apiVersion: v1\u0000\u0001\u0002kind: x' });
    assert.deepEqual(problems.map((p) => p.kind), ['skipped']);
    assert.match(problems[0]?.reason ?? '', /binary/);
  });

  test('text decoded with replacement characters is skipped as not UTF-8', () => {
    const { problems } = withGood({ path: 'latin1.yaml', text: 'apiVersion: v1\nkind: ConfigMap\ndata: {k: "caf\uFFFD"}\n' });
    assert.match(problems[0]?.reason ?? '', /not UTF-8/);
  });

  test('empty and whitespace-only files', () => {
    for (const text of ['', '\n\n', '   ', '---', '---\n...\n', '# just a comment', '\uFEFF']) {
      const { repo, problems } = withGood({ path: 'empty.yaml', text });
      assert.deepEqual(problems, []);
      assert.equal(repo.objects.filter((o) => o.path === 'empty.yaml').length, 0);
    }
  });

  test('fields of the wrong type never throw', () => {
    const texts = [
      'apiVersion: v1\nkind: List\nitems: {a: 1}\n',
      'apiVersion: v1\nkind: List\nitems: [1, null, [], "x", {kind: 3}]\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: [name, x]\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {a: 1}, namespace: [x]}\n',
      '[1, 2, 3]\n',
      '"just a string"\n',
      '42\n',
      '!!binary aGVsbG8=\n',
      'apiVersion: v1\nkind: ConfigMap\nwhen: 2001-12-14t21:59:43.10-05:00\n',
    ];
    for (const text of texts) withGood({ path: 'types.yaml', text });
  });

  test('invalid YAML of every sort: parse-error for manifests, silence otherwise', () => {
    const broken = ['a: b\n c: d\n  e: f\n', 'a: "unclosed\n', 'a: [1, 2\n', 'a:\n\t- tab\n', 'a: *undefinedAlias\n', 'a: !<tag:x> y\n', 'a: 1\na: 2\n'];
    for (const body of broken) {
      const manifest = withGood({ path: 'm.yaml', text: `apiVersion: v1\nkind: ConfigMap\n${body}` }).problems;
      assert.equal(manifest.length, 1, body);
      // a repeated key still reads (kubectl keeps the last value): its own problem kind, for the duplicate-key rule
      assert.equal(manifest[0]?.kind, body === 'a: 1\na: 2\n' ? 'duplicate-key' : 'parse-error');
      assert.ok((manifest[0]?.line ?? 0) >= 3, `line of ${JSON.stringify(body)}`);
      assert.deepEqual(withGood({ path: 'other.yaml', text: body }).problems, [], body);
    }
  });

  test('parse-error reasons never contain file content', () => {
    const texts = [
      `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${SECRET}\n  x: y\n`,
      `apiVersion: v1\nkind: Secret\nstringData:\n  password: ${SECRET}\n   bad: indent\n`,
      `apiVersion: v1\nkind: Secret\nstringData: !<${SECRET}> x\n`,
      `apiVersion: v1\nkind: Secret\nstringData: *${SECRET}\n`,
      `{"apiVersion": "v1", "kind": "Secret", "stringData": {"p": "${SECRET}" "q": 1}}`,
      `apiVersion: v1\nkind: Secret\nstringData: {${SECRET}: 1, ${SECRET}: 2}\n`,
    ];
    for (const text of texts) {
      for (const path of ['s.yaml', 's.json']) {
        const problems: readonly FileProblem[] = parseRepository([{ path, text }]).problems;
        assert.ok(problems.length > 0, text);
        for (const p of problems) {
          assert.ok(!p.reason.includes(SECRET) && !p.reason.includes('hunter2'), p.reason);
          assert.ok(!p.reason.includes(Buffer.from(SECRET).toString('base64')));
          assert.ok(!p.reason.includes('\n'));
        }
      }
    }
  });

  test('safeReason strips snippets, quotes and tags', () => {
    assert.equal(safeReason({ reason: 'unknown tag !<tag:secret>', message: 'x' }), 'unknown tag !<…>');
    assert.equal(safeReason({ message: 'Unexpected token } in "secret value" at 3\n 1 | snippet' }), 'Unexpected token } in "…" at 3');
    assert.equal(safeReason(new RangeError('Maximum call stack size exceeded')), 'document is nested too deeply');
    assert.equal(safeReason(undefined), 'invalid YAML');
  });

  test('malformed SourceFile entries never throw', () => {
    const weird = [null, {}, { path: 'a.yaml' }, { path: 3, text: 'x' }] as unknown as SourceFile[];
    const repo = parseRepository([...weird, GOOD]);
    assert.deepEqual(repo.objects.map((o) => o.name), ['good']);
  });
});
