/**
 * kustomize's `patches:` / `patchesStrategicMerge:` / `patchesJson6902:` as the builds apply them:
 * reading the patches of a kustomization (inline or in a file, strategic-merge or JSON 6902), finding
 * the objects each one targets in the builds it takes part in, grouping those builds by the chain of
 * patching kustomizations (inner kustomizations first, as kustomize applies them) and applying a
 * chain to a copy of an object. Used for pod specs (pod-patches.ts: references a patch adds or
 * removes) and for the objects providers read (patched-objects.ts: a Service a patch annotates).
 */
import jsonpatch from 'fast-json-patch';
import type { KustomizationDoc, Location, ManifestObject, NodePath, ParsedRepository } from '../model.js';
import { loadAllYaml } from '../parse/schema.js';
import { isRecord } from '../untrusted.js';
import type { KustomizeModel } from './model.js';
import { dirOf, resolveEntry } from './paths.js';
import { applyStrategicMerge, DELETED } from './strategic-merge.js';

export { DELETED };

export interface Target {
  readonly kind?: string;
  readonly name?: string;
  /** A label or annotation selector narrows the target: not evaluated, so such a patch is not applied. */
  readonly selector?: true;
}

export type PatchBody =
  | { readonly type: 'json6902'; readonly ops: readonly unknown[]; readonly opLocation: (nodePath: NodePath) => Location }
  | { readonly type: 'strategic'; readonly value: Readonly<Record<string, unknown>>; readonly location: Location };

export interface KustomizePatch {
  readonly kustomization: string;
  readonly target: Target;
  readonly body: PatchBody;
  /** The patch file, when the patch is one (and a strategic-merge one): its own objects stand for the patch only if its target is not found. */
  readonly file?: { readonly path: string; readonly docIndex: number };
}

/** Which patches a caller needs, tested before (text) and after (target, body) parsing, so the others cost nothing. */
export interface PatchInterest {
  /** A patch file's text: false when no patch in it could matter (it is then not parsed; inline patches are small and always parsed). */
  text(text: string): boolean;
  /** A JSON 6902 op list and its target. */
  json6902(ops: readonly unknown[], target: Target): boolean;
  /** A strategic-merge patch and its target. */
  strategic(value: Readonly<Record<string, unknown>>, target: Target): boolean;
}

/** kustomize matches target names as regular expressions; only a plain name designates one object. */
export function literal(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && !/[*+?^$(){}[\]|\\]/.test(v) ? v : undefined;
}

/**
 * How a patch `target` picks objects that keyref does not evaluate: a label or annotation selector, or a
 * name that is not a plain name (kustomize matches it as a regular expression); undefined when it does not.
 */
export function unevaluatedTarget(v: unknown): 'selector' | 'name pattern' | undefined {
  if (!isRecord(v)) return undefined;
  if (v['labelSelector'] !== undefined || v['annotationSelector'] !== undefined) return 'selector';
  return v['name'] !== undefined && literal(v['name']) === undefined ? 'name pattern' : undefined;
}

function targetOf(v: unknown): Target {
  if (!isRecord(v)) return {};
  const kind = literal(v['kind']);
  const name = literal(v['name']);
  const selector = unevaluatedTarget(v) !== undefined;
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}), ...(selector ? { selector: true as const } : {}) };
}

/** Every document of a YAML text; [] when it does not parse (kustomize would fail the build, reported elsewhere). */
export function parseAll(text: string): unknown[] {
  try {
    return loadAllYaml(text);
  } catch {
    return [];
  }
}

/** The documents of files read as manifests, by path: what readPatches looks up. */
export type ParsedDocuments = Pick<ReadonlyMap<string, unknown[]>, 'has' | 'get'>;

/**
 * The documents of every file read as manifests, by path (a strategic-merge patch file is one). Made on
 * the first lookup, that is, only when some kustomization names a patch file: a table of every file
 * of the repository (generated:50000: 50,000 entries, ~10 MB) is otherwise never built.
 */
export function parsedDocuments(repo: ParsedRepository): ParsedDocuments {
  let parsed: Map<string, unknown[]> | undefined;
  const table = (): Map<string, unknown[]> => {
    if (parsed) return parsed;
    parsed = new Map();
    for (const o of repo.objects) {
      if (o.basePath.length > 0) continue;
      const docs = parsed.get(o.path) ?? [];
      docs[o.docIndex] = o.value;
      parsed.set(o.path, docs);
    }
    return parsed;
  };
  return { has: (path) => table().has(path), get: (path) => table().get(path) };
}

/** One patch entry of a kustomization: an inline patch or a patch file, with its `target` as written. */
export interface PatchEntry {
  readonly inline?: string;
  readonly file?: unknown;
  readonly target?: unknown;
  /** Where the entry is written in the kustomization. */
  readonly nodePath: NodePath;
}

