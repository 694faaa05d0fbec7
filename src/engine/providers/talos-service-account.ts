import type { Provider } from '../model.js';
import { metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Talos `ServiceAccount` (talos.dev): Talos writes a Secret of the same name, in the same namespace,
 * holding a talosconfig for pods that mount it (Talos API access from Kubernetes). Its keys are
 * Talos's to choose, so they are not checked.
 */
export const talosServiceAccountProvider: ProviderModule = {
  id: 'talos-service-account',
  description: 'Talos ServiceAccount (talos.dev): a Secret of the same name (keys not checked).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'ServiceAccount', ['talos.dev'])) {
      const name = metadataName(object);
      if (name !== undefined) providers.push(providerFromObject(context, object, { kind: 'Secret', name, keys: 'unknown', via: 'Talos ServiceAccount' }));
    }
    return providers;
  },
};
