/**
 * References as the builds have them after kustomize's patches. A JSON 6902 patch (`patches:` with
 * a target and an op list, in a file or inline) or a strategic-merge patch can add, change or remove
 * a pod spec's ConfigMap/Secret references. Each patched workload is patched (per patching
 * kustomization) and its references extracted again: references the patch removed leave the builds
 * of that kustomization, and references it added are reported at the patch (the op in a patch file,
 * the entry of an inline patch, or the line of a strategic-merge patch file).
 */
import jsonpatch from 'fast-json-patch';
import type { KustomizationDoc, Location, ManifestObject, NodePath, ParsedRepository, Reference } from '../model.js';
import { loadAllYaml } from '../parse/schema.js';
import { extractReferences, findPodSpecs } from '../references/index.js';
import { isRecord } from '../untrusted.js';
import type { KustomizeModel } from './model.js';
import { placementsIn } from './namespaces.js';
import { dirOf, resolveEntry } from './paths.js';
import { applyStrategicMerge, DELETED } from './strategic-merge.js';

interface Target {
  readonly kind?: string;
  readonly name?: string;
  /** A label or annotation selector narrows the target: not evaluated, so such a patch is not applied. */
  readonly selector?: true;
}

type PatchBody =
  | { readonly type: 'json6902'; readonly ops: readonly unknown[]; readonly opLocation: (nodePath: NodePath) => Location }
  | { readonly type: 'strategic'; readonly value: Readonly<Record<string, unknown>>; readonly location: Location };

interface PodPatch {
  readonly kustomization: string;
  readonly target: Target;
  readonly body: PatchBody;
  /** The patch file, when the patch is one: its own references stand for the patch only if its target is not found. */
  readonly file?: { readonly path: string; readonly docIndex: number };
}

/** Words without which a patch cannot change a pod spec's ConfigMap/Secret references. */
const POD_FIELDS = /containers|volumes|imagePullSecrets|env|secret|configMap|\$patch|\/spec\/template|jobTemplate/i;

/** kustomize matches target names as regular expressions; only a plain name designates one object. */
function literal(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && !/[*+?^$(){}[\]|\\]/.test(v) ? v : undefined;
}

function targetOf(v: unknown): Target {
  if (!isRecord(v)) return {};
  const kind = literal(v['kind']);
  const name = literal(v['name']);
  const selector = v['labelSelector'] !== undefined || v['annotationSelector'] !== undefined || (v['name'] !== undefined && name === undefined);
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}), ...(selector ? { selector: true as const } : {}) };
}

function parseAll(text: string): unknown[] {
  try {
    return loadAllYaml(text);
  } catch {
    return [];
  }
}

