// Test helper: builds a ParsedRepository without the real parser (owned elsewhere), so the
// kustomize and provider tests depend only on the data model.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { loadAll } from 'js-yaml';
import type { KustomizationDoc, ManifestObject, ParsedRepository, SourceFile } from '../../../src/engine/model.js';
import { isKustomizationPath } from '../../../src/engine/kustomize/index.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Turns files into a repository: kustomization files → kustomizations, other YAML → objects (List items expanded), the rest → auxFiles. */
export function fakeRepo(files: Readonly<Record<string, string>> | readonly SourceFile[]): ParsedRepository {
  const list: readonly SourceFile[] = Array.isArray(files)
    ? (files as readonly SourceFile[])
    : Object.entries(files).map(([path, text]) => ({ path, text }));
  const objects: ManifestObject[] = [];
  const kustomizations: KustomizationDoc[] = [];
  const auxFiles = new Map<string, string>();
  let documentCount = 0;
  for (const { path, text } of list) {
    if (isKustomizationPath(path)) {
      const [value] = loadAll(text);
      kustomizations.push({ path, value: isRecord(value) ? value : {} });
      documentCount++;
      continue;
    }
    if (!/\.(ya?ml|json)$/.test(path)) {
      auxFiles.set(path, text);
      continue;
    }
    loadAll(text).forEach((doc, docIndex) => {
      if (!isRecord(doc)) return;
      documentCount++;
      const push = (value: Record<string, unknown>, basePath: (string | number)[]) => {
        const metadata = isRecord(value['metadata']) ? value['metadata'] : {};
        if (typeof value['kind'] !== 'string') return;
        objects.push({
          apiVersion: typeof value['apiVersion'] === 'string' ? value['apiVersion'] : '',
          kind: value['kind'],
          name: typeof metadata['name'] === 'string' ? metadata['name'] : '',
          ...(typeof metadata['namespace'] === 'string' ? { namespace: metadata['namespace'] } : {}),
          path,
          docIndex,
          basePath,
          value,
        });
      };
      if (typeof doc['kind'] === 'string' && doc['kind'].endsWith('List') && Array.isArray(doc['items'])) {
        doc['items'].forEach((item, i) => isRecord(item) && push(item, ['items', i]));
      } else push(doc, []);
    });
  }
  return { objects, kustomizations, problems: [], auxFiles, documentCount };
}

/** Reads a fixture directory (under the repository's fixtures/) as SourceFiles with paths relative to it. */
export function readFixtureDir(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push({ path: relative(dir, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Absolute path of a fixture folder, resolved from the repository root (tests run from it). */
export function fixturePath(...parts: string[]): string {
  return join(process.cwd(), 'fixtures', ...parts);
}
