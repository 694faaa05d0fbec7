import type { BuildScope, Location, ProvidedKind } from '../model.js';

/** One `configMapGenerator` / `secretGenerator` entry of a kustomization. */
export interface Generator {
  readonly kind: ProvidedKind;
  readonly name: string;
  /** The kustomization file that declares it. */
  readonly kustomization: string;
  /** `behavior: merge|replace` entries add keys to an object defined elsewhere. */
  readonly behavior: 'create' | 'merge' | 'replace';
  /** The entry's own `namespace:` (a kustomization `namespace:` overrides it). */
  readonly namespace?: string;
  /** secretGenerator `type:` (e.g. kubernetes.io/tls); kustomize's default is Opaque. */
  readonly type?: string;
  readonly literals: readonly { readonly key: string; readonly value: string; readonly location: Location }[];
  /** `files:` entries: key (explicit `key=path` or the file's base name) and the source path (resolved, POSIX). */
  readonly files: readonly { readonly key: string; readonly source: string; readonly location: Location }[];
  /** `envs:` / `env:` entries: source path (resolved) and the keys read from it, or 'unknown' when the file is not in the repository. */
  readonly envs: readonly {
    readonly source: string;
    readonly location: Location;
    readonly entries: readonly { readonly key: string; readonly value: string; readonly line: number }[] | 'unknown';
  }[];
  readonly location: Location;
  /**
   * `files:` / `envs:` inputs outside the repository (absolute, or `..` past its root), as written:
   * `kustomize build` refuses them and keyref cannot read them, so the generator's keys are unknown.
   */
  readonly outside?: readonly { readonly path: string; readonly location: Location }[];
  /** Generator `options.disableNameSuffixHash` etc. are irrelevant: references keep the plain name. */
}

/**
 * A kustomize patch that sets keys of a ConfigMap or Secret and is not a manifest of its own:
 * an inline patch (`patches[].patch`, inline `patchesStrategicMerge`) or a JSON 6902 patch.
 * (A strategic-merge patch file is an ordinary manifest and is seen through `scopesOf`.)
 */
export interface KeyPatch {
  readonly kind: ProvidedKind;
  readonly name: string;
  readonly namespace?: string;
  /** The kustomization that applies it. */
  readonly kustomization: string;
  /** Keys it adds or sets, or 'unknown' when the patch could not be read (a JSON 6902 patch file, a whole-map value that is not a map). */
  readonly keys: ReadonlySet<string> | 'unknown';
  readonly location: Location;
}

export interface KustomizeModel {
  /** Build scopes of a manifest file (always at least one: the empty scope when no kustomization includes it). */
  scopesOf(path: string): readonly BuildScope[];
  /** Build scopes in which a kustomization's own generators are built (its own scope chain). */
  scopesOfKustomization(path: string): readonly BuildScope[];
  readonly generators: readonly Generator[];
  /** Inline and JSON 6902 patches that set ConfigMap/Secret keys (optional so simple test doubles need not provide it). */
  readonly keyPatches?: readonly KeyPatch[];
  /** Whether kustomizations name this file only as a patch: its objects change objects of the build, they make none exist. */
  isPatchFile?(path: string): boolean;
  /** Rank of a kustomization in the order kustomize applies transformers (patches): inner kustomizations and components first. */
  transformOrder?(path: string): number;
}
