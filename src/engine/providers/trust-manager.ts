import type { Provider } from '../model.js';
import { field, metadataName, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * cert-manager trust-manager `Bundle` (trust.cert-manager.io): writes the bundle into a ConfigMap
 * and/or Secret named after the Bundle, under spec.target.configMap.key / spec.target.secret.key,
 * in every namespace matched by spec.target.namespaceSelector (all by default), so its namespaces are "any"
 * (https://cert-manager.io/docs/trust/trust-manager/).
 */
export const trustManagerBundleProvider: ProviderModule = {
  id: 'trust-manager-bundle',
  description: 'trust-manager Bundle: a ConfigMap/Secret named after the Bundle in every namespace, with the key of spec.target.configMap/secret.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Bundle', ['trust.cert-manager.io'])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      for (const [kind, targetField] of [
        ['ConfigMap', 'configMap'],
        ['Secret', 'secret'],
      ] as const) {
        const key = nonEmptyString(field(object.value, 'spec', 'target', targetField, 'key'));
        if (key === undefined) continue;
        const provider = providerFromObject(context, object, { kind, name, keys: new Set([key]), via: 'trust-manager Bundle', nodePath: ['spec', 'target', targetField] });
        providers.push({ ...provider, namespaces: [undefined] });
      }
    }
    return providers;
  },
};
