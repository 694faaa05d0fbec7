import type { KustomizationDoc, NodePath, ProvidedKind } from '../model.js';
import type { Generator } from './model.js';
import { baseName, dirOf, resolveEntry } from './paths.js';
import { isRecord } from '../untrusted.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EnvSource = Generator['envs'][number];
type EnvEntry = Exclude<EnvSource['entries'], 'unknown'>[number];

const GENERATOR_FIELDS: readonly (readonly [string, ProvidedKind])[] = [
  ['configMapGenerator', 'ConfigMap'],
  ['secretGenerator', 'Secret'],
];

/**
 * Reads a kustomize env file (`envs:` / `env:` source). Follows kustomize's KeyValuesFromLines:
 * leading whitespace is trimmed, blank lines and `#` comments are skipped, the key ends at the
 * first `=` (kept as written: `export A=1` makes the key `export A`, `A =1` the key `A `), and a line with
 * only a key takes its value from the build environment (so the key exists; its value is unknown here
 * and recorded as ''). kustomize checks none of these keys: a line such as `API_PASSWORD: x` becomes a
 * key the API server rejects (see key-names.ts; the parse-error rule reports it without quoting it).
 */
export function parseEnvFile(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line : line.slice(0, eq);
    if (key === '') continue;
    entries.push({ key, value: eq === -1 ? '' : line.slice(eq + 1), line: i + 1 });
  }
  return entries;
}

/** kustomize strips one pair of surrounding quotes from a literal's value. */
function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** `files:` entry: `path` (key = base name) or `key=path`. */
function splitFileSource(entry: string): { key: string; path: string } | undefined {
  const eq = entry.indexOf('=');
  if (eq === -1) return { key: baseName(entry), path: entry };
  const key = entry.slice(0, eq).trim();
  const path = entry.slice(eq + 1).trim();
  return key === '' || path === '' ? undefined : { key, path };
}

/** The env sources of a generator entry: `envs: [..]` and the legacy `env: x`, with their node paths. */
function envSources(entry: Record<string, unknown>): { raw: unknown; nodePath: (string | number)[] }[] {
  const sources: { raw: unknown; nodePath: (string | number)[] }[] = [];
  const envs = entry['envs'];
  if (Array.isArray(envs)) envs.forEach((raw, j) => sources.push({ raw, nodePath: ['envs', j] }));
  if (entry['env'] !== undefined) sources.push({ raw: entry['env'], nodePath: ['env'] });
  return sources;
}

/** Every configMapGenerator / secretGenerator entry of the kustomizations. */
export function readGenerators(docs: readonly KustomizationDoc[], auxFiles: ReadonlyMap<string, string>): Generator[] {
  const generators: Generator[] = [];
  for (const doc of docs) {
    if (!isRecord(doc.value)) continue;
    const dir = dirOf(doc.path);
    const at = (nodePath: NodePath) => ({ path: doc.path, docIndex: 0, nodePath });
    for (const [field, kind] of GENERATOR_FIELDS) {
      const list = doc.value[field];
      if (!Array.isArray(list)) continue;
      list.forEach((entry: unknown, i) => {
        if (!isRecord(entry) || typeof entry['name'] !== 'string' || entry['name'] === '') return;
        const behavior = entry['behavior'] === 'merge' || entry['behavior'] === 'replace' ? entry['behavior'] : 'create';
        const generator: Mutable<Generator> = {
          kind,
          name: entry['name'],
          kustomization: doc.path,
          behavior,
          literals: [],
          files: [],
          envs: [],
          location: at([field, i]),
        };
        if (typeof entry['namespace'] === 'string' && entry['namespace'] !== '') generator.namespace = entry['namespace'];
        if (kind === 'Secret' && typeof entry['type'] === 'string' && entry['type'] !== '') generator.type = entry['type'];

        const literals: Mutable<Generator['literals'][number]>[] = [];
        const rawLiterals = entry['literals'];
        if (Array.isArray(rawLiterals)) {
          rawLiterals.forEach((literal: unknown, j) => {
            if (typeof literal !== 'string') return;
            const eq = literal.indexOf('=');
            if (eq <= 0) return;
            literals.push({ key: literal.slice(0, eq), value: unquote(literal.slice(eq + 1)), location: at([field, i, 'literals', j]) });
          });
        }
        generator.literals = literals;

        const files: Mutable<Generator['files'][number]>[] = [];
        const rawFiles = entry['files'];
        if (Array.isArray(rawFiles)) {
          rawFiles.forEach((file: unknown, j) => {
            if (typeof file !== 'string') return;
            const split = splitFileSource(file);
            const source = split && resolveEntry(dir, split.path);
            if (!split || source === undefined) return;
            files.push({ key: split.key, source, location: at([field, i, 'files', j]) });
          });
        }
        generator.files = files;

        const envs: EnvSource[] = [];
        for (const { raw, nodePath } of envSources(entry)) {
          const source = resolveEntry(dir, raw);
          if (source === undefined) continue;
          const text = auxFiles.get(source);
          envs.push({ source, location: at([field, i, ...nodePath]), entries: text === undefined ? 'unknown' : parseEnvFile(text) });
        }
        generator.envs = envs;
        generators.push(generator);
      });
    }
  }
  return generators;
}

/** Resolved paths of the generator inputs (`files:`, `envs:`, `env:`) a kustomization value names. */
export function generatorInputPaths(path: string, value: unknown): string[] {
  if (!isRecord(value)) return [];
  const dir = dirOf(path);
  const out: string[] = [];
  for (const [field] of GENERATOR_FIELDS) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      const rawFiles = entry['files'];
      if (Array.isArray(rawFiles)) {
        for (const file of rawFiles) {
          const split = typeof file === 'string' ? splitFileSource(file) : undefined;
          const source = split && resolveEntry(dir, split.path);
          if (source) out.push(source);
        }
      }
      for (const { raw } of envSources(entry)) {
        const source = resolveEntry(dir, raw);
        if (source) out.push(source);
      }
    }
  }
  return out;
}
