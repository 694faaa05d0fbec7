import type { Provider } from '../model.js';
import { withReplication } from './replication.js';
import { field, mapKeys, metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Annotations that make a controller add a key to the ConfigMap: OpenShift's service CA operator
 * injects service-ca.crt (https://docs.openshift.com/container-platform/latest/security/certificates/service-serving-certificate.html).
 */
const INJECTED_KEYS: readonly (readonly [annotation: string, key: string])[] = [
  ['service.beta.openshift.io/inject-cabundle', 'service-ca.crt'],
];

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
      const annotations = field(object.value, 'metadata', 'annotations');
      for (const [annotation, key] of INJECTED_KEYS) if (field(annotations, annotation) === 'true' || field(annotations, annotation) === true) keys.push(key);
      const provider = providerFromObject(context, object, { kind: 'ConfigMap', name, keys: keys.length > 0 ? new Set(keys) : 'unknown', via: 'ConfigMap' });
      providers.push(withReplication(provider, object));
    }
    return providers;
  },
};
