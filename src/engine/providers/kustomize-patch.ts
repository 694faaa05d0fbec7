import type { Provider } from '../model.js';
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
      });
    }
    return providers;
  },
};
