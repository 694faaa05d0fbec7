import type { ManifestObject, NodePath } from '../model.js';

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
 * (spec.jobTemplate.spec.template.spec), the built-in workloads (spec.template.spec) and any other
 * kind whose spec.template.spec looks like a pod spec (an object with a `containers` array):
 * Argo Rollout, Knative Service, OpenKruise CloneSet…
 */
export function findPodSpecs(obj: Pick<ManifestObject, 'kind' | 'value'>): PodSpecSite[] {
  const value = obj.value;
  if (!isRecord(value)) return [];
  const kind = typeof obj.kind === 'string' ? obj.kind : typeof value.kind === 'string' ? value.kind : '';
  const known = kind === 'Pod' || kind === 'PodTemplate' || kind === 'CronJob' || TEMPLATE_KINDS.has(kind);
  const accept = known ? looksLikePartialPodSpec : looksLikePodSpec;

  const candidates: NodePath[] =
    kind === 'Pod'
      ? [['spec']]
      : kind === 'PodTemplate'
        ? [['template', 'spec']]
        : kind === 'CronJob'
          ? [['spec', 'jobTemplate', 'spec', 'template', 'spec']]
          : TEMPLATE_KINDS.has(kind)
            ? [['spec', 'template', 'spec']]
            : [
                ['spec', 'template', 'spec'],
                ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
              ];
  const sites: PodSpecSite[] = [];
  for (const path of candidates) {
    const spec = at(value, path);
    if (isRecord(spec) && accept(spec)) sites.push({ spec, path });
  }
  return sites;
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

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
