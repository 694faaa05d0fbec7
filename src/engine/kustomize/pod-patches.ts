/**
 * References as the builds have them after kustomize's patches. A JSON 6902 patch (`patches:` with
 * a target and an op list, in a file or inline) or a strategic-merge patch can add, change or remove
 * a pod spec's ConfigMap/Secret references. Each patched workload is patched (per patching
 * kustomization) and its references extracted again: references the patch removed leave the builds
 * of that kustomization, and references it added are reported at the patch (the op in a patch file,
 * the entry of an inline patch, or the line of a strategic-merge patch file).
 */
import type { Location, ManifestObject, NodePath, ParsedRepository, Reference } from '../model.js';
import { extractReferences, findPodSpecs } from '../references/index.js';
import { isRecord } from '../untrusted.js';
import type { KustomizeModel } from './model.js';
import { placementsIn } from './namespaces.js';
import { applyChain, applyPatch, DELETED, findTargets, objectKey, parsedDocuments, readPatches, type KustomizePatch, type PatchInterest } from './patch-set.js';

/** Words without which a patch cannot change a pod spec's ConfigMap/Secret references. */
const POD_FIELDS = /containers|volumes|imagePullSecrets|env|secret|configMap|\$patch|\/spec\/template|jobTemplate/i;

/** Patches that could change a pod spec: pod specs live under /spec (and a whole-object replace has the path ''). */
const POD_INTEREST: PatchInterest = {
  text: (text) => POD_FIELDS.test(text),
  json6902: (ops) => ops.some((op) => isRecord(op) && typeof op['path'] === 'string' && (op['path'] === '' || op['path'].startsWith('/spec'))),
  strategic: (value) => value['spec'] !== undefined || value['$patch'] !== undefined,
};

function identity(r: Reference): string {
  return JSON.stringify([r.form, r.where, r.targetKind, r.name, r.keys.map((k) => k.key), r.optional]);
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
  const parsed = parsedDocuments(repo);
  const patches = repo.kustomizations.flatMap((doc) => readPatches(doc, texts, parsed, POD_INTEREST));
  if (patches.length === 0) return [...references];
  // Workloads to patch, with the patches of each kustomization in order.
  const { targets, matchedFiles, chains } = findTargets(repo, kustomize, patches, (object) => findPodSpecs(object).length > 0);

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
  for (const target of targets) {
    const { object } = target;
    const basePath = object.basePath;
    const own = (byDocument.get(objectKey(object)) ?? []).filter((r) => basePath.every((p, i) => r.location.nodePath?.[i] === p));
    const ownIds = new Set(own.map(identity));
    const placements = placementsIn(object.name, object.namespace, kustomize.scopesOf(object.path));
    // The builds of the object, grouped by the patching kustomizations that take part in each; patches chain in kustomize's order.
    for (const { list, roots } of chains(target)) {
      const after = patched(object, list, kustomize);
      const afterIds = new Set(after.map(identity));
      const fresh = after.some((r) => !ownIds.has(identity(r)));
      // Which patch added each new reference: only worth replaying the chain when there are several.
      const origin = fresh && list.length > 1 ? origins(object, list, ownIds, kustomize) : new Map<string, KustomizePatch>();
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
function locate(patch: KustomizePatch, r: Reference, basePath: NodePath): Location {
  if (patch.body.type === 'json6902') return patch.body.opLocation(opNode(patch.body.ops, r.location.nodePath ?? [], basePath));
  return patch.body.location;
}

/** The references of `object` once `list` is applied in order ([] when a patch deletes it). */
function patched(object: ManifestObject, list: readonly KustomizePatch[], kustomize: KustomizeModel): Reference[] {
  const value = applyChain(object.value, list);
  return value === DELETED ? [] : refsOf(object, value, kustomize);
}

/** For each reference the chain adds, the patch that added it. */
function origins(object: ManifestObject, list: readonly KustomizePatch[], ownIds: ReadonlySet<string>, kustomize: KustomizeModel): Map<string, KustomizePatch> {
  const origin = new Map<string, KustomizePatch>();
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
