import type { KustomizeModel } from '../kustomize/model.js';
import type { BuildPlacement, BuildScope, ManifestObject, NodePath, ObjectRef, ParsedRepository, ProvidedKind, Reference, ReferenceForm, ReferencedKey } from '../model.js';
import { placementsIn } from '../kustomize/namespaces.js';
import { findPodSpecs } from './pod-spec.js';
import { isRecord } from '../untrusted.js';

export { findPodSpecs, type PodSpecSite } from './pod-spec.js';

/**
 * Every place a pod spec in the repository refers to a ConfigMap or Secret by name.
 *
 * Input is untrusted: any field may be missing or have any type. What cannot be read is skipped;
 * this never throws. Names that are empty or templated (`$(VAR)`, `{{ .x }}`, `${VAR}`…) are skipped,
 * since what they will resolve to is unknown.
 */
export function extractReferences(repo: ParsedRepository, kustomize: KustomizeModel): Reference[] {
  const out: Reference[] = [];
  const objects = Array.isArray(repo?.objects) ? repo.objects : [];
  for (const obj of objects) {
    try {
      extractFromObject(obj, kustomize, out);
    } catch {
      // Defensive: a hostile object (getters, proxies) must not stop the scan.
    }
  }
  return out;
}

function extractFromObject(obj: ManifestObject, kustomize: KustomizeModel, out: Reference[]): void {
  if (!obj || !isRecord(obj.value)) return;
  const sites = findPodSpecs(obj);
  if (sites.length === 0) return;
  const owner: ObjectRef = {
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    name: typeof obj.name === 'string' ? obj.name : '',
    ...(namespaceOf(obj) !== undefined ? { namespace: namespaceOf(obj) } : {}),
  };
  const namespaces = namespacesOf(obj, kustomize);
  const builds = buildsOf(obj, owner, kustomize);
  const basePath: NodePath = Array.isArray(obj.basePath) ? obj.basePath : [];
  for (const site of sites) {
    const ctx: Ctx = { obj, owner, namespaces, builds, out, base: [...basePath, ...site.path] };
    extractFromPodSpec(site.spec, ctx);
  }
}

interface Ctx {
  readonly obj: ManifestObject;
  readonly owner: ObjectRef;
  readonly namespaces: readonly (string | undefined)[];
  readonly builds: readonly BuildPlacement[];
  readonly out: Reference[];
  /** nodePath of the pod spec from the document root. */
  readonly base: NodePath;
}

const CONTAINER_LISTS = [
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

function extractFromPodSpec(spec: Record<string, unknown>, ctx: Ctx): void {
  for (const [field, label] of CONTAINER_LISTS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (!isRecord(container)) return;
      const cname = typeof container.name === 'string' && container.name !== '' ? container.name : undefined;
      const described = `${label} ${cname ?? `#${i + 1}`}`;
      extractFromContainer(container, [...ctx.base, field, i], cname, described, ctx);
    });
  }

  const volumes = spec.volumes;
  if (Array.isArray(volumes)) {
    volumes.forEach((volume, i) => {
      if (!isRecord(volume)) return;
      const vname = typeof volume.name === 'string' && volume.name !== '' ? volume.name : `#${i + 1}`;
      extractFromVolume(volume, [...ctx.base, 'volumes', i], vname, ctx);
    });
  }

  const pullSecrets = spec.imagePullSecrets;
  if (Array.isArray(pullSecrets)) {
    pullSecrets.forEach((entry, i) => {
      if (!isRecord(entry)) return;
      push(ctx, {
        form: 'image-pull-secret',
        targetKind: 'Secret',
        name: entry.name,
        namePath: [...ctx.base, 'imagePullSecrets', i, 'name'],
        optional: false,
        where: 'imagePullSecrets',
      });
    });
  }
}

function extractFromContainer(container: Record<string, unknown>, path: NodePath, cname: string | undefined, described: string, ctx: Ctx): void {
  const env = container.env;
  if (Array.isArray(env)) {
    env.forEach((entry, j) => {
      if (!isRecord(entry) || !isRecord(entry.valueFrom)) return;
      const envVar = typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
      const where = `env ${envVar ?? `#${j + 1}`} of ${described}`;
      const valueFromPath = [...path, 'env', j, 'valueFrom'];
      for (const [field, form, targetKind] of [
        ['configMapKeyRef', 'env-configmap-key', 'ConfigMap'],
        ['secretKeyRef', 'env-secret-key', 'Secret'],
      ] as const) {
        const ref = entry.valueFrom[field];
        if (!isRecord(ref)) continue;
        const keyPath = [...valueFromPath, field, 'key'];
        push(ctx, {
          form,
          targetKind,
          name: ref.name,
          namePath: [...valueFromPath, field, 'name'],
          keys: readableKey(ref.key) ? [{ key: ref.key, path: keyPath }] : [],
          optional: ref.optional === true,
          where,
          container: cname,
          envVar,
        });
      }
    });
  }

  const envFrom = container.envFrom;
  if (Array.isArray(envFrom)) {
    envFrom.forEach((entry, j) => {
      if (!isRecord(entry)) return;
      for (const [field, form, targetKind] of [
        ['configMapRef', 'envfrom-configmap', 'ConfigMap'],
        ['secretRef', 'envfrom-secret', 'Secret'],
      ] as const) {
        const ref = entry[field];
        if (!isRecord(ref)) continue;
        push(ctx, {
          form,
          targetKind,
          name: ref.name,
          namePath: [...path, 'envFrom', j, field, 'name'],
          optional: ref.optional === true,
          where: `envFrom of ${described}`,
          container: cname,
        });
      }
    });
  }
}

