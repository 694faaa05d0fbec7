import type { ManifestObject, NodePath } from '../model.js';
import { isRecord } from '../untrusted.js';

/** A pod spec found inside an object: the spec itself and its path from the object root. */
export interface PodSpecSite {
  readonly spec: Record<string, unknown>;
  /** Path from the object root (not including the object's basePath). */
  readonly path: NodePath;
}

/** Workload kinds whose pod spec is at spec.template.spec; for these a partial spec (e.g. a kustomize patch with only volumes) still counts. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

const POD_FIELDS = ['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'imagePullSecrets'] as const;

/**
 * Finds the pod specs of an object: Pod (spec), PodTemplate (template.spec), CronJob
 * (spec.jobTemplate.spec.template.spec), the built-in workloads (spec.template.spec) and, for any
 * other kind, every `template.spec` under `spec` that looks like a pod spec (an object with a
 * `containers` array): Argo Rollout, Knative Service, OpenKruise CloneSet, RayCluster, JobSet…
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
  searchTemplates(value.spec, ['spec'], sites, { visited: 0 });
  return sites;
}

/**
 * Kinds that embed manifests or chart values to be rendered by something else (names and
 * namespaces are filled in later): their embedded pod specs are not read.
 */
const OPAQUE_KINDS = new Set(['HelmRelease', 'HelmChart', 'Application', 'ApplicationSet', 'Composition', 'Kustomization', 'Template']);

/** Keys under which CRDs hold chart values, patches or embedded sources rather than their own pod templates. */
const SKIPPED_KEYS = new Set(['values', 'valuesContent', 'valuesFrom', 'patches', 'patchesStrategicMerge', 'helm', 'kustomize', 'source', 'sources']);

const MAX_DEPTH = 8;
const MAX_VISITED = 5000;

/**
 * Finds every `template.spec` pod spec (a PodTemplateSpec) under `spec`, at any depth up to
 * MAX_DEPTH: spec.template.spec (Rollout, Knative Service, CloneSet…), spec.jobTemplate.spec.template.spec,
 * RayCluster head/worker groups, JobSet replicated jobs, Kubeflow training replicas, KEDA ScaledJob…
 */
function searchTemplates(node: unknown, path: (string | number)[], out: PodSpecSite[], budget: { visited: number }): void {
  // `path` is one stack, pushed and popped: most objects searched hold no template, so no path is copied for them.
  if (path.length > MAX_DEPTH || ++budget.visited > MAX_VISITED) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i];
      if (typeof child !== 'object' || child === null) continue;
      path.push(i);
      searchTemplates(child, path, out, budget);
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
  for (const key in node) {
    if (!Object.prototype.hasOwnProperty.call(node, key) || SKIPPED_KEYS.has(key)) continue;
    const child = node[key];
    if (typeof child !== 'object' || child === null) continue;
    path.push(key);
    searchTemplates(child, path, out, budget);
    path.pop();
  }
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

