import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedRepository, SourceFile } from '../../../src/engine/model.js';
import { parseRepository } from '../../../src/engine/parse/index.js';
import { fixtureFiles } from './helpers.js';

/** kind/name[@namespace] #docIndex [basePath] of every object. */
function summary(repo: ParsedRepository): string[] {
  return repo.objects.map(
    (o) =>
      `${o.path} ${o.kind}/${o.name}${o.namespace !== undefined ? `@${o.namespace}` : ''} #${o.docIndex}${o.basePath.length ? ` ${o.basePath.join('.')}` : ''}`,
  );
}

function parse(files: Record<string, string>): ParsedRepository {
  return parseRepository(Object.entries(files).map(([path, text]) => ({ path, text })));
}

describe('parseRepository: fixtures', () => {
  test('multi-document file: leading comment, comment-only and empty documents, document after `...`', () => {
    const repo = parseRepository(fixtureFiles('multi'));
    assert.deepEqual(summary(repo), [
      'multi/app.yaml ConfigMap/app-config@web #0',
      'multi/app.yaml Deployment/web #3',
      'multi/app.yaml Secret/after-end-marker #4',
    ]);
    assert.equal(repo.documentCount, 5);
    assert.deepEqual(repo.problems, []);
  });

  test('List and typed *List items become objects with basePath [items, i]', () => {
    const repo = parseRepository(fixtureFiles('lists'));
    assert.deepEqual(summary(repo), [
      'lists/configmaplist.yaml ConfigMap/typed-item #0 items.0',
      'lists/list.yaml ConfigMap/one #0 items.0',
      'lists/list.yaml Secret/two #0 items.2',
    ]);
    const typed = repo.objects[0];
    assert.equal(typed?.apiVersion, 'v1');
    assert.deepEqual(typed?.value, { metadata: { name: 'typed-item' }, data: { k: 'v' } });
  });

  test('JSON manifests are read; other JSON is ignored', () => {
    const repo = parseRepository(fixtureFiles('json'));
    assert.deepEqual(summary(repo), ['json/secret.json Secret/from-json@ops #0']);
    assert.deepEqual(repo.problems, []);
  });

  test('Chart.yaml, values.yaml, workflows and broken non-manifests are ignored silently', () => {
    const repo = parseRepository(fixtureFiles('ignored'));
    assert.deepEqual(repo.objects, []);
    assert.deepEqual(repo.problems, []);
  });

  test('Helm templates that do not parse are skipped, never parse errors', () => {
    const repo = parseRepository(fixtureFiles('templated'));
    assert.deepEqual(repo.objects, []);
    assert.equal(repo.problems.length, 1);
    assert.equal(repo.problems[0]?.kind, 'skipped');
    assert.match(repo.problems[0]?.reason ?? '', /Helm\/Go template/);
  });

  test('kustomization files by name become kustomizations; generator inputs become auxFiles', () => {
    const repo = parseRepository(fixtureFiles('kustomize'));
    assert.deepEqual(
      repo.kustomizations.map((k) => k.path),
      ['kustomize/Kustomization', 'kustomize/overlay/kustomization.yaml'],
    );
    assert.deepEqual(repo.objects, []);
    assert.deepEqual([...repo.auxFiles], [['kustomize/overlay/app.env', 'A=1\nB=2\n']]);
    assert.deepEqual(repo.kustomizations[1]?.value['resources'], ['../../multi/app.yaml']);
  });

  test('a broken manifest is a parse error with its line and a reason that quotes nothing', () => {
    const repo = parseRepository(fixtureFiles('broken'));
    assert.deepEqual(repo.problems, [
      { path: 'broken/indent.yaml', kind: 'parse-error', reason: 'bad indentation of a mapping entry', line: 7, docIndex: 0 },
    ]);
  });
});

