import type { KustomizeModel } from '../kustomize/model.js';
import type { BuildPlacement, BuildScope, ManifestObject, NodePath, ObjectRef, ParsedRepository, Reference } from '../model.js';
import { extractFromContainer, extractFromPodSpec, extractPullSecrets, sharedParts, type Ctx, type SharedParts } from './extract.js';
import { extractHelmValues } from './helm-values.js';
import { placementsIn } from '../kustomize/namespaces.js';
import { findPodSpecs } from './pod-spec.js';
import { isRecord } from '../untrusted.js';

export { findPodSpecs, type PodSpecSite } from './pod-spec.js';
export { readableName } from './extract.js';

/**
 * Every place the repository refers to a ConfigMap or Secret by name: pod specs (wherever they are,
 * found by shape), ServiceAccount `imagePullSecrets`, and the chart values and `valuesFrom` of Flux
 * HelmReleases and Argo CD Applications.
 *
 * Input is untrusted: any field may be missing or have any type. What cannot be read is skipped;
 * this never throws. Names that are empty or templated (`$(VAR)`, `{{ .x }}`, `${VAR}`…) are skipped,
 * since what they will resolve to is unknown.
 */
export function extractReferences(repo: ParsedRepository, kustomize: KustomizeModel): Reference[] {
  const out: Reference[] = [];
  const shared = sharedParts();
  const objects = Array.isArray(repo?.objects) ? repo.objects : [];
  for (const obj of objects) {
    try {
      extractFromObject(obj, kustomize, out, shared);
    } catch {
      // Defensive: a hostile object (getters, proxies) must not stop the scan.
    }
  }
  return out;
}

function extractFromObject(obj: ManifestObject, kustomize: KustomizeModel, out: Reference[], shared: SharedParts): void {
  if (!obj || !isRecord(obj.value)) return;
  if (extractHelmValues(obj, () => namespacesOf(obj, kustomize), out, shared)) return;
  const serviceAccount = obj.kind === 'ServiceAccount' && obj.apiVersion === 'v1' && Array.isArray(obj.value.imagePullSecrets);
  const sites = serviceAccount ? [] : findPodSpecs(obj);
  if (sites.length === 0 && !serviceAccount) return;
  const owner = ownerOf(obj);
  const namespaces = namespacesOf(obj, kustomize);
  const builds = buildsOf(obj, owner, kustomize);
  const basePath: NodePath = Array.isArray(obj.basePath) ? obj.basePath : [];
  if (serviceAccount) {
    // Pods of the ServiceAccount pull with these Secrets; the kubelet cannot pull without them.
    extractPullSecrets(obj.value.imagePullSecrets, [...basePath, 'imagePullSecrets'], { obj, owner, namespaces, builds, out, base: basePath, shared });
    return;
  }
  for (const site of sites) {
    const ctx: Ctx = { obj, owner, namespaces, builds, out, base: [...basePath, ...site.path], shared };
    if (site.container) extractFromContainer(site.spec, ctx.base, site.container.name, site.container.described, ctx);
    else extractFromPodSpec(site.spec, ctx);
  }
}

export function ownerOf(obj: ManifestObject): ObjectRef {
  const ns = namespaceOf(obj);
  return { kind: typeof obj.kind === 'string' ? obj.kind : '', name: typeof obj.name === 'string' ? obj.name : '', ...(ns !== undefined ? { namespace: ns } : {}) };
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
