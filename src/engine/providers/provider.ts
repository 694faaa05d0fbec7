import type { EngineConfig } from '../config/schema.js';
import { namespacesInScopes, placementsIn } from '../kustomize/namespaces.js';
import type { KustomizeModel } from '../kustomize/model.js';
import type { BuildScope, Location, ManifestObject, NodePath, ParsedRepository, ProvidedKind, Provider } from '../model.js';
import { field, isRecord } from '../untrusted.js';
export { field, isRecord };

/** What a provider module reads: the parsed repository, its kustomize builds and the configuration. */
export interface ProviderContext {
  readonly repo: ParsedRepository;
  readonly kustomize: KustomizeModel;
  readonly config: EngineConfig;
  /** Objects of one `kind` (an index built once, so each module only visits what it understands). */
  objectsOfKind(kind: string): readonly ManifestObject[];
  /**
   * The scan's one copy of a key set equal to `keys` (same keys, same order), shared by every provider
   * that holds such a set (see sharedKeySets); absent, each provider keeps its own.
   */
  readonly sharedKeys?: (keys: ReadonlySet<string>) => ReadonlySet<string>;
}

/**
 * Key sets shared within one scan. A scan holds every provider to its end, and a Set of a few keys
 * takes ~200 bytes of hash table: the same ConfigMap in each overlay of a kustomize tree, or a fleet of
 * Secrets of one type, have equal key sets (generated:50,000: 25,000 providers, a handful of distinct
 * sets). Sets are equal when they hold the same keys in the same order, so sharing changes nothing a
 * reader can see; providers never change their keys.
 */
export function sharedKeySets(): (keys: ReadonlySet<string>) => ReadonlySet<string> {
  const known = new Map<string, ReadonlySet<string>>();
  return (keys) => {
    const id = JSON.stringify([...keys]); // unambiguous for any key (untrusted input may hold any text)
    const shared = known.get(id);
    if (shared !== undefined) return shared;
    known.set(id, keys);
    return keys;
  };
}

/**
 * One source of ConfigMaps/Secrets: a Kubernetes kind, an operator, kustomize, the configuration.
 * Adding support for an operator = one module exporting such an object + one entry in `providerModules`.
 */
export interface ProviderModule {
  readonly id: string;
  /** One line for documentation: what it recognises and what it provides. */
  readonly description: string;
  provide(context: ProviderContext): Provider[];
}

export function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Keys of a map node (`data`, `stringData`…); [] when it is not a map. */
export function mapKeys(v: unknown): string[] {
  return isRecord(v) ? Object.keys(v) : [];
}

/** API group of an apiVersion (`cert-manager.io/v1` → `cert-manager.io`, `v1` → ''). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Objects of a kind whose API group is one of `groups`. */
export function objectsOf(context: ProviderContext, kind: string, groups: readonly string[]): ManifestObject[] {
  return context.objectsOfKind(kind).filter((o) => groups.includes(apiGroup(o.apiVersion)));
}

/** The object's own name and the names kustomize gives it in each build (prefix + name + suffix). */
export function namesInScopes(name: string, scopes: readonly BuildScope[]): string[] {
  const names = new Set([name]);
  for (const s of scopes) names.add(s.namePrefix + name + s.nameSuffix);
  return [...names];
}

export { namespacesInScopes, placementsIn };

export function keySet(keys: Iterable<string>): ReadonlySet<string> {
  return new Set(keys);
}

export interface ObjectProviderSpec {
  readonly kind: ProvidedKind;
  /** Name of the provided object. */
  readonly name: string;
  /** Extra names it is known by (before kustomize prefixes/suffixes are applied). */
  readonly aliases?: readonly string[];
  /** Its own namespace (before kustomize's); defaults to the object's metadata.namespace. */
  readonly namespace?: string;
  /** When true, `namespace` is fixed by the operator (a spec field) and kustomize does not change it. */
  readonly namespaceFixed?: boolean;
  readonly keys: ReadonlySet<string> | 'unknown';
  readonly via: string;
  readonly secretType?: string;
  /** Node (relative to the object) to point at; default the object itself. */
  readonly nodePath?: NodePath;
}

/** The node path of an object's own document root (held by many providers: one frozen copy). */
const ROOT: NodePath = Object.freeze([]);

export function locationOf(object: ManifestObject, nodePath: NodePath = []): Location {
  const path = object.basePath.length === 0 && nodePath.length === 0 ? ROOT : [...object.basePath, ...nodePath];
  return { path: object.path, docIndex: object.docIndex, nodePath: path };
}

/** A provider defined by an object in the repository, in every build that includes the object's file. */
export function providerFromObject(context: ProviderContext, object: ManifestObject, spec: ObjectProviderSpec): Provider {
  const scopes = context.kustomize.scopesOf(object.path);
  const names = new Set<string>();
  for (const n of [spec.name, ...(spec.aliases ?? [])]) for (const alias of namesInScopes(n, scopes)) names.add(alias);
  const own = spec.namespace ?? nonEmptyString(object.namespace);
  const namespaces = spec.namespaceFixed && own !== undefined ? [own] : namespacesInScopes(own, scopes);
  const builds = placementsIn(spec.name, own, scopes, spec.namespaceFixed === true && own !== undefined);
  return {
    kind: spec.kind,
    name: spec.name,
    names: [...names],
    namespaces,
    keys: spec.keys === 'unknown' || !context.sharedKeys ? spec.keys : context.sharedKeys(spec.keys),
    via: spec.via,
    location: locationOf(object, spec.nodePath),
    ...(spec.secretType !== undefined ? { secretType: spec.secretType } : {}),
    ...(builds.length > 0 ? { builds } : {}),
    ...(context.kustomize.isPatchFile?.(object.path) === true ? { modifies: 'merge' as const } : {}),
  };
}

/** metadata.name of an object's value, when it is a non-empty string. */
export function metadataName(object: ManifestObject): string | undefined {
  return nonEmptyString(object.name) ?? nonEmptyString(field(object.value, 'metadata', 'name'));
}
