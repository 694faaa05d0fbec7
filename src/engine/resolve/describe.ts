/**
 * Shared wording and bookkeeping for the reference rules (unresolved-reference, missing-key,
 * wrong-kind, cross-namespace-reference). Messages name objects, containers, env vars, volumes and
 * keys — never a value.
 */
import type { Location, Provider, Reference, ReferenceForm, Severity } from '../model.js';

const VOLUME_FORMS: ReadonlySet<ReferenceForm> = new Set(['volume-configmap', 'volume-secret', 'projected-configmap', 'projected-secret']);

export function isVolumeForm(form: ReferenceForm): boolean {
  return VOLUME_FORMS.has(form);
}

/** "Deployment api" / "Deployment api (namespace web)". */
export function ownerText(ref: Reference): string {
  const kind = ref.owner.kind || 'object';
  const name = ref.owner.name ? ` ${ref.owner.name}` : '';
  return `${kind}${name}`;
}

/** `Deployment api, env DB_PASSWORD of container api` */
export function subject(ref: Reference): string {
  return `${ownerText(ref)}, ${ref.where}`;
}

/** The YAML field that makes the reference, for messages: `secretKeyRef`, `envFrom.configMapRef`… */
export function fieldOf(form: ReferenceForm): string {
  switch (form) {
    case 'env-configmap-key':
      return 'configMapKeyRef';
    case 'env-secret-key':
      return 'secretKeyRef';
    case 'envfrom-configmap':
      return 'envFrom configMapRef';
    case 'envfrom-secret':
      return 'envFrom secretRef';
    case 'volume-configmap':
      return 'configMap volume';
    case 'volume-secret':
      return 'secret volume';
    case 'projected-configmap':
      return 'projected configMap source';
    case 'projected-secret':
      return 'projected secret source';
    case 'image-pull-secret':
      return 'imagePullSecrets';
    case 'helm-values-from':
      return 'valuesFrom';
  }
}

/** What the pod will hit when the object is missing (non-optional reference). */
export function missingObjectFailure(form: ReferenceForm): string {
  switch (form) {
    case 'env-configmap-key':
    case 'env-secret-key':
    case 'envfrom-configmap':
    case 'envfrom-secret':
      return 'the container will not start (CreateContainerConfigError)';
    case 'volume-configmap':
    case 'volume-secret':
    case 'projected-configmap':
    case 'projected-secret':
      return 'the pod will be stuck in ContainerCreating (FailedMount)';
    case 'image-pull-secret':
      return 'pulling an image from a private registry will fail (ErrImagePull / ImagePullBackOff); public images still pull';
    case 'helm-values-from':
      return 'Flux will not install or upgrade the release (values could not be read)';
  }
}

/** What the problem leads to: the outcome of an optional reference, else `failure` (the object's absence by default). */
export function consequenceOf(ref: Reference, failure: (form: ReferenceForm) => string = missingObjectFailure): string {
  return ref.optional ? `it is optional, so ${optionalOutcome(ref.form)}` : failure(ref.form);
}

/** What happens instead when the reference is `optional: true`. */
export function optionalOutcome(form: ReferenceForm): string {
  switch (form) {
    case 'env-configmap-key':
    case 'env-secret-key':
      return 'the pod still starts, but the variable is left unset';
    case 'envfrom-configmap':
    case 'envfrom-secret':
      return 'the pod still starts, but without these variables';
    case 'helm-values-from':
      return 'the release is still installed, but without these values';
    default:
      return 'the pod still starts, but without these files';
  }
}

/** What the pod will hit when a referenced key is missing. */
export function missingKeyFailure(form: ReferenceForm): string {
  if (form === 'helm-values-from') return 'Flux will not install or upgrade the release (values key not found)';
  return form === 'env-configmap-key' || form === 'env-secret-key'
    ? 'the container will not start (CreateContainerConfigError: couldn’t find key)'
    : 'the pod will be stuck in ContainerCreating (FailedMount: references non-existent key)';
}

/** Severity for a reference problem: `notice` when optional, capped at `warning` for imagePullSecrets. */
export function severityFor(ref: Reference, wanted: Severity): Severity {
  if (ref.optional) return 'notice';
  if (ref.form === 'image-pull-secret' && wanted === 'error') return 'warning';
  return wanted;
}

export function nsText(ns: string | undefined): string {
  return ns === undefined ? '(no namespace)' : ns;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`, `"a", "b", "c", "d", "e" and 2 more`. */
export function listText(items: readonly string[], max = 5, conjunction: 'or' | 'and' = 'or'): string {
  const quoted = items.slice(0, max).map((x) => `"${x}"`);
  if (items.length > max) return `${quoted.join(', ')} and ${items.length - max} more`;
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted.at(-1)}`;
}

/** Where a provider comes from, for messages: "ConfigMap in config/app.yaml" / "kustomize secretGenerator in overlays/dev/kustomization.yaml". */
export function providerOrigin(p: Provider): string {
  const where = p.location?.path ? ` in ${p.location.path}` : '';
  return `${p.via || p.kind}${where}`;
}

/**
 * Stable identity: owner kind/name/namespace (its own `metadata.namespace`), container, where (env
 * var or volume name), form, referenced name — never a line number. The namespaces kustomize builds
 * the workload into are deliberately left out: adding an overlay must not make every existing
 * finding of the base look new in a review. Findings about particular namespaces pass them in
 * `extra` (see `namespacesPart`).
 */
export function identityOf(ref: Reference, ...extra: string[]): string[] {
  return [ref.owner.kind, ref.owner.name, ref.owner.namespace ?? '', ref.container ?? '', ref.where, ref.form, ref.name, ...extra];
}

/** A namespace list as one identity part: `ns:dev,prod` (unset as empty). */
export function namespacesPart(namespaces: readonly (string | undefined)[]): string {
  return `ns:${[...new Set(namespaces.map((n) => n ?? ''))].sort().join(',')}`;
}

/** Files of the providers involved, other than the reference's own file. */
export function relatedPaths(ref: Reference, providers: readonly Provider[]): string[] {
  const paths = new Set<string>();
  for (const p of providers) {
    const path = p.location?.path;
    if (typeof path === 'string' && path !== '' && path !== ref.path) paths.add(path);
  }
  return [...paths].sort();
}

/**
 * Whether replacing the first occurrence of `from` on the line of `location` surely hits the value:
 * not in JSON files (often many fields on one line), and not when `from` also occurs in the field's
 * own key text (`key: ke` would replace the "ke" of "key").
 */
export function suggestionSafe(location: Location, from: string): boolean {
  if (!lineEditable(location)) return false;
  const field = location.nodePath?.at(-1);
  const prefix = `- {${typeof field === 'string' ? field : ''}: "'`;
  return from !== '' && !prefix.includes(from);
}

/** JSON files often hold many fields on one line, where a first-occurrence replacement could hit the wrong one. */
export function lineEditable(location: Location): boolean {
  return !location.path.toLowerCase().endsWith('.json');
}

/** The location of the field key that holds the reference (`configMapKeyRef:`), from the name's location. */
export function fieldKeyLocation(ref: Reference): Location | undefined {
  const nodePath = ref.location.nodePath;
  if (!nodePath || nodePath.length < 2) return undefined;
  return { ...ref.location, nodePath: nodePath.slice(0, -1), part: 'key' };
}