/**
 * Every patch entry of a kustomization in the order kustomize applies them: `patchesStrategicMerge`
 * (a file path, or an inline patch: a string with a line break), then `patches` and `patchesJson6902`
 * (`patch:` inline, or `path:`).
 */
export function patchEntries(doc: KustomizationDoc): PatchEntry[] {
  const out: PatchEntry[] = [];
  if (!isRecord(doc.value)) return out;
  const smp = doc.value['patchesStrategicMerge'];
  if (Array.isArray(smp)) {
    smp.forEach((entry: unknown, i) => {
      const nodePath = ['patchesStrategicMerge', i];
      out.push(typeof entry === 'string' && entry.includes('\n') ? { inline: entry, nodePath } : { file: entry, nodePath });
    });
  }
  for (const field of ['patches', 'patchesJson6902']) {
    const list = doc.value[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) return;
      if (typeof entry['patch'] === 'string') out.push({ inline: entry['patch'], target: entry['target'], nodePath: [field, i, 'patch'] });
      else if (entry['path'] !== undefined) out.push({ file: entry['path'], target: entry['target'], nodePath: [field, i, 'path'] });
    });
  }
  return out;
}

/** The patches of one kustomization that `interest` wants, in the order kustomize applies them. */
export function readPatches(
  doc: KustomizationDoc,
  texts: ReadonlyMap<string, string>,
  parsed: ParsedDocuments,
  interest: PatchInterest,
): KustomizePatch[] {
  const out: KustomizePatch[] = [];
  if (!isRecord(doc.value)) return out;
  const dir = dirOf(doc.path);
  const add = (docs: unknown[], explicit: Target, at: (docIndex: number, nodePath: NodePath) => Location, file?: string) => {
    docs.forEach((parsed, docIndex) => {
      if (Array.isArray(parsed)) {
        if (explicit.selector || (explicit.name === undefined && explicit.kind === undefined)) return;
        if (!interest.json6902(parsed, explicit)) return;
        out.push({ kustomization: doc.path, target: explicit, body: { type: 'json6902', ops: parsed, opLocation: (nodePath) => at(docIndex, nodePath) } });
      } else if (isRecord(parsed)) {
        const metadata = isRecord(parsed['metadata']) ? parsed['metadata'] : {};
        const own = targetOf({ kind: parsed['kind'], name: metadata['name'] });
        const target = explicit.name !== undefined || explicit.kind !== undefined || explicit.selector ? explicit : own;
        if (target.selector || (target.name === undefined && target.kind === undefined)) return;
        if (!interest.strategic(parsed, target)) return;
        out.push({
          kustomization: doc.path,
          target,
          body: { type: 'strategic', value: parsed, location: at(docIndex, []) },
          ...(file !== undefined ? { file: { path: file, docIndex } } : {}),
        });
      }
    });
  };
  const fromEntry = (entry: unknown, explicit: Target, inlinePath: NodePath) => {
    if (typeof entry === 'string' && entry.includes('\n')) {
      add(parseAll(entry), explicit, () => ({ path: doc.path, docIndex: 0, nodePath: inlinePath }));
      return;
    }
    const path = resolveEntry(dir, entry);
    if (path === undefined) return;
    // A strategic-merge patch file was read as manifests already; other files are parsed only when they could matter.
    const text = parsed.has(path) ? undefined : texts.get(path);
    const docs = parsed.get(path) ?? (text !== undefined && interest.text(text) ? parseAll(text) : []);
    add(docs, explicit, (docIndex, nodePath) => ({ path, docIndex, nodePath }), path);
  };
  for (const entry of patchEntries(doc)) {
    const target = targetOf(entry.target);
    if (entry.inline !== undefined) fromEntry(entry.inline.includes('\n') ? entry.inline : `${entry.inline}\n`, target, entry.nodePath);
    else fromEntry(entry.file, target, entry.nodePath);
  }
  return out;
}

/**
 * Applies one patch to a copy of an object's value; undefined when the patch cannot be applied
 * (kustomize would fail the build). Never changes its inputs: a JSON 6902 op inserts its own value
 * into the document, so the document is copied before every patch (changing it in place would
 * change the patch for the next build).
 */
export function applyPatch(value: Readonly<Record<string, unknown>>, body: PatchBody): Readonly<Record<string, unknown>> | typeof DELETED | undefined {
  if (body.type === 'strategic') return applyStrategicMerge(value, body.value);
  try {
    const result = jsonpatch.applyPatch(jsonpatch.deepClone(value) as object, body.ops as jsonpatch.Operation[], true, true).newDocument;
    return isRecord(result) ? result : undefined;
  } catch {
    return undefined;
  }
}

