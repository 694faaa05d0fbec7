import type { Provider } from '../model.js';
import type { Generator } from '../kustomize/model.js';
import { namesInScopes, namespacesInScopes, placementsIn, type ProviderModule } from './provider.js';

/** Keys a generator entry puts into its object, or 'unknown' when an env file is not in the repository. */
export function generatorKeys(generator: Generator): ReadonlySet<string> | 'unknown' {
  const keys = new Set<string>();
  for (const l of generator.literals) keys.add(l.key);
  for (const f of generator.files) keys.add(f.key);
  for (const env of generator.envs) {
    if (env.entries === 'unknown') return 'unknown';
    for (const e of env.entries) keys.add(e.key);
  }
  return keys;
}

/**
 * kustomize `configMapGenerator` / `secretGenerator` entries, in every build of their kustomization.
 * `behavior: merge|replace` entries are providers too: they name an object generated elsewhere and
 * add (or replace) its keys.
 */
export const kustomizeGeneratorProvider: ProviderModule = {
  id: 'kustomize-generator',
  description: 'kustomize configMapGenerator and secretGenerator entries: keys from literals, files and env files.',
  provide(context) {
    const providers: Provider[] = [];
    for (const generator of context.kustomize.generators) {
      const scopes = context.kustomize.scopesOfKustomization(generator.kustomization);
      const secretType = generator.kind === 'Secret' ? (generator.type ?? 'Opaque') : undefined;
      providers.push({
        kind: generator.kind,
        name: generator.name,
        names: namesInScopes(generator.name, scopes),
        namespaces: namespacesInScopes(generator.namespace, scopes),
        keys: generatorKeys(generator),
        via: generator.kind === 'Secret' ? 'kustomize secretGenerator' : 'kustomize configMapGenerator',
        location: generator.location,
        builds: placementsIn(generator.name, generator.namespace, scopes),
        ...(generator.behavior !== 'create' ? { modifies: generator.behavior } : {}),
        ...(secretType !== undefined ? { secretType } : {}),
      });
    }
    return providers;
  },
};