describe('parseRepository: table', () => {
  const cases: { name: string; files: Record<string, string>; objects: string[]; kustomizations?: string[]; problems?: string[] }[] = [
    {
      name: 'a document needs string apiVersion and kind',
      files: {
        'a.yaml': 'apiVersion: v1\nkind: ConfigMap\n---\napiVersion: 1\nkind: ConfigMap\n---\nkind: Secret\n---\napiVersion: v1\nkind: [Secret]\n',
      },
      objects: ['a.yaml ConfigMap/ #0'],
    },
    {
      name: 'name and namespace of wrong types',
      files: {
        'a.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 42, namespace: 7}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: hello\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: ""}\n',
      },
      objects: ['a.yaml ConfigMap/ #0', 'a.yaml ConfigMap/ #1', 'a.yaml ConfigMap/ok #2'],
    },
    {
      name: 'a leading `---` does not make an empty document; a trailing one does',
      files: { 'a.yaml': '---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n' },
      objects: ['a.yaml Secret/s #0'],
    },
    {
      name: 'flow-style and JSON-in-YAML documents',
      files: {
        'a.yml': '{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}\n---\n{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "json"}}\n',
      },
      objects: ['a.yml ConfigMap/flow #0', 'a.yml Secret/json #1'],
    },
    {
      name: 'JSON list and JSON with comments (js-yaml fallback)',
      files: {
        'l.json': '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}]}',
        'c.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "y"}} # trailing comment\n',
      },
      objects: ['l.json ConfigMap/x #0 items.0', 'c.json ConfigMap/y #0'],
    },
    {
      name: 'a kind ending in List without items is an object',
      files: { 'a.yaml': 'apiVersion: example.com/v1\nkind: AllowList\nmetadata: {name: al}\n' },
      objects: ['a.yaml AllowList/al #0'],
    },
    {
      name: 'kustomization.yml and Kustomization are kustomizations; `kind: Kustomization` elsewhere is an object',
      files: {
        'a/kustomization.yml': 'resources: [x.yaml]\n',
        'b/Kustomization': 'namePrefix: b-\n',
        'c/flux.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n',
      },
      objects: ['c/flux.yaml Kustomization/apps #0'],
      kustomizations: ['a/kustomization.yml', 'b/Kustomization'],
    },
    {
      name: 'a kustomization file gives one kustomization (its first document)',
      files: { 'k/kustomization.yaml': '# c\n---\nresources: [a.yaml]\n---\nresources: [b.yaml]\n' },
      objects: [],
      kustomizations: ['k/kustomization.yaml'],
    },
    {
      name: 'a kustomization that is not a mapping is a parse error; an empty one is nothing',
      files: { 'a/kustomization.yaml': '- resources\n', 'b/kustomization.yaml': '# empty\n' },
      objects: [],
      problems: ['a/kustomization.yaml parse-error 1'],
    },
    {
      name: 'Jinja-templated documentation snippets are skipped',
      files: { 'docs/snippet.yaml': '{% raw %}\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n{% endraw %}\n' },
      objects: [],
      problems: ['docs/snippet.yaml skipped'],
    },
    {
      name: 'templated file that parses is read (placeholders are other stages’ business)',
      files: { 't.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}-cfg"\n' },
      objects: ['t.yaml ConfigMap/{{ .Release.Name }}-cfg #0'],
    },
    {
      name: 'one broken document makes a parse error, the other documents are still read',
      files: { 'a.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\ndata: [\n' },
      objects: ['a.yaml Secret/ok #0'],
      problems: ['a.yaml parse-error 8'],
    },
    {
      name: 'duplicate keys: the document is read as kubectl reads it (last value wins) and the repeat is a problem of its own',
      files: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "1"\n  a: "2"\n' },
      objects: ['a.yaml ConfigMap/x #0'],
      problems: ['a.yaml duplicate-key 6'],
    },
    {
      name: 'anchors and merge keys that do not explode are fine',
      files: {
        'a.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: x}\ndata:\n  base: &b {a: "1"}\n  copy: *b\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  <<: {name: merged}\n',
      },
      objects: ['a.yaml ConfigMap/x #0', 'a.yaml Secret/merged #1'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const repo = parse(c.files);
      assert.deepEqual(summary(repo), c.objects);
      assert.deepEqual(
        repo.kustomizations.map((k) => k.path),
        c.kustomizations ?? [],
      );
      assert.deepEqual(
        repo.problems.map((p) => `${p.path} ${p.kind} ${p.line ?? ''}`.trim()),
        c.problems ?? [],
      );
    });
  }

  test('documentCount counts every document, including pre-screened ones', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec:\n${'  # padding\n'.repeat(300)}`;
    const repo = parse({ 'a.yaml': `${crd}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n`, 'b.json': '{}' });
    assert.equal(repo.documentCount, 3);
    assert.deepEqual(summary(repo), ['a.yaml Secret/s #1']);
    assert.equal(parseRepository([{ path: 'a.yaml', text: crd }], { noScreen: true }).objects.length, 1);
  });

  test('files are processed in order and auxFiles keep text untouched', () => {
    const files: SourceFile[] = [
      { path: 'x.properties', text: 'a=b\r\n\u0000weird' },
      { path: 'x.env', text: '' },
    ];
    const repo = parseRepository(files);
    assert.deepEqual([...repo.auxFiles], [
      ['x.properties', 'a=b\r\n\u0000weird'],
      ['x.env', ''],
    ]);
    assert.equal(repo.documentCount, 0);
  });
});

describe('parseRepository: the Kubernetes YAML schema', () => {
  const cm = (data: string): unknown => {
    const repo = parse({ 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${data}` });
    return repo.objects[0]?.value;
  };

  test('an unquoted date stays a string, as the API server reads it', () => {
    const value = cm('data:\n  since: 2024-01-01\n  at: 2024-01-01T10:00:00Z\n') as { data: Record<string, unknown> };
    assert.deepEqual(value.data, { since: '2024-01-01', at: '2024-01-01T10:00:00Z' });
  });

  test('merge keys, numbers, booleans and null resolve as in YAML 1.2 core', () => {
    const value = cm('x: &base {a: "1"}\ndata:\n  <<: *base\n  b: "2"\nn: 0x1F\nt: true\nz: ~\n') as Record<string, unknown>;
    assert.deepEqual(value['data'], { a: '1', b: '2' });
    assert.equal(value['n'], 31);
    assert.equal(value['t'], true);
    assert.equal(value['z'], null);
  });

  test('explicit tags are still understood (`!!binary`, `!!timestamp`)', () => {
    const repo = parse({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nb: !!binary aGVsbG8=\nt: !!timestamp 2024-01-01\n' });
    assert.deepEqual(repo.problems, []);
    assert.equal(repo.objects.length, 1);
    // Kept as js-yaml made them: a tagged document is not rebuilt through JSON (a Date would become a string).
    const value = repo.objects[0]!.value;
    assert.ok(value['b'] instanceof Uint8Array);
    assert.ok(value['t'] instanceof Date);
  });

  test('kept values: .nan/.inf stay numbers and aliased nodes stay one node (no JSON rebuild for them)', () => {
    const repo = parse({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nn: .nan\ni: -.inf\n',
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\nx: &shared {k: v}\ny: *shared\n',
      'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nlist: [one, two]\nlong: a string of more than thirteen characters\n',
    });
    const [a, b, c] = repo.objects.map((o) => o.value);
    assert.ok(Number.isNaN(a!['n']));
    assert.equal(a!['i'], Number.NEGATIVE_INFINITY);
    assert.equal(b!['x'], b!['y']);
    assert.deepEqual(c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, list: ['one', 'two'], long: 'a string of more than thirteen characters' });
  });
});
