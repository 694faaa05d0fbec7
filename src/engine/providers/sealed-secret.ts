import type { Provider } from '../model.js';
import { field, mapKeys, metadataName, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Bitnami `SealedSecret`: the controller unseals it into a Secret with the keys of
 * spec.encryptedData plus spec.template.data (https://github.com/bitnami-labs/sealed-secrets).
 * The Secret is named after the SealedSecret; a name in spec.template.metadata is kept as an alias.
 */
export const sealedSecretProvider: ProviderModule = {
  id: 'sealed-secret',
  description: 'Bitnami SealedSecret: a Secret with the keys of spec.encryptedData and spec.template.data.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'SealedSecret', ['bitnami.com'])) {
      const ownName = metadataName(object);
      const templateName = nonEmptyString(field(object.value, 'spec', 'template', 'metadata', 'name'));
      const name = templateName ?? ownName;
      if (name === undefined) continue;
      const keys = new Set([...mapKeys(field(object.value, 'spec', 'encryptedData')), ...mapKeys(field(object.value, 'spec', 'template', 'data'))]);
      const namespace = nonEmptyString(field(object.value, 'spec', 'template', 'metadata', 'namespace')) ?? nonEmptyString(object.namespace);
      const secretType = nonEmptyString(field(object.value, 'spec', 'template', 'type'));
      providers.push(
        providerFromObject(context, object, {
          kind: 'Secret',
          name,
          ...(ownName !== undefined && ownName !== name ? { aliases: [ownName] } : {}),
          ...(namespace !== undefined ? { namespace } : {}),
          keys: keys.size > 0 ? keys : 'unknown',
          via: 'SealedSecret',
          ...(secretType !== undefined ? { secretType } : {}),
        }),
      );
    }
    return providers;
  },
};
