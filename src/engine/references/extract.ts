import type { BuildPlacement, Location, ManifestObject, NodePath, ObjectRef, ProvidedKind, Reference, ReferenceForm, ReferencedKey } from '../model.js';
import { isRecord } from '../untrusted.js';

/** Where references found in one pod spec (or one set of chart values) go, and how they are named and located. */
export interface Ctx {
  readonly obj: ManifestObject;
  readonly owner: ObjectRef;
  readonly namespaces: readonly (string | undefined)[];
  /** The root kustomize builds the object is part of (absent for chart values). */
  readonly builds?: readonly BuildPlacement[];
  readonly out: Reference[];
  /** nodePath of the pod spec (or values) from the document root. */
  readonly base: NodePath;
  /** The location of a node, given its path from the document root (default: a node of the object's document). */
  readonly locate?: (nodePath: NodePath) => Location;
  /** Rewrites a name before it is checked (chart values: `{{ .Release.Name }}`); undefined drops the reference. */
  readonly rename?: (name: string, targetKind: ProvidedKind) => string | undefined;
  /** One extraction's shared node paths and descriptions (see SharedParts); without it each reference has its own. */
  readonly shared?: SharedParts;
}

/**
 * Node paths and descriptions shared by the references of one extraction. A scan holds every reference
 * until its end, and workloads written from one template give equal ones at every position
 * (`spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name`, `env DB_PASSWORD of
 * container main`): each distinct one is held once (generated:50000: 150,000 node paths and 75,000
 * descriptions, of which a handful differ). The shared paths are frozen: nothing may change them.
 */
export interface SharedParts {
  readonly paths: Map<string, NodePath>;
  readonly texts: Map<string, string>;
}

export function sharedParts(): SharedParts {
  return { paths: new Map(), texts: new Map() };
}

function sharedPath(shared: SharedParts, nodePath: NodePath): NodePath {
  const key = JSON.stringify(nodePath); // tells 0 from "0"
  let path = shared.paths.get(key);
  if (path === undefined) {
    path = Object.freeze(nodePath.slice());
    shared.paths.set(key, path);
  }
  return path;
}

function sharedText(shared: SharedParts, text: string): string {
  const known = shared.texts.get(text);
  if (known !== undefined) return known;
  shared.texts.set(text, text);
  return text;
}

const CONTAINER_LISTS = [
  ['containers', 'container'],
  ['initContainers', 'init container'],
  ['ephemeralContainers', 'ephemeral container'],
] as const;

/** Every reference of a pod spec: containers (env, envFrom), volumes, imagePullSecrets. */
export function extractFromPodSpec(spec: Record<string, unknown>, ctx: Ctx): void {
  for (const [field, label] of CONTAINER_LISTS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (!isRecord(container)) return;
      const cname = typeof container.name === 'string' && container.name !== '' ? container.name : undefined;
      extractFromContainer(container, [...ctx.base, field, i], cname, `${label} ${cname ?? `#${i + 1}`}`, ctx);
    });
  }
  extractVolumes(spec.volumes, [...ctx.base, 'volumes'], ctx);
  extractPullSecrets(spec.imagePullSecrets, [...ctx.base, 'imagePullSecrets'], ctx);
}

/** `volumes:` entries (configMap, secret, projected sources). */
export function extractVolumes(volumes: unknown, path: NodePath, ctx: Ctx): void {
  if (!Array.isArray(volumes)) return;
  volumes.forEach((volume, i) => {
    if (!isRecord(volume)) return;
    const vname = typeof volume.name === 'string' && volume.name !== '' ? volume.name : `#${i + 1}`;
    extractFromVolume(volume, [...path, i], vname, ctx);
  });
}

/** `imagePullSecrets: [{name}]` of a pod spec or a ServiceAccount. */
export function extractPullSecrets(list: unknown, path: NodePath, ctx: Ctx): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    if (!isRecord(entry)) return;
    push(ctx, { form: 'image-pull-secret', targetKind: 'Secret', name: entry.name, namePath: [...path, i, 'name'], optional: false, where: 'imagePullSecrets' });
  });
}

