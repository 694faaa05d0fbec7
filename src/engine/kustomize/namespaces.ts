import type { BuildPlacement, BuildScope } from '../model.js';

/**
 * The namespace an object lands in, in each build that includes it: the build's `namespace:`
 * overrides the object's own metadata.namespace
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/);
 * undefined = unset. Use this for where a pod runs.
 */
export function buildNamespaces(own: string | undefined, scopes: readonly BuildScope[]): (string | undefined)[] {
  const namespaces = new Set<string | undefined>();
  for (const s of scopes) namespaces.add(s.namespace ?? own);
  if (namespaces.size === 0) namespaces.add(own);
  return [...namespaces];
}

/**
 * Namespaces a ConfigMap/Secret provider is taken to exist in: `buildNamespaces`, plus its own
 * metadata.namespace when a build overrides it, so that a reader which goes by metadata.namespace
 * still finds it (precision first: an extra namespace can only hide an error, never invent one).
 */
export function namespacesInScopes(own: string | undefined, scopes: readonly BuildScope[]): (string | undefined)[] {
  const namespaces = new Set(buildNamespaces(own, scopes));
  if (own !== undefined) namespaces.add(own);
  return [...namespaces];
}

/**
 * Where an object named `name` (own namespace `own`) lands in each root build: the final name and
 * namespace per root. Scopes without a root (the file is in no build) give none.
 */
export function placementsIn(name: string, own: string | undefined, scopes: readonly BuildScope[], namespaceFixed = false): BuildPlacement[] {
  const out: BuildPlacement[] = [];
  const seen = new Set<string>();
  for (const s of scopes) {
    if (s.root === undefined) continue;
    const namespace = namespaceFixed ? own : (s.namespace ?? own);
    const placement: BuildPlacement = { root: s.root, name: s.namePrefix + name + s.nameSuffix, ...(namespace !== undefined ? { namespace } : {}) };
    const key = `${placement.root}\0${placement.name}\0${placement.namespace ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(placement);
  }
  return out;
}
