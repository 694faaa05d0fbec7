import { distance } from 'fastest-levenshtein';
import type { KustomizeModel } from '../kustomize/model.js';
import { dirOf } from '../kustomize/paths.js';
import type { ProvidedKind, Provider, ProviderIndex, Reference, ReferencedKey } from '../model.js';

type Namespace = string | undefined;

/** A referenced key that no provider in scope holds, and the namespaces where it is missing. */
export interface MissingKey {
  readonly key: ReferencedKey;
  /** The pod namespaces in which it is missing (undefined = unset). */
  readonly namespaces: readonly Namespace[];
  /** The providers that apply in those namespaces (none of them has the key). */
  readonly providers: readonly Provider[];
  /**
   * Whether one of those providers is surely the object the pod uses (see `isRelated`). When not,
   * the only definitions found are in unrelated parts of the repository (another sample, another app)
   * and the pod may well use an object created elsewhere.
   */
  readonly confident: boolean;
}

export type Resolution =
  /** Every namespace the pod runs in has the object, with every referenced key (or an unknown key set). */
  | { readonly status: 'ok'; readonly providers: readonly Provider[] }
  /** The object exists wherever the pod runs, but some keys are missing. */
  | { readonly status: 'missing-keys'; readonly providers: readonly Provider[]; readonly missing: readonly MissingKey[] }
  /**
   * No object of that kind and name for (some of) the namespaces the pod runs in. `near`: names of the
   * same kind that are a likely typo (closest only), each resolving where the pod runs. When `foundIn`
   * is not empty the object exists for some of the pod's namespaces but not for `missingIn` — e.g. one
   * overlay lacks it. `elsewhere`: namesakes that do not count (other namespaces or the other kind, in
   * unrelated parts of the repository), for messages.
   */
  | {
      readonly status: 'unresolved';
      readonly near: readonly string[];
      readonly nearProviders: readonly Provider[];
      /** When `near` is empty: likely typos defined only in unrelated parts of the repository (a hint, not a claim). */
      readonly distantNear: readonly string[];
      readonly distantNearProviders: readonly Provider[];
      readonly missingIn: readonly Namespace[];
      readonly foundIn: readonly Namespace[];
      readonly providers: readonly Provider[];
      readonly elsewhere: readonly Provider[];
    }
  /** No object of the right kind has that name anywhere, but one of the other kind does where the pod runs, in a related place (see `isRelated`). */
  | { readonly status: 'wrong-kind'; readonly actualKind: ProvidedKind; readonly providers: readonly Provider[] }
  /** Objects of the right kind and name exist, but in none of the pod's namespaces. */
  | {
      readonly status: 'cross-namespace';
      readonly providers: readonly Provider[];
      /** Namespaces the object exists in. */
      readonly providerNamespaces: readonly string[];
      /** Namespaces the pod runs in. */
      readonly podNamespaces: readonly string[];
    };

/** Namespaces match when equal or when either side is unset. */
export function namespacesMatch(a: Namespace, b: Namespace): boolean {
  return a === undefined || b === undefined || a === b;
}

function inNamespace(provider: Provider, ns: Namespace): boolean {
  const nss = Array.isArray(provider.namespaces) && provider.namespaces.length > 0 ? provider.namespaces : [undefined];
  return nss.some((p) => namespacesMatch(p, ns));
}

/** Secret types whose keys the control plane fills in: never report their keys missing. */
const CONTROLLER_FILLED_TYPES = new Set(['kubernetes.io/service-account-token']);

function holdsKey(provider: Provider, key: string): boolean | 'unknown' {
  if (provider.keys === 'unknown') return 'unknown';
  if (provider.secretType !== undefined && CONTROLLER_FILLED_TYPES.has(provider.secretType)) return 'unknown';
  return provider.keys instanceof Set || typeof (provider.keys as { has?: unknown })?.has === 'function' ? provider.keys.has(key) : 'unknown';
}

export const OTHER_KIND: Record<ProvidedKind, ProvidedKind> = { ConfigMap: 'Secret', Secret: 'ConfigMap' };

