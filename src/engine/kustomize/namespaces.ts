import type { BuildScope } from '../model.js';

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
