import type { KustomizationDoc, NodePath, ProvidedKind } from '../model.js';
import type { KeyPatch } from './model.js';
import { literal as literalName, parseAll as parseYaml, patchEntries } from './patch-set.js';
import { dirOf, resolveEntry } from './paths.js';
import { isRecord } from '../untrusted.js';

function providedKind(v: unknown): ProvidedKind | undefined {
  return v === 'ConfigMap' || v === 'Secret' ? v : undefined;
}

const DATA_FIELDS = ['data', 'stringData', 'binaryData'];

/** JSON Pointer segment (RFC 6901): `~1` is `/`, `~0` is `~`. */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Keys a JSON 6902 operation list sets under data/stringData/binaryData; undefined when it touches none. */
function jsonPatchKeys(ops: readonly unknown[]): Set<string> | 'unknown' | undefined {
  let keys: Set<string> | 'unknown' | undefined;
  const add = (k: string) => {
    if (keys === 'unknown') return;
    if (keys === undefined) keys = new Set();
    keys.add(k);
  };
  for (const op of ops) {
    if (!isRecord(op) || typeof op['path'] !== 'string') continue;
    if (!['add', 'replace', 'copy', 'move'].includes(op['op'] as string)) continue;
    const segments = op['path'].split('/');
    if (segments[0] !== '' || !DATA_FIELDS.includes(segments[1] ?? '')) continue;
    if (segments.length >= 3) {
      add(unescapePointer(segments[2]!));
    } else if (isRecord(op['value']) && (op['op'] === 'add' || op['op'] === 'replace')) {
      for (const k of Object.keys(op['value'])) add(k);
    } else {
      keys = 'unknown';
    }
  }
  return keys;
}

function mapKeys(v: unknown): string[] {
  return isRecord(v) ? Object.keys(v) : [];
}

interface Target {
  readonly kind?: ProvidedKind;
  readonly name?: string;
  readonly namespace?: string;
}

function targetOf(v: unknown): Target {
  if (!isRecord(v)) return {};
  const kind = providedKind(v['kind']);
  const name = literalName(v['name']);
  const namespace = typeof v['namespace'] === 'string' && v['namespace'] !== '' ? v['namespace'] : undefined;
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
}

/**
 * Every inline / JSON 6902 patch of the kustomizations that sets ConfigMap or Secret keys.
 * `manifestPaths`: files the parser read as manifests (strategic-merge patch files among them are
 * providers already); a patch file not among them with a ConfigMap/Secret target is a JSON 6902
 * patch this stage cannot read, so its keys are 'unknown'.
 */
export function readKeyPatches(docs: readonly KustomizationDoc[], manifestPaths: ReadonlySet<string>): KeyPatch[] {
  const out: KeyPatch[] = [];
  for (const doc of docs) {
    if (!isRecord(doc.value)) continue;
    const dir = dirOf(doc.path);
    const emit = (target: Target, keys: ReadonlySet<string> | 'unknown', nodePath: NodePath) => {
      if (!target.kind || !target.name) return;
      if (keys !== 'unknown' && keys.size === 0) return;
      out.push({
        kind: target.kind,
        name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        kustomization: doc.path,
        keys,
        location: { path: doc.path, docIndex: 0, nodePath },
      });
    };
    /** An inline patch: strategic-merge documents (a map) or a JSON 6902 list. */
    const inline = (text: string, target: Target, nodePath: NodePath) => {
      for (const parsed of parseYaml(text)) {
        if (Array.isArray(parsed)) {
          const keys = jsonPatchKeys(parsed);
          if (keys !== undefined) emit(target, keys, nodePath);
        } else if (isRecord(parsed)) {
          const metadata = isRecord(parsed['metadata']) ? parsed['metadata'] : {};
          const own = targetOf({ kind: parsed['kind'], name: metadata['name'], namespace: metadata['namespace'] });
          const keys = new Set(DATA_FIELDS.flatMap((f) => mapKeys(parsed[f])));
          emit({ ...target, ...own }, keys, nodePath);
        }
      }
    };
    const fromFile = (path: unknown, target: Target, nodePath: NodePath) => {
      const resolved = resolveEntry(dir, path);
      if (resolved !== undefined && !manifestPaths.has(resolved)) emit(target, 'unknown', nodePath);
    };

    for (const entry of patchEntries(doc)) {
      const target = targetOf(entry.target);
      if (entry.inline !== undefined) inline(entry.inline, target, entry.nodePath);
      // A strategic-merge patch file is read as manifests (a provider already).
      else if (entry.nodePath[0] !== 'patchesStrategicMerge') fromFile(entry.file, target, entry.nodePath);
    }
  }
  return out;
}
