import type { Provider } from '../model.js';
import { mapKeys, metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/** A `ConfigMap` manifest. One with no data at all is treated as filled by something else (a controller, a patch). */
export const configMapProvider: ProviderModule = {
  id: 'configmap',
  description: 'ConfigMap manifests: keys of data and binaryData (an empty ConfigMap may hold any key).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'ConfigMap', [''])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      const keys = [...mapKeys(object.value['data']), ...mapKeys(object.value['binaryData'])];
      providers.push(
        providerFromObject(context, object, { kind: 'ConfigMap', name, keys: keys.length > 0 ? new Set(keys) : 'unknown', via: 'ConfigMap' }),
      );
    }
    return providers;
  },
};
