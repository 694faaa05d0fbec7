import { isRecord } from '../untrusted.js';

/** The object a `$patch: delete` patch removes from the build. */
export const DELETED = Symbol('deleted');

/**
 * Merge keys of the pod-spec lists that hold ConfigMap/Secret references, as in the Kubernetes API's
 * `patchMergeKey` (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/).
 * A list without one (envFrom, items…) is replaced by the patch's list.
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

function isDirective(key: string): boolean {
  return key.startsWith('$');
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !(isRecord(v) && v['$patch'] !== undefined && Object.keys(v).length === 1)).map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!isDirective(k)) out[k] = stripDirectives(v);
  return out;
}

function mergeList(base: unknown, patch: readonly unknown[], field: string | undefined): unknown {
  if (patch.some((v) => isRecord(v) && v['$patch'] === 'replace')) return stripDirectives(patch);
  const key = field !== undefined ? MERGE_KEYS[field] : undefined;
  if (key === undefined || !Array.isArray(base)) return stripDirectives(patch);
  const out: unknown[] = [...base];
  for (const element of patch) {
    if (!isRecord(element) || element[key] === undefined) continue;
    const at = out.findIndex((b) => isRecord(b) && b[key] === element[key]);
    if (element['$patch'] === 'delete') {
      if (at !== -1) out.splice(at, 1);
    } else if (at === -1) {
      out.push(stripDirectives(element));
    } else {
      out[at] = merge(out[at], element, undefined);
    }
  }
  return out;
}

function merge(base: unknown, patch: unknown, field: string | undefined): unknown {
  if (Array.isArray(patch)) return mergeList(base, patch, field);
  if (!isRecord(patch)) return patch;
  if (patch['$patch'] === 'replace' || !isRecord(base)) return stripDirectives(patch);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (isDirective(k)) continue;
    if (v === null) delete out[k];
    else out[k] = merge(base[k], v, k);
  }
  return out;
}

/**
 * Applies a strategic-merge patch to an object, for what decides its ConfigMap/Secret references:
 * maps merge, `null` deletes a field, lists with a merge key merge by it (`$patch: delete` drops an
 * element), other lists are replaced, `$patch: replace` replaces a map or list and `$patch: delete`
 * at the top removes the object. Other directives (`$setElementOrder`, `$retainKeys`…) only order
 * or prune fields and are ignored. Never mutates its inputs.
 */
export function applyStrategicMerge(base: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> | typeof DELETED {
  if (patch['$patch'] === 'delete') return DELETED;
  const merged = merge(base, patch, undefined);
  return isRecord(merged) ? merged : { ...base };
}
