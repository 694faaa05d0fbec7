/**
 * RBAC that shows a workload creates a ConfigMap/Secret itself at run time: a Role or ClusterRole that
 * grants `create` on secrets (configmaps) and names the object in `resourceNames` (to read or update
 * it afterwards), bound to a ServiceAccount. argo-cd's `argocd-redis` Secret is made this way by the
 * redis Deployment's `secret-init` init container.
 */
import type { ManifestObject, ObjectRef, ProvidedKind } from '../model.js';
import { field, isRecord } from '../untrusted.js';

export interface SelfCreated {
  readonly kind: ProvidedKind;
  readonly name: string;
  /** The Role/ClusterRole that grants it. */
  readonly role: ObjectRef;
  readonly path: string;
  /** The ServiceAccounts bound to the role. */
  readonly serviceAccounts: readonly string[];
}

const RESOURCE: Record<string, ProvidedKind> = { secrets: 'Secret', configmaps: 'ConfigMap' };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** ServiceAccounts bound to each role, keyed `Role/ns/name` or `ClusterRole//name`. */
function boundServiceAccounts(objects: readonly ManifestObject[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const ref = field(o.value, 'roleRef');
    const kind = field(ref, 'kind');
    const name = field(ref, 'name');
    if ((kind !== 'Role' && kind !== 'ClusterRole') || typeof name !== 'string') continue;
    const sas = (Array.isArray(field(o.value, 'subjects')) ? (field(o.value, 'subjects') as unknown[]) : [])
      .filter(isRecord)
      .filter((s) => s['kind'] === 'ServiceAccount' && typeof s['name'] === 'string')
      .map((s) => s['name'] as string);
    if (sas.length === 0) continue;
    // A RoleBinding may bind a ClusterRole; the namespace is left loose (kustomize often sets it later).
    const key = `${kind}/${name}`;
    out.set(key, [...(out.get(key) ?? []), ...sas]);
  }
  return out;
}

/** Every object a bound role lets a workload create and then address by name. */
export function findSelfCreated(objects: readonly ManifestObject[]): SelfCreated[] {
  const roles = objects.filter((o) => (o.kind === 'Role' || o.kind === 'ClusterRole') && Array.isArray(field(o.value, 'rules')));
  if (roles.length === 0) return [];
  const bound = boundServiceAccounts(objects);
  const out: SelfCreated[] = [];
  for (const role of roles) {
    const sas = bound.get(`${role.kind}/${role.name}`);
    if (!sas) continue;
    const rules = (field(role.value, 'rules') as unknown[]).filter(isRecord);
    const coreGroup = (r: Record<string, unknown>) => {
      const groups = r['apiGroups'] === undefined ? [''] : strings(r['apiGroups']);
      return groups.includes('') || groups.includes('*');
    };
    for (const [resource, kind] of Object.entries(RESOURCE)) {
      const covers = (r: Record<string, unknown>) => coreGroup(r) && strings(r['resources']).some((x) => x === resource || x === '*');
      const canCreate = rules.some((r) => covers(r) && strings(r['verbs']).some((v) => v === 'create' || v === '*'));
      if (!canCreate) continue;
      const named = new Set(rules.filter(covers).flatMap((r) => strings(r['resourceNames'])));
      for (const name of named) out.push({ kind, name, role: { kind: role.kind, name: role.name }, path: role.path, serviceAccounts: sas });
    }
  }
  return out;
}