interface Resolutions {
  readonly byRef: Map<Reference, Resolution>;
  /**
   * One `ok` resolution per list of providers, when it is every object of the name (in the index's
   * order) or a single one: most references resolve, to one of those (generated:50000: 75,000
   * references, 25,000 distinct answers), and the scan holds the resolutions to its end.
   */
  readonly ok: Map<readonly Provider[] | Provider, Resolution>;
}

// Outer WeakMap: one entry per scan, gone with its index. Inner Maps, not WeakMaps: tens of thousands of
// weak keys make every GC walk an ephemeron table, which cost more than the resolutions themselves.
const cache = new WeakMap<ProviderIndex, Resolutions>();

/** resolveReference, memoized per (reference, index): the reference rules all ask for the same resolutions. */
export function resolveReferenceCached(ref: Reference, index: ProviderIndex, kustomize?: KustomizeModel): Resolution {
  let resolutions = cache.get(index);
  if (!resolutions) {
    resolutions = { byRef: new Map(), ok: new Map() };
    cache.set(index, resolutions);
  }
  let result = resolutions.byRef.get(ref);
  if (!result) {
    result = resolveReference(ref, index, kustomize);
    if (result.status === 'ok') {
      // Resolved to one object, or to every object of its name in the index's order: the same answer as any other such reference.
      const all = safeLookup(index, ref.targetKind, ref.name);
      const key = result.providers.length === 1 ? result.providers[0] : sameList(result.providers, all) ? all : undefined;
      if (key !== undefined) {
        const shared = resolutions.ok.get(key);
        if (shared) result = shared;
        else resolutions.ok.set(key, result);
      }
    }
    resolutions.byRef.set(ref, result);
  }
  return result;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isAncestorDir(ancestor: string, dir: string): boolean {
  return ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

function rootsOf(kustomize: KustomizeModel | undefined, path: string, includeOwn: boolean): Set<string> {
  const roots = new Set<string>();
  if (!kustomize) return roots;
  const add = (fn: () => unknown) => {
    try {
      const scopes = fn();
      if (Array.isArray(scopes)) for (const s of scopes) if (s && typeof s.root === 'string') roots.add(s.root);
    } catch {
      // a model that cannot answer proves nothing
    }
  };
  add(() => kustomize.scopesOf(path));
  if (includeOwn) add(() => kustomize.scopesOfKustomization(path));
  return roots;
}

/**
 * Whether a provider is surely the object a reference means, rather than a namesake elsewhere in a
 * repository that holds several applications (samples, a monorepo): it is declared outside the
 * repository (configuration, cluster built-in), or defined in the same file, or both sides name the
 * same namespace explicitly, or they are built by the same kustomization, or their directories are
 * the same, nested, or siblings under a common non-root parent.
 * Only error-level claims (typo, wrong kind, missing key, other namespace) depend on it.
 */
export function isRelated(ref: Reference, provider: Provider, kustomize?: KustomizeModel): boolean {
  const path = provider.location?.path;
  if (typeof path !== 'string' || path === '') return true;
  if (path === ref.path) return true;
  if (ref.namespaces.some((n) => n !== undefined && provider.namespaces.includes(n))) return true;
  const a = dirOf(ref.path);
  const b = dirOf(path);
  if (isAncestorDir(a, b) || isAncestorDir(b, a)) return true;
  const pa = dirOf(a);
  if (a.includes('/') && pa === dirOf(b)) return true;
  const refRoots = rootsOf(kustomize, ref.path, false);
  if (refRoots.size > 0) for (const r of rootsOf(kustomize, path, true)) if (refRoots.has(r)) return true;
  return false;
}

/** Decides what a reference points at, per namespace the pod runs in. Never throws on well-typed input. */
export function resolveReference(ref: Reference, index: ProviderIndex, kustomize?: KustomizeModel): Resolution {
  const related = (p: Provider) => isRelated(ref, p, kustomize);
  const podNamespaces: readonly Namespace[] = ref.namespaces.length > 0 ? ref.namespaces : [undefined];
  const candidates = safeLookup(index, ref.targetKind, ref.name);

  const perNamespace = podNamespaces.map((ns) => ({ ns, providers: candidates.filter((p) => inNamespace(p, ns)) }));
  const missingIn = perNamespace.filter((x) => x.providers.length === 0).map((x) => x.ns);
  const foundIn = perNamespace.filter((x) => x.providers.length > 0).map((x) => x.ns);
  const inScope = uniq(perNamespace.flatMap((x) => x.providers));

  if (missingIn.length === 0) {
    const missing: MissingKey[] = [];
    for (const key of ref.keys) {
      const lacking = perNamespace.filter((x) => {
        const held = x.providers.map((p) => holdsKey(p, key.key));
        return !held.includes('unknown') && !held.includes(true);
      });
      if (lacking.length > 0) {
        const providers = uniq(lacking.flatMap((x) => x.providers));
        missing.push({ key, namespaces: lacking.map((x) => x.ns), providers, confident: providers.some(related) });
      }
    }
    return missing.length > 0 ? { status: 'missing-keys', providers: inScope, missing } : { status: 'ok', providers: inScope };
  }

  const elsewhere: Provider[] = [];
  if (foundIn.length === 0) {
    elsewhere.push(...candidates);
    const otherKind = OTHER_KIND[ref.targetKind];
    if (candidates.length === 0) {
      const others = safeLookup(index, otherKind, ref.name).filter((p) => podNamespaces.some((ns) => inNamespace(p, ns)));
      const relatedOthers = others.filter(related);
      if (relatedOthers.length > 0) return { status: 'wrong-kind', actualKind: otherKind, providers: relatedOthers };
      elsewhere.push(...others);
    } else if (candidates.some(related)) {
      const providerNamespaces = uniq(candidates.flatMap((p) => p.namespaces)).filter((n): n is string => typeof n === 'string');
      return {
        status: 'cross-namespace',
        providers: candidates,
        providerNamespaces: providerNamespaces.sort(),
        podNamespaces: podNamespaces.filter((n): n is string => typeof n === 'string'),
      };
    }
  }

  const near = nearNames(ref, index, missingIn, related);
  const distant = near.length === 0 && foundIn.length === 0 ? nearNames(ref, index, missingIn) : [];
  return {
    status: 'unresolved',
    near: near.map((n) => n.name),
    nearProviders: uniq(near.flatMap((n) => n.providers)),
    distantNear: distant.map((n) => n.name),
    distantNearProviders: uniq(distant.flatMap((n) => n.providers)),
    missingIn,
    foundIn,
    providers: inScope,
    elsewhere: foundIn.length === 0 ? elsewhere : [],
  };
}

/**
 * Names of the same kind that are probably what was meant: edit distance ≤ 2 and ≤ a third of the
 * length, resolving in every namespace where the reference fails, defined by related providers. Names that differ only in digits
 * (`db-v1` / `db-v2`, `redis-0` / `redis-1`) are versions, not typos, and are left out.
 */
export function nearNames(
  ref: Reference,
  index: ProviderIndex,
  namespaces: readonly Namespace[],
  related: (p: Provider) => boolean = () => true,
): { name: string; providers: Provider[] }[] {
  const found: { name: string; d: number; providers: Provider[] }[] = [];
  for (const { name: candidate, d } of typoCandidates(index, ref.targetKind, ref.name)) {
    const providers = safeLookup(index, ref.targetKind, candidate).filter((p) => namespaces.every((ns) => inNamespace(p, ns)) && related(p));
    if (providers.length === 0) continue;
    found.push({ name: candidate, d, providers });
  }
  found.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const best = found[0]?.d;
  // Report the closest ones only: a distance-1 match makes a distance-2 one noise.
  return found.filter((f) => f.d === best).map(({ name, providers }) => ({ name, providers }));
}

interface NameIndex {
  readonly names: readonly string[];
  /** bigram → ids of the names that contain it. */
  readonly postings: Map<string, number[]>;
  readonly memo: Map<string, { name: string; d: number }[]>;
  /** Scratch counters, one per name. */
  readonly counts: Int32Array;
}

/** Per index and kind: the distinct names with a bigram index, and the typo candidates already computed per name. */
const typoCache = new WeakMap<ProviderIndex, Map<ProvidedKind, NameIndex>>();

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

function nameIndexOf(index: ProviderIndex, kind: ProvidedKind): NameIndex {
  let byKind = typoCache.get(index);
  if (!byKind) {
    byKind = new Map();
    typoCache.set(index, byKind);
  }
  let entry = byKind.get(kind);
  if (!entry) {
    let raw: readonly unknown[] = [];
    try {
      const r = index.names(kind);
      if (Array.isArray(r)) raw = r;
    } catch {
      raw = [];
    }
    const names = [...new Set(raw.filter((n): n is string => typeof n === 'string'))];
    const postings = new Map<string, number[]>();
    names.forEach((n, id) => {
      for (const g of bigrams(n)) {
        const list = postings.get(g);
        if (list) list.push(id);
        else postings.set(g, [id]);
      }
    });
    entry = { names, postings, memo: new Map(), counts: new Int32Array(names.length) };
    byKind.set(kind, entry);
  }
  return entry;
}

/**
 * Names of that kind that are a likely typo of `name`, with their distance. Memoized per index and
 * name (many workloads share a missing name). Only names sharing enough bigrams are compared: two
 * edits change at most four bigrams, so a candidate must hold all but four of the name's distinct
 * bigrams — a large repository does not pay names × references edit distances.
 */
function typoCandidates(index: ProviderIndex, kind: ProvidedKind, name: string): { name: string; d: number }[] {
  const entry = nameIndexOf(index, kind);
  const cached = entry.memo.get(name);
  if (cached) return cached;
  const result: { name: string; d: number }[] = [];
  const grams = bigrams(name);
  const need = grams.size - 4;
  const consider = (id: number) => {
    const candidate = entry.names[id]!;
    if (Math.abs(candidate.length - name.length) > 2) return;
    const d = typoDistance(name, candidate);
    if (d !== undefined) result.push({ name: candidate, d });
  };
  if (need <= 0) {
    for (let id = 0; id < entry.names.length; id++) consider(id);
  } else {
    const touched: number[] = [];
    for (const g of grams) {
      for (const id of entry.postings.get(g) ?? []) {
        if (entry.counts[id] === 0) touched.push(id);
        entry.counts[id]! += 1;
      }
    }
    for (const id of touched) {
      if (entry.counts[id]! >= need) consider(id);
      entry.counts[id] = 0;
    }
  }
  entry.memo.set(name, result);
  return result;
}

/**
 * The edit distance between two names when one is a likely typo of the other, else undefined:
 * distance ≤ 2 and ≤ a third of the shorter length, and not merely a different version or a
 * different short token — `db-v1`/`db-v2`, `redis-0`/`redis-1`, `cache-a`/`cache-b`, `a.conf`/`b.conf`
 * name different things.
 */
export function typoDistance(a: string, b: string): number | undefined {
  if (a === b || Math.abs(a.length - b.length) > 2) return undefined;
  const d = distance(a, b);
  if (d > 2 || d * 3 > Math.min(a.length, b.length)) return undefined;
  if (a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#')) return undefined;
  const ta = a.split(/[-_./]/);
  const tb = b.split(/[-_./]/);
  if (ta.length === tb.length && ta.length > 1) {
    const differing = ta.map((t, i) => [t, tb[i] ?? ''] as const).filter(([x, y]) => x !== y);
    if (differing.length === 1 && differing[0]!.every((t) => t.length <= 2)) return undefined;
  }
  return d;
}

function safeLookup(index: ProviderIndex, kind: ProvidedKind, name: string): readonly Provider[] {
  try {
    const r = index.lookup(kind, name);
    return Array.isArray(r) ? r : [];
  } catch {
    return [];
  }
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