const KEY_REFS = [
  ['configMapKeyRef', 'env-configmap-key', 'ConfigMap'],
  ['secretKeyRef', 'env-secret-key', 'Secret'],
] as const;

/**
 * One env var's key references: `valueFrom.{configMapKeyRef,secretKeyRef}` at `valueFromPath`.
 * `source` is the record holding the two fields (normally `valueFrom`).
 */
export function extractEnvVar(source: Record<string, unknown>, valueFromPath: NodePath, envVar: string | undefined, where: string, cname: string | undefined, ctx: Ctx): void {
  for (const [field, form, targetKind] of KEY_REFS) {
    const ref = source[field];
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
}

/** `env` (list form) and `envFrom` of a container. */
export function extractFromContainer(container: Record<string, unknown>, path: NodePath, cname: string | undefined, described: string, ctx: Ctx): void {
  const env = container.env;
  if (Array.isArray(env)) {
    env.forEach((entry, j) => {
      if (!isRecord(entry) || !isRecord(entry.valueFrom)) return;
      const envVar = typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
      extractEnvVar(entry.valueFrom, [...path, 'env', j, 'valueFrom'], envVar, `env ${envVar ?? `#${j + 1}`} of ${described}`, cname, ctx);
    });
  }
  extractEnvFrom(container.envFrom, [...path, 'envFrom'], cname, described, ctx);
}

/** `envFrom: [{configMapRef}, {secretRef}]`. */
export function extractEnvFrom(envFrom: unknown, path: NodePath, cname: string | undefined, described: string, ctx: Ctx): void {
  if (!Array.isArray(envFrom)) return;
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
        namePath: [...path, j, field, 'name'],
        optional: ref.optional === true,
        where: `envFrom of ${described}`,
        container: cname,
      });
    }
  });
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

export interface Raw {
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

const NO_KEYS: readonly ReferencedKey[] = Object.freeze([]);

export function push(ctx: Ctx, raw: Raw): void {
  if (typeof raw.name !== 'string') return;
  const name = ctx.rename ? ctx.rename(raw.name, raw.targetKind) : raw.name;
  if (!readableName(name)) return;
  const path = ctx.obj.path;
  const docIndex = typeof ctx.obj.docIndex === 'number' ? ctx.obj.docIndex : 0;
  // A scan holds every reference until its end: node paths are copied to exact-size arrays (an array
  // built by spreading has about twice the capacity it needs) or shared (SharedParts), and a reference
  // without keys shares one empty list. 50,000 manifests hold 75,000 references.
  const shared = ctx.shared;
  const locate =
    ctx.locate ?? ((nodePath: NodePath): Location => ({ path, docIndex, nodePath: shared ? sharedPath(shared, nodePath) : nodePath.slice() }));
  const keys: readonly ReferencedKey[] = raw.keys === undefined || raw.keys.length === 0 ? NO_KEYS : raw.keys.map((k) => ({ key: k.key, location: locate(k.path) }));
  ctx.out.push({
    form: raw.form,
    targetKind: raw.targetKind,
    name,
    location: locate(raw.namePath),
    keys,
    optional: raw.optional,
    owner: ctx.owner,
    namespaces: ctx.namespaces,
    ...(raw.container !== undefined ? { container: raw.container } : {}),
    ...(raw.envVar !== undefined ? { envVar: raw.envVar } : {}),
    where: shared ? sharedText(shared, raw.where) : raw.where,
    path,
    ...(ctx.builds && ctx.builds.length > 0 ? { builds: ctx.builds } : {}),
  });
}

export function itemKeys(items: unknown, path: NodePath): { key: string; path: NodePath }[] {
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

export function readableKey(key: unknown): key is string {
  return typeof key === 'string' && key !== '' && !TEMPLATED.test(key);
}
