import type { Provider } from '../model.js';
import { field, isRecord, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Secrets Store CSI Driver `SecretProviderClass` (secrets-store.csi.x-k8s.io): spec.secretObjects
 * mirror mounted objects into Secrets named secretName with the keys of data[].key, once a pod
 * mounts the volume (https://secrets-store-csi-driver.sigs.k8s.io/topics/sync-as-kubernetes-secret).
 */
export const secretsStoreCsiProvider: ProviderModule = {
  id: 'secrets-store-csi',
  description: 'Secrets Store CSI SecretProviderClass: Secrets of spec.secretObjects[].secretName with the keys of data[].key.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'SecretProviderClass', ['secrets-store.csi.x-k8s.io'])) {
      const secretObjects = field(object.value, 'spec', 'secretObjects');
      if (!Array.isArray(secretObjects)) continue;
      secretObjects.forEach((so: unknown, i) => {
        const name = nonEmptyString(field(so, 'secretName'));
        if (name === undefined) return;
        const data = field(so, 'data');
        const keys = new Set<string>();
        if (Array.isArray(data)) for (const d of data) if (isRecord(d) && nonEmptyString(d['key'])) keys.add(d['key'] as string);
        const secretType = nonEmptyString(field(so, 'type'));
        providers.push(
          providerFromObject(context, object, {
            kind: 'Secret',
            name,
            keys: keys.size > 0 ? keys : 'unknown',
            via: 'SecretProviderClass',
            nodePath: ['spec', 'secretObjects', i, 'secretName'],
            ...(secretType !== undefined ? { secretType } : {}),
          }),
        );
      });
    }
    return providers;
  },
};