function extractFromVolume(volume: Record<string, unknown>, path: NodePath, vname: string, ctx: Ctx): void {
  const cm = volume.configMap;
  if (isRecord(cm)) {
    push(ctx, {
      form: 'volume-configmap',
      targetKind: 'ConfigMap',
      name: cm.name,
      namePath: [...path, 'configMap', 'name'],
      keys: itemKeys(cm.items, [...path, 'configMap', 'items']),
      optional: cm.optional === true,
      where: `volume ${vname}`,
    });
  }
  const secret = volume.secret;
  if (isRecord(secret)) {
    push(ctx, {
      form: 'volume-secret',
      targetKind: 'Secret',
      name: secret.secretName,
      namePath: [...path, 'secret', 'secretName'],
      keys: itemKeys(secret.items, [...path, 'secret', 'items']),
      optional: secret.optional === true,
      where: `volume ${vname}`,
    });
  }
  const projected = volume.projected;
  if (isRecord(projected) && Array.isArray(projected.sources)) {
    projected.sources.forEach((source, k) => {
      if (!isRecord(source)) return;
      for (const [field, form, targetKind] of [
        ['configMap', 'projected-configmap', 'ConfigMap'],
        ['secret', 'projected-secret', 'Secret'],
      ] as const) {
        const ref = source[field];
        if (!isRecord(ref)) continue;
        const refPath = [...path, 'projected', 'sources', k, field];
        push(ctx, {
          form,
          targetKind,
          name: ref.name,
          namePath: [...refPath, 'name'],
          keys: itemKeys(ref.items, [...refPath, 'items']),
          optional: ref.optional === true,
          where: `projected volume ${vname}`,
        });
      }
    });
  }
}

interface Raw {
  readonly form: ReferenceForm;
  readonly targetKind: ProvidedKind;
  readonly name: unknown;
  readonly namePath: NodePath;
  readonly keys?: readonly { readonly key: string; readonly path: NodePath }[];
  readonly optional: boolean;
  readonly where: string;
  readonly container?: string | undefined;
  readonly envVar?: string | undefined;
}

function push(ctx: Ctx, raw: Raw): void {
  if (!readableName(raw.name)) return;
  const path = ctx.obj.path;
  const docIndex = typeof ctx.obj.docIndex === 'number' ? ctx.obj.docIndex : 0;
  const keys: ReferencedKey[] = (raw.keys ?? []).map((k) => ({ key: k.key, location: { path, docIndex, nodePath: k.path } }));
  ctx.out.push({
    form: raw.form,
    targetKind: raw.targetKind,
    name: raw.name,
    location: { path, docIndex, nodePath: raw.namePath },
    keys,
    optional: raw.optional,
    owner: ctx.owner,
    namespaces: ctx.namespaces,
    ...(raw.container !== undefined ? { container: raw.container } : {}),
    ...(raw.envVar !== undefined ? { envVar: raw.envVar } : {}),
    where: raw.where,
    path,
    ...(ctx.builds.length > 0 ? { builds: ctx.builds } : {}),
  });
}

function itemKeys(items: unknown, path: NodePath): { key: string; path: NodePath }[] {
  if (!Array.isArray(items)) return [];
  const keys: { key: string; path: NodePath }[] = [];
  items.forEach((item, i) => {
    if (isRecord(item) && readableKey(item.key)) keys.push({ key: item.key, path: [...path, i, 'key'] });
  });
  return keys;
}

/** Markers of a value that a template engine or envsubst fills in later, or a documentation placeholder (`<your-secret>`); names never hold whitespace. */
const TEMPLATED = /\$\(|\$\{|\{\{|\}\}|%\{|#\{|<%|\$[A-Za-z_]|<[^<>]*>|\s/;

/** A name we can look up: a non-empty plain string, not a template placeholder. */
export function readableName(name: unknown): name is string {
  return typeof name === 'string' && name.trim() !== '' && !TEMPLATED.test(name);
}

function readableKey(key: unknown): key is string {
  return typeof key === 'string' && key !== '' && !TEMPLATED.test(key);
}

function namespaceOf(obj: ManifestObject): string | undefined {
  if (typeof obj.namespace === 'string' && obj.namespace !== '') return obj.namespace;
  const metadata = isRecord(obj.value) ? obj.value.metadata : undefined;
  if (isRecord(metadata) && typeof metadata.namespace === 'string' && metadata.namespace !== '') return metadata.namespace;
  return undefined;
}

/**
 * The namespaces the object lands in, one per build scope: the namespace the scope's kustomizations
 * set (it overrides `metadata.namespace`), else the object's own.
 */
function namespacesOf(obj: ManifestObject, kustomize: KustomizeModel): (string | undefined)[] {
  const own = namespaceOf(obj);
  let scopes: readonly BuildScope[] = [];
  try {
    const s = kustomize?.scopesOf(obj.path);
    if (Array.isArray(s)) scopes = s;
  } catch {
    scopes = [];
  }
  if (scopes.length === 0) return [own];
  const seen = new Set<string | undefined>();
  for (const scope of scopes) {
    // kustomize's `namespace:` overrides the object's own (as the provider index does).
    const ns = (isRecord(scope) && typeof scope.namespace === 'string' && scope.namespace !== '' ? scope.namespace : undefined) ?? own;
    seen.add(ns);
  }
  return [...seen];
}


/** The root kustomize builds the object is part of, with its final name and namespace in each. */
function buildsOf(obj: ManifestObject, owner: ObjectRef, kustomize: KustomizeModel): BuildPlacement[] {
  try {
    const scopes = kustomize?.scopesOf(obj.path);
    return Array.isArray(scopes) ? placementsIn(owner.name, owner.namespace, scopes) : [];
  } catch {
    return [];
  }
}
