import type { BuildPlacement, Provider } from '../model.js';
import { namesInScopes, namespacesInScopes, placementsIn, type ProviderModule } from './provider.js';

/**
 * kustomize inline and JSON 6902 patches that set ConfigMap/Secret keys. The patched object
 * exists elsewhere (a patch without a target fails the build); the patch adds its keys, in every
 * build of the kustomization that applies it.
 */
export const kustomizePatchProvider: ProviderModule = {
  id: 'kustomize-patch',
  description: 'kustomize inline and JSON 6902 patches of ConfigMaps/Secrets: the keys they add (a JSON 6902 patch file: any key).',
  provide(context) {
    const providers: Provider[] = [];
    for (const patch of context.kustomize.keyPatches ?? []) {
      const scopes = context.kustomize.scopesOfKustomization(patch.kustomization);
      providers.push({
        kind: patch.kind,
        name: patch.name,
        names: namesInScopes(patch.name, scopes),
        namespaces: namespacesInScopes(patch.namespace, scopes),
        keys: patch.keys,
        via: 'kustomize patch',
        location: patch.location,
        builds: placementsIn(patch.name, patch.namespace, scopes),
        modifies: 'merge',
      });
    }
    return providers;
  },
};

function sameNamespace(a: BuildPlacement, b: BuildPlacement): boolean {
  return a.namespace === b.namespace;
}

/**
 * Ties kustomize patches and `behavior: merge|replace` generators to the object they change, build
 * by build, as kustomize does: in a build without that object a patch with a target selector
 * changes nothing (and one without fails the build), so it must not make a namesake exist there.
 * A modifier keeps only the placements whose build has the object (under its own name or the
 * object's final name), renamed to the object's final name; one left with none is dropped. An
 * object whose every placement a `replace` generator replaces is dropped: its keys are gone.
 */
export function anchorModifiers(all: readonly Provider[]): Provider[] {
  const targets = new Map<string, { provider: Provider; placement: BuildPlacement }[]>();
  for (const provider of all) {
    if (provider.modifies !== undefined) continue;
    for (const placement of provider.builds ?? []) {
      for (const name of new Set([provider.name, placement.name])) {
        const key = `${provider.kind}\0${placement.root}\0${name}`;
        const list = targets.get(key);
        if (list === undefined) targets.set(key, [{ provider, placement }]);
        else list.push({ provider, placement });
      }
    }
  }
  const replaced = new Map<Provider, Set<BuildPlacement>>();
  const out: Provider[] = [];
  for (const provider of all) {
    if (provider.modifies === undefined || !provider.builds || provider.builds.length === 0) {
      out.push(provider);
      continue;
    }
    const kept: BuildPlacement[] = [];
    for (const placement of provider.builds) {
      const anchors = [provider.name, placement.name]
        .flatMap((name) => targets.get(`${provider.kind}\0${placement.root}\0${name}`) ?? [])
        .filter((t) => sameNamespace(t.placement, placement) || provider.namespaces.includes(t.placement.namespace));
      const anchor = anchors[0];
      if (anchor === undefined) continue;
      kept.push(anchor.placement);
      if (provider.modifies === 'replace') for (const a of anchors) replaced.set(a.provider, (replaced.get(a.provider) ?? new Set()).add(a.placement));
    }
    if (kept.length === 0) continue;
    const unique = [...new Set(kept)];
    out.push({
      ...provider,
      names: [...new Set([provider.name, ...unique.map((p) => p.name)])],
      namespaces: [...new Set(unique.map((p) => p.namespace))],
      builds: unique,
    });
  }
  return out.filter((p) => {
    const gone = replaced.get(p);
    return gone === undefined || (p.builds ?? []).some((b) => !gone.has(b));
  });
}