/** The patches of one kustomization that could touch a pod spec, in the order kustomize applies them. */
function readPatches(doc: KustomizationDoc, texts: ReadonlyMap<string, string>, parsed: ReadonlyMap<string, unknown[]>): PodPatch[] {
  const out: PodPatch[] = [];
  const dir = dirOf(doc.path);
  const add = (docs: unknown[], explicit: Target, at: (docIndex: number, nodePath: NodePath) => Location, file?: string) => {
    docs.forEach((parsed, docIndex) => {
      if (Array.isArray(parsed)) {
        if (explicit.selector || (explicit.name === undefined && explicit.kind === undefined)) return;
        // Pod specs live under /spec (and a whole-object replace has the path '').
        if (!parsed.some((op) => isRecord(op) && typeof op['path'] === 'string' && (op['path'] === '' || op['path'].startsWith('/spec')))) return;
        out.push({ kustomization: doc.path, target: explicit, body: { type: 'json6902', ops: parsed, opLocation: (nodePath) => at(docIndex, nodePath) } });
      } else if (isRecord(parsed)) {
        if (parsed['spec'] === undefined && parsed['$patch'] === undefined) return;
        const metadata = isRecord(parsed['metadata']) ? parsed['metadata'] : {};
        const own = targetOf({ kind: parsed['kind'], name: metadata['name'] });
        const target = explicit.name !== undefined || explicit.kind !== undefined || explicit.selector ? explicit : own;
        if (target.selector || (target.name === undefined && target.kind === undefined)) return;
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
    // A strategic-merge patch file was read as manifests already; other files are parsed only when they could touch a pod spec.
    const text = parsed.has(path) ? undefined : texts.get(path);
    const docs = parsed.get(path) ?? (text !== undefined && POD_FIELDS.test(text) ? parseAll(text) : []);
    add(docs, explicit, (docIndex, nodePath) => ({ path, docIndex, nodePath }), path);
  };
  const smp = doc.value['patchesStrategicMerge'];
  if (Array.isArray(smp)) smp.forEach((entry: unknown, i) => fromEntry(entry, {}, ['patchesStrategicMerge', i]));
  for (const field of ['patches', 'patchesJson6902']) {
    const list = doc.value[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) return;
      const target = targetOf(entry['target']);
      if (typeof entry['patch'] === 'string') fromEntry(entry['patch'].includes('\n') ? entry['patch'] : `${entry['patch']}\n`, target, [field, i, 'patch']);
      else if (entry['path'] !== undefined) fromEntry(entry['path'], target, [field, i, 'path']);
    });
  }
  return out;
}

function identity(r: Reference): string {
  return JSON.stringify([r.form, r.where, r.targetKind, r.name, r.keys.map((k) => k.key), r.optional]);
}

function rootsOf(scopes: readonly { readonly root?: string }[]): Set<string> {
  const roots = new Set<string>();
  for (const s of scopes) if (s.root !== undefined) roots.add(s.root);
  return roots;
}

function objectKey(o: { readonly path: string; readonly docIndex: number }): string {
  return `${o.path}\0${o.docIndex}`;
}

/**
 * Applies one patch to a copy of a workload's value; undefined when the patch cannot be applied
 * (kustomize would fail the build). Never changes its inputs: a JSON 6902 op inserts its own value
 * into the document, so the document is copied before every patch (changing it in place would
 * change the patch for the next build).
 */
function applyPatch(value: Readonly<Record<string, unknown>>, body: PatchBody): Readonly<Record<string, unknown>> | typeof DELETED | undefined {
  if (body.type === 'strategic') return applyStrategicMerge(value, body.value);
  try {
    const result = jsonpatch.applyPatch(jsonpatch.deepClone(value) as object, body.ops as jsonpatch.Operation[], true, true).newDocument;
    return isRecord(result) ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The node of a JSON 6902 patch that added a reference: inside the `value` of the last op whose
 * path leads to it (`[op, 'value', ...]`), so the finding points at the name in the patch file.
 */
function opNode(ops: readonly unknown[], nodePath: NodePath, basePath: NodePath): NodePath {
  const raw = nodePath.slice(basePath.length);
  const relative = raw.map(String);
  let found: NodePath = [0];
  ops.forEach((op, i) => {
    if (!isRecord(op) || typeof op['path'] !== 'string' || (op['op'] !== 'add' && op['op'] !== 'replace')) return;
    const segments = op['path'].split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const append = segments[segments.length - 1] === '-';
    const prefix = append ? segments.slice(0, -1) : segments;
    if (prefix.length > relative.length || !prefix.every((s, j) => s === relative[j])) return;
    const rest = raw.slice(prefix.length + (append ? 1 : 0));
    found = [i, 'value', ...rest];
  });
  return found;
}

/**
 * The references of `references` as the builds have them once the kustomizations' patches are
 * applied (see the module comment). References of objects no patch touches are returned as they are.
 */
export function applyPodPatches(repo: ParsedRepository, kustomize: KustomizeModel, references: readonly Reference[], texts: ReadonlyMap<string, string>): Reference[] {
  const parsed = new Map<string, unknown[]>();
  for (const o of repo.objects) {
    if (o.basePath.length > 0) continue;
    const docs = parsed.get(o.path) ?? [];
    docs[o.docIndex] = o.value;
    parsed.set(o.path, docs);
  }
  const patches = repo.kustomizations.flatMap((doc) => (isRecord(doc.value) ? readPatches(doc, texts, parsed) : []));
  if (patches.length === 0) return [...references];

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
  const hasPodSpec = new Map<ManifestObject, boolean>();
  // Workloads to patch, with the patches of each kustomization in order.
  const work = new Map<string, { object: ManifestObject; byKustomization: Map<string, PodPatch[]> }>();
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
      let pods = hasPodSpec.get(object);
      if (pods === undefined) hasPodSpec.set(object, (pods = findPodSpecs(object).length > 0));
      if (!pods) continue;
      const key = objectKey(object) + JSON.stringify(object.basePath);
      let entry = work.get(key);
      if (entry === undefined) work.set(key, (entry = { object, byKustomization: new Map() }));
      const list = entry.byKustomization.get(patch.kustomization);
      if (list === undefined) entry.byKustomization.set(patch.kustomization, [patch]);
      else list.push(patch);
    }
  }

  // A patch file whose target was found stands for the patch: its own references are replaced by those the patch adds.
  const standalone = (r: Reference) => matchedFiles.has(objectKey({ path: r.location.path, docIndex: r.location.docIndex ?? 0 }));
  const patchFileRefs = new Map<string, Reference>();
  for (const r of references) if (standalone(r)) patchFileRefs.set(`${r.location.path}\0${identity(r)}`, r);

  const byDocument = new Map<string, Reference[]>();
  for (const r of references) {
    const key = objectKey({ path: r.location.path, docIndex: r.location.docIndex ?? 0 });
    const list = byDocument.get(key);
    if (list === undefined) byDocument.set(key, [r]);
    else list.push(r);
  }
  const removed = new Map<Reference, Set<string>>();
  const added = new Map<string, Reference>();
  const order = (k: string) => kustomize.transformOrder?.(k) ?? 0;
  for (const { object, byKustomization } of work.values()) {
    const basePath = object.basePath;
    const own = (byDocument.get(objectKey(object)) ?? []).filter((r) => basePath.every((p, i) => r.location.nodePath?.[i] === p));
    const ownIds = new Set(own.map(identity));
    const placements = placementsIn(object.name, object.namespace, kustomize.scopesOf(object.path));
    // The builds of the object, grouped by the patching kustomizations that take part in each; patches chain in kustomize's order.
    const groups = new Map<string, { kustomizations: string[]; roots: Set<string> }>();
    for (const root of fileRoots(object.path)) {
      const ks = [...byKustomization.keys()].filter((k) => kustomizationRoots(k).has(root)).sort((a, b) => order(a) - order(b));
      if (ks.length === 0) continue;
      const key = ks.join('\0');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { kustomizations: ks, roots: new Set([root]) });
      else group.roots.add(root);
    }
    for (const { kustomizations, roots } of groups.values()) {
      const list = kustomizations.flatMap((k) => byKustomization.get(k)!);
      const after = patched(object, list, kustomize);
      const afterIds = new Set(after.map(identity));
      const fresh = after.some((r) => !ownIds.has(identity(r)));
      // Which patch added each new reference: only worth replaying the chain when there are several.
      const origin = fresh && list.length > 1 ? origins(object, list, ownIds, kustomize) : new Map<string, PodPatch>();
      for (const r of own) {
        if (afterIds.has(identity(r))) continue;
        const gone = removed.get(r) ?? new Set<string>();
        for (const root of roots) gone.add(root);
        removed.set(r, gone);
      }
      const here = placements.filter((p) => roots.has(p.root));
      if (here.length === 0) continue;
      for (const r of after) {
        const id = identity(r);
        if (ownIds.has(id)) continue;
        const patch = origin.get(id) ?? list[list.length - 1]!;
        const fromFile = patch.file ? patchFileRefs.get(`${patch.file.path}\0${id}`) : undefined;
        const location = fromFile?.location ?? locate(patch, r, basePath);
        const key = `${id}\0${JSON.stringify(location)}\0${objectKey(object)}`;
        const previous = added.get(key);
        const builds = previous?.builds ? [...previous.builds, ...here] : here;
        added.set(key, {
          ...r,
          location,
          keys: fromFile?.keys ?? r.keys.map((k) => ({ key: k.key, location })),
          path: location.path,
          builds,
          namespaces: [...new Set(builds.map((p) => p.namespace))],
        });
      }
    }
  }

  const out: Reference[] = [];
  for (const r of references) {
    if (standalone(r)) continue;
    const gone = removed.get(r);
    if (gone === undefined || r.builds === undefined) {
      out.push(r);
      continue;
    }
    const builds = r.builds.filter((b) => !gone.has(b.root));
    if (builds.length === 0) continue;
    out.push(builds.length === r.builds.length ? r : { ...r, builds, namespaces: [...new Set(builds.map((b) => b.namespace))] });
  }
  out.push(...added.values());
  return out;
}

