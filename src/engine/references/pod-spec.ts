import type { ManifestObject, NodePath } from '../model.js';
import { isRecord } from '../untrusted.js';

/** A pod spec found inside an object: the spec itself and its path from the object root. */
export interface PodSpecSite {
  /** The pod spec (or, for a container site, the container). */
  readonly spec: Record<string, unknown>;
  /** Path from the object root (not including the object's basePath). */
  readonly path: NodePath;
  /** Set when the site is a lone container (Argo Workflows `container`/`script`, Tekton `steps[]`) rather than a pod spec. */
  readonly container?: { readonly name: string | undefined; readonly described: string };
}

/** Workload kinds whose pod spec is at spec.template.spec; for these a partial spec (e.g. a kustomize patch with only volumes) still counts. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

const POD_FIELDS = ['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'imagePullSecrets'] as const;

/**
 * Finds the pod specs of an object: Pod (spec), PodTemplate (template.spec), CronJob
 * (spec.jobTemplate.spec.template.spec), the built-in workloads (spec.template.spec) and, for any
 * other kind, every pod spec under `spec` found by its shape (see searchShapes): Argo Rollout, Knative
 * Service, CloneSet, RayCluster, JobSet, LeaderWorkerSet, ECK podTemplate, Argo Workflows, Tekton…
 */
export function findPodSpecs(obj: Pick<ManifestObject, 'kind' | 'value'>): PodSpecSite[] {
  const value = obj.value;
  if (!isRecord(value)) return [];
  const kind = typeof obj.kind === 'string' ? obj.kind : typeof value.kind === 'string' ? value.kind : '';
  const known = kind === 'Pod' || kind === 'PodTemplate' || kind === 'CronJob' || TEMPLATE_KINDS.has(kind);
  const accept = known ? looksLikePartialPodSpec : looksLikePodSpec;

  const fixed: NodePath | undefined =
    kind === 'Pod'
      ? ['spec']
      : kind === 'PodTemplate'
        ? ['template', 'spec']
        : kind === 'CronJob'
          ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
          : TEMPLATE_KINDS.has(kind)
            ? ['spec', 'template', 'spec']
            : undefined;
  if (fixed) {
    const spec = at(value, fixed);
    return isRecord(spec) && accept(spec) ? [{ spec, path: fixed }] : [];
  }
  if (OPAQUE_KINDS.has(kind)) return [];
  const sites: PodSpecSite[] = [];
  searchShapes(value.spec, ['spec'], sites, { visited: 0 });
  return sites;
}

/**
 * Kinds that embed manifests or chart values to be rendered by something else (names and
 * namespaces are filled in later): their embedded pod specs are not read.
 */
const OPAQUE_KINDS = new Set(['HelmRelease', 'HelmChart', 'Application', 'ApplicationSet', 'Composition', 'Kustomization', 'Template']);

/** Keys under which CRDs hold chart values, patches or embedded sources rather than their own pod templates. */
const SKIPPED_KEYS = new Set(['values', 'valuesContent', 'valuesFrom', 'patches', 'patchesStrategicMerge', 'helm', 'kustomize', 'source', 'sources']);

const MAX_DEPTH = 12;
const MAX_VISITED = 5000;

/**
 * Finds every pod spec under `spec` by its shape, at any depth up to MAX_DEPTH, whatever the kind:
 * - a `template.spec` with a `containers` list (a PodTemplateSpec, even a partial one in a patch);
 * - any object whose `containers` list holds a container (an object with `name` and `image`):
 *   LeaderWorkerSet `leaderTemplate.spec`, ECK `podTemplate.spec`, Argo Workflows `containerSet`…;
 * - any object with a `volumes` list of ConfigMap/Secret volumes (a pod spec fragment: Argo Workflows
 *   and Tekton keep volumes and imagePullSecrets apart from their containers);
 * - a lone container (an object with `image` and an `env`/`envFrom` list): Argo Workflows
 *   `container`/`script`, Tekton `steps[]`/`sidecars[]`, operators' `spec` with image and env.
 * A node taken as a pod spec or container is not searched further, so nothing is counted twice.
 */
function searchShapes(node: unknown, path: (string | number)[], out: PodSpecSite[], budget: { visited: number }): void {
  // `path` is one stack, pushed and popped: most objects searched hold no pod spec, so no path is copied for them.
  if (path.length > MAX_DEPTH || ++budget.visited > MAX_VISITED) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (typeof child !== 'object' || child === null) continue;
      path.push(i);
      searchShapes(child, path, out, budget);
      path.pop();
    }
    return;
  }
  if (!isRecord(node)) return;
  const template = node.template;
  if (isRecord(template) && isRecord(template.spec) && looksLikePodSpec(template.spec)) {
    out.push({ spec: template.spec, path: [...path, 'template', 'spec'] });
    return;
  }
  if (holdsContainers(node)) {
    out.push({ spec: node, path: [...path] });
    return;
  }
  if (typeof node.image === 'string' && (Array.isArray(node.env) || Array.isArray(node.envFrom))) {
    const last = path[path.length - 1];
    const name = typeof node.name === 'string' && node.name !== '' ? node.name : undefined;
    const label = name ?? (typeof last === 'string' ? last : `#${Number(last) + 1}`);
    out.push({ spec: node, path: [...path], container: { name, described: `container ${label}` } });
    return;
  }
  const fragment = holdsVolumes(node);
  if (fragment) out.push({ spec: node, path: [...path] });
  for (const key in node) {
    if (!Object.prototype.hasOwnProperty.call(node, key) || SKIPPED_KEYS.has(key)) continue;
    if (fragment && POD_FIELDS.includes(key as (typeof POD_FIELDS)[number])) continue; // read with the fragment
    const child = node[key];
    if (typeof child !== 'object' || child === null) continue;
    path.push(key);
    searchShapes(child, path, out, budget);
    path.pop();
  }
}

/** A `containers` list with at least one container: an object with a string `name` and `image`. */
function holdsContainers(node: Record<string, unknown>): boolean {
  const list = node.containers;
  return Array.isArray(list) && list.some((c) => isRecord(c) && typeof c.name === 'string' && typeof c.image === 'string');
}

/** A `volumes` list with at least one named ConfigMap/Secret volume. */
function holdsVolumes(node: Record<string, unknown>): boolean {
  const list = node.volumes;
  return Array.isArray(list) && list.some((v) => isRecord(v) && typeof v.name === 'string' && (isRecord(v.configMap) || isRecord(v.secret) || isRecord(v.projected)));
}

function looksLikePodSpec(spec: Record<string, unknown>): boolean {
  return Array.isArray(spec.containers);
}

function looksLikePartialPodSpec(spec: Record<string, unknown>): boolean {
  return POD_FIELDS.some((f) => Array.isArray(spec[f]));
}

function at(value: unknown, path: NodePath): unknown {
  let node = value;
  for (const segment of path) {
    if (!isRecord(node)) return undefined;
    node = node[segment as string];
  }
  return node;
}

