import type { ManifestObject, Provider } from '../model.js';
import { field, isRecord } from './provider.js';

/*
 * Controllers that copy ConfigMaps/Secrets between namespaces, driven by annotations:
 *  - kubernetes-replicator (https://github.com/mittwald/kubernetes-replicator):
 *    `replicator.v1.mittwald.de/replicate-from: ns/name` fills the annotated object from another;
 *    `replicate-to` / `replicate-to-matching` on a source pushes copies to other namespaces.
 *  - Reflector (https://github.com/emberstack/kubernetes-reflector):
 *    `reflector.v1.k8s.emberstack.com/reflects: ns/name` fills a mirror;
 *    `reflection-auto-enabled: "true"` on a source creates mirrors in other namespaces.
 */
const FILLED_FROM = ['replicator.v1.mittwald.de/replicate-from', 'reflector.v1.k8s.emberstack.com/reflects'];
const REPLICATE_TO = 'replicator.v1.mittwald.de/replicate-to';
const REPLICATE_TO_MATCHING = 'replicator.v1.mittwald.de/replicate-to-matching';
const REFLECTOR_AUTO = 'reflector.v1.k8s.emberstack.com/reflection-auto-enabled';
const REFLECTOR_AUTO_NAMESPACES = 'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces';

function annotationText(annotations: Record<string, unknown>, key: string): string | undefined {
  const v = annotations[key];
  return typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : undefined;
}

/** A plain comma-separated namespace list, or undefined when it holds patterns (then: any namespace). */
function namespaceList(text: string): string[] | undefined {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 && items.every((s) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) ? items : undefined;
}

/** Applies replication annotations of `object` to a provider built from it: keys copied from elsewhere, copies in other namespaces. */
export function withReplication(provider: Provider, object: ManifestObject): Provider {
  const annotations = field(object.value, 'metadata', 'annotations');
  if (!isRecord(annotations)) return provider;
  let keys = provider.keys;
  if (FILLED_FROM.some((a) => annotationText(annotations, a) !== undefined)) keys = 'unknown';
  const namespaces = new Set(provider.namespaces);
  const to = annotationText(annotations, REPLICATE_TO);
  if (to !== undefined) for (const ns of namespaceList(to) ?? [undefined]) namespaces.add(ns);
  if (annotationText(annotations, REPLICATE_TO_MATCHING) !== undefined) namespaces.add(undefined);
  if (annotationText(annotations, REFLECTOR_AUTO) === 'true') {
    const auto = annotationText(annotations, REFLECTOR_AUTO_NAMESPACES);
    for (const ns of (auto !== undefined ? namespaceList(auto) : undefined) ?? [undefined]) namespaces.add(ns);
  }
  if (keys === provider.keys && namespaces.size === provider.namespaces.length) return provider;
  return { ...provider, keys, namespaces: [...namespaces] };
}
