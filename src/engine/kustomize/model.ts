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
  /** Generator `options.disableNameSuffixHash` etc. are irrelevant: references keep the plain name. */
}

export interface KustomizeModel {
  /** Build scopes of a manifest file (always at least one: the empty scope when no kustomization includes it). */
  scopesOf(path: string): readonly BuildScope[];
  /** Build scopes in which a kustomization's own generators are built (its own scope chain). */
  scopesOfKustomization(path: string): readonly BuildScope[];
  readonly generators: readonly Generator[];
}