/** Where a reference a patch added is reported when the patch file does not hold it as such: the op that added it, or the patch. */
function locate(patch: PodPatch, r: Reference, basePath: NodePath): Location {
  if (patch.body.type === 'json6902') return patch.body.opLocation(opNode(patch.body.ops, r.location.nodePath ?? [], basePath));
  return patch.body.location;
}

/** The references of `object` once `list` is applied in order ([] when a patch deletes it). */
function patched(object: ManifestObject, list: readonly PodPatch[], kustomize: KustomizeModel): Reference[] {
  let value: Readonly<Record<string, unknown>> = object.value;
  for (const patch of list) {
    const next = applyPatch(value, patch.body);
    if (next === DELETED) return [];
    if (next !== undefined) value = next;
  }
  return refsOf(object, value, kustomize);
}

/** For each reference the chain adds, the patch that added it. */
function origins(object: ManifestObject, list: readonly PodPatch[], ownIds: ReadonlySet<string>, kustomize: KustomizeModel): Map<string, PodPatch> {
  const origin = new Map<string, PodPatch>();
  let value: Readonly<Record<string, unknown>> = object.value;
  let ids: ReadonlySet<string> = ownIds;
  for (const patch of list) {
    const next = applyPatch(value, patch.body);
    if (next === DELETED) break;
    if (next === undefined) continue;
    value = next;
    const now = idsOf(object, value, kustomize);
    for (const id of now) if (!ids.has(id)) origin.set(id, patch);
    ids = now;
  }
  return origin;
}

function refsOf(object: ManifestObject, value: Readonly<Record<string, unknown>>, kustomize: KustomizeModel): Reference[] {
  const repo: ParsedRepository = { objects: [{ ...object, value }], kustomizations: [], problems: [], auxFiles: new Map(), documentCount: 1 };
  return extractReferences(repo, kustomize);
}

function idsOf(object: ManifestObject, value: Readonly<Record<string, unknown>>, kustomize: KustomizeModel): Set<string> {
  return new Set(refsOf(object, value, kustomize).map(identity));
}