/** An object's value once `list` is applied in order: DELETED when a patch deletes it. A patch that cannot apply changes nothing. */
export function applyChain(value: Readonly<Record<string, unknown>>, list: readonly KustomizePatch[]): Readonly<Record<string, unknown>> | typeof DELETED {
  let current = value;
  for (const patch of list) {
    const next = applyPatch(current, patch.body);
    if (next === DELETED) return DELETED;
    if (next !== undefined) current = next;
  }
  return current;
}

export function objectKey(o: { readonly path: string; readonly docIndex: number }): string {
  return `${o.path}\0${o.docIndex}`;
}

function rootsOf(scopes: readonly { readonly root?: string }[]): Set<string> {
  const roots = new Set<string>();
  for (const s of scopes) if (s.root !== undefined) roots.add(s.root);
  return roots;
}

/** One object some patches target, with those patches by patching kustomization. */
export interface PatchedObject {
  readonly object: ManifestObject;
  readonly byKustomization: Map<string, KustomizePatch[]>;
}

/** A group of an object's builds that the same chain of patching kustomizations takes part in. */
export interface PatchChain {
  /** The patches, chained in kustomize's order. */
  readonly list: readonly KustomizePatch[];
  /** Roots (kustomization directories) of the builds the chain applies to. */
  readonly roots: ReadonlySet<string>;
}

/**
 * The patch targets: every object (of the builds each patch takes part in) that `patches` target,
 * among those `accept` keeps, with its patches grouped by kustomization; and the patch files whose
 * target was found. Objects of patch files are never targets.
 */
export function findTargets(
  repo: ParsedRepository,
  kustomize: KustomizeModel,
  patches: readonly KustomizePatch[],
  accept: (object: ManifestObject) => boolean,
): { targets: PatchedObject[]; matchedFiles: Set<string>; chains: (target: PatchedObject) => PatchChain[] } {
  const byName = new Map<string, ManifestObject[]>();
  const byKind = new Map<string, ManifestObject[]>();
  const index = (map: Map<string, ManifestObject[]>, key: string, o: ManifestObject) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [o]);
    else list.push(o);
  };
  for (const o of repo.objects) {
    if (kustomize.isPatchFile?.(o.path) === true) continue;
    index(byName, o.name, o);
    index(byKind, o.kind, o);
  }
  const rootsCache = new Map<string, Set<string>>();
  const fileRoots = (path: string) => {
    let roots = rootsCache.get(path);
    if (roots === undefined) rootsCache.set(path, (roots = rootsOf(kustomize.scopesOf(path))));
    return roots;
  };
  const kustomizationRoots = (path: string) => {
    let roots = rootsCache.get(`k\0${path}`);
    if (roots === undefined) rootsCache.set(`k\0${path}`, (roots = rootsOf(kustomize.scopesOfKustomization(path))));
    return roots;
  };
  const accepted = new Map<ManifestObject, boolean>();
  const work = new Map<string, PatchedObject>();
  const matchedFiles = new Set<string>();
  for (const patch of patches) {
    const kRoots = kustomizationRoots(patch.kustomization);
    const candidates = patch.target.name !== undefined ? byName.get(patch.target.name) : byKind.get(patch.target.kind!);
    for (const object of candidates ?? []) {
      if (patch.target.kind !== undefined && object.kind !== patch.target.kind) continue;
      let shared = false;
      for (const r of fileRoots(object.path)) if (kRoots.has(r)) shared = true;
      if (!shared) continue;
      if (patch.file) matchedFiles.add(objectKey(patch.file));
      let ok = accepted.get(object);
      if (ok === undefined) accepted.set(object, (ok = accept(object)));
      if (!ok) continue;
      const key = objectKey(object) + JSON.stringify(object.basePath);
      let entry = work.get(key);
      if (entry === undefined) work.set(key, (entry = { object, byKustomization: new Map() }));
      const list = entry.byKustomization.get(patch.kustomization);
      if (list === undefined) entry.byKustomization.set(patch.kustomization, [patch]);
      else list.push(patch);
    }
  }
  const order = (k: string) => kustomize.transformOrder?.(k) ?? 0;
  const chains = ({ object, byKustomization }: PatchedObject): PatchChain[] => {
    const groups = new Map<string, { kustomizations: string[]; roots: Set<string> }>();
    for (const root of fileRoots(object.path)) {
      const ks = [...byKustomization.keys()].filter((k) => kustomizationRoots(k).has(root)).sort((a, b) => order(a) - order(b));
      if (ks.length === 0) continue;
      const key = ks.join('\0');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { kustomizations: ks, roots: new Set([root]) });
      else group.roots.add(root);
    }
    return [...groups.values()].map(({ kustomizations, roots }) => ({ list: kustomizations.flatMap((k) => byKustomization.get(k)!), roots }));
  };
  return { targets: [...work.values()], matchedFiles, chains };
}
