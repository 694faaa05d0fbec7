import type { Provider } from '../model.js';
import { metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * 1Password Connect operator `OnePasswordItem` (onepassword.com): a Secret of the same name holding
 * the item's fields, which the repository does not show (https://github.com/1Password/onepassword-operator).
 */
export const onePasswordItemProvider: ProviderModule = {
  id: 'onepassword-item',
  description: '1Password OnePasswordItem: a Secret of the same name (keys: the item fields, unknown here).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'OnePasswordItem', ['onepassword.com'])) {
      const name = metadataName(object);
      if (name !== undefined) providers.push(providerFromObject(context, object, { kind: 'Secret', name, keys: 'unknown', via: '1Password OnePasswordItem' }));
    }
    return providers;
  },
};
