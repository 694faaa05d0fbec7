import type { Provider } from '../model.js';
import { withReplication } from './replication.js';
import { isRecord, mapKeys, metadataName, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Keys the token controller adds to a `kubernetes.io/service-account-token` Secret
 * (https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets).
 */
const SERVICE_ACCOUNT_TOKEN_KEYS = ['token', 'ca.crt', 'namespace'];

/**
 * A `Secret` manifest, plain or SOPS-encrypted (SOPS leaves key names in clear and adds a top-level
 * `sops:` map). A Secret with no keys at all is treated as filled by something else; replication
 * annotations (see replication.ts) widen its keys and namespaces.
 */
export const secretProvider: ProviderModule = {
  id: 'secret',
  description: 'Secret manifests (also SOPS-encrypted): keys of data and stringData; service-account-token Secrets also get token, ca.crt and namespace.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Secret', [''])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      const type = nonEmptyString(object.value['type']);
      const keys = new Set([...mapKeys(object.value['data']), ...mapKeys(object.value['stringData'])]);
      if (type === 'kubernetes.io/service-account-token') for (const k of SERVICE_ACCOUNT_TOKEN_KEYS) keys.add(k);
      const provider = providerFromObject(context, object, {
        kind: 'Secret',
        name,
        keys: keys.size > 0 ? keys : 'unknown',
        via: isRecord(object.value['sops']) ? 'SOPS Secret' : 'Secret',
        ...(type !== undefined ? { secretType: type } : {}),
      });
      providers.push(withReplication(provider, object));
    }
    return providers;
  },
};
