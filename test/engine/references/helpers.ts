/**
 * Small stand-ins for the parser, kustomize model and provider index, so the reference code can be
 * tested on its own: inline YAML → ManifestObjects, a scope table, and a ProviderIndex over an array.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { DEFAULT_CONFIG } from '../../../src/engine/config/schema.js';
import type { KustomizeModel } from '../../../src/engine/kustomize/model.js';
import type { BuildScope, SourceFile, ManifestObject, ParsedRepository, ProvidedKind, Provider, ProviderIndex, Reference, RuleReport } from '../../../src/engine/model.js';
import { extractReferences } from '../../../src/engine/references/index.js';
import type { Rule, RuleContext } from '../../../src/engine/rules/rule.js';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads a multi-document YAML text into objects the way the parser does (List items get basePath ['items', i]). */
export function objectsFromYaml(text: string, path = 'app.yaml'): ManifestObject[] {
  const out: ManifestObject[] = [];
  yaml.loadAll(text).forEach((doc, docIndex) => {
    if (!isRecord(doc)) return;
    const add = (value: Record<string, unknown>, basePath: (string | number)[]) => {
      const metadata = isRecord(value.metadata) ? value.metadata : {};
      out.push({
        apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
        kind: typeof value.kind === 'string' ? value.kind : '',
        name: typeof metadata.name === 'string' ? metadata.name : '',
        ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
        path,
        docIndex,
        basePath,
        value,
      });
    };
    if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
      doc.items.forEach((item, i) => {
        if (isRecord(item)) add(item, ['items', i]);
      });
    } else add(doc, []);
  });
  return out;
}

export function repoOf(files: Record<string, string>): ParsedRepository {
  const objects = Object.entries(files).flatMap(([path, text]) => objectsFromYaml(text, path));
  return { objects, kustomizations: [], problems: [], auxFiles: new Map(), documentCount: objects.length };
}

/** A kustomize model where `scopes[path]` lists the build scopes of a file (default: the single empty scope). */
export function kustomizeOf(scopes: Record<string, Partial<BuildScope>[]> = {}): KustomizeModel {
  const of = (path: string): BuildScope[] => (scopes[path] ?? [{}]).map((s) => ({ namePrefix: '', nameSuffix: '', ...s }));
  return { scopesOf: of, scopesOfKustomization: of, generators: [] };
}

export interface ProviderSpec {
  kind?: ProvidedKind;
  name: string;
  names?: string[];
  namespaces?: (string | undefined)[];
  /** undefined → 'unknown'. */
  keys?: string[] | 'unknown';
  path?: string;
  via?: string;
  secretType?: string;
}

export function provider(spec: ProviderSpec): Provider {
  const kind = spec.kind ?? 'ConfigMap';
  return {
    kind,
    name: spec.name,
    names: spec.names ?? [spec.name],
    namespaces: spec.namespaces ?? [undefined],
    keys: spec.keys === undefined || spec.keys === 'unknown' ? 'unknown' : new Set(spec.keys),
    via: spec.via ?? kind,
    ...(spec.path ? { location: { path: spec.path, docIndex: 0, nodePath: ['metadata', 'name'] } } : {}),
    ...(spec.secretType ? { secretType: spec.secretType } : {}),
  };
}

export function indexOf(providers: readonly (Provider | ProviderSpec)[]): ProviderIndex {
  const isProvider = (p: Provider | ProviderSpec): p is Provider =>
    'names' in p && 'namespaces' in p && 'via' in p && (p.keys === 'unknown' || p.keys instanceof Set);
  const all = providers.map((p) => (isProvider(p) ? p : provider(p)));
  const byName = new Map<string, Provider[]>();
  for (const p of all) {
    for (const n of new Set(p.names)) {
      const k = `${p.kind}/${n}`;
      byName.set(k, [...(byName.get(k) ?? []), p]);
    }
  }
  const names = (kind: ProvidedKind) => [...new Set(all.filter((p) => p.kind === kind).flatMap((p) => p.names))];
  return {
    lookup: (kind, name) => byName.get(`${kind}/${name}`) ?? [],
    names,
    all: () => all,
  };
}

/** Providers declared as inline YAML ConfigMaps/Secrets (keys from data/stringData/binaryData). */
export function providersFromYaml(text: string, path = 'providers.yaml'): Provider[] {
  return objectsFromYaml(text, path)
    .filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')
    .map((o) => {
      const keys = new Set<string>();
      for (const field of ['data', 'stringData', 'binaryData']) {
        const d = o.value[field];
        if (isRecord(d)) for (const k of Object.keys(d)) keys.add(k);
      }
      return {
        kind: o.kind as ProvidedKind,
        name: o.name,
        names: [o.name],
        namespaces: [o.namespace],
        keys,
        via: o.kind,
        location: { path, docIndex: o.docIndex, nodePath: [...o.basePath, 'metadata', 'name'] },
        ...(typeof o.value.type === 'string' ? { secretType: o.value.type } : {}),
      };
    });
}

export interface RuleCase {
  /** Manifests (path → YAML). */
  files: Record<string, string>;
  providers?: (Provider | ProviderSpec)[];
  scopes?: Record<string, Partial<BuildScope>[]>;
}

export function referencesOf(c: RuleCase): Reference[] {
  return extractReferences(repoOf(c.files), kustomizeOf(c.scopes));
}

export async function runRule(rule: Rule, c: RuleCase): Promise<RuleReport[]> {
  const repo = repoOf(c.files);
  const kustomize = kustomizeOf(c.scopes);
  const context: RuleContext = {
    repo,
    kustomize,
    providers: indexOf(c.providers ?? []),
    references: extractReferences(repo, kustomize),
    config: DEFAULT_CONFIG,
  };
  return [...(await rule.check(context))];
}

/** A Deployment named `api` (container `api`) whose pod spec is `podSpec` (YAML, indented by 6). */
export function deployment(podSpec: string, extra: { namespace?: string; name?: string } = {}): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${extra.name ?? 'api'}`,
    ...(extra.namespace ? [`  namespace: ${extra.namespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    indent(podSpec, 6),
  ].join('\n');
}

export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .replace(/^\n+/, '')
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}

/** Removes the common indentation of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n+/, '').replace(/\s+$/, '').split('\n');
  const min = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(min)).join('\n');
}

/** The files of fixtures/references/<dir>, with paths relative to it (for scan()). */
export function loadFixture(dir: string): SourceFile[] {
  const base = join(fileURLToPath(new URL('../../../fixtures/references/', import.meta.url)), dir);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(base)
    .sort()
    .map((p) => ({ path: relative(base, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }));
}
