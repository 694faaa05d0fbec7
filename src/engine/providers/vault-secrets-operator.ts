import type { Provider } from '../model.js';
import { field, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

const KINDS = ['VaultStaticSecret', 'VaultDynamicSecret', 'VaultPKISecret', 'HCPVaultSecretsApp'];

/**
 * HashiCorp Vault Secrets Operator (secrets.hashicorp.com): each secret kind syncs into the Secret
 * spec.destination.name; its keys come from Vault, so they are unknown here
 * (https://developer.hashicorp.com/vault/docs/platform/k8s/vso/api-reference).
 */
export const vaultSecretsOperatorProvider: ProviderModule = {
  id: 'vault-secrets-operator',
  description: 'Vault Secrets Operator VaultStaticSecret / VaultDynamicSecret / VaultPKISecret / HCPVaultSecretsApp: the Secret spec.destination.name (keys unknown).',
  provide(context) {
    const providers: Provider[] = [];
    for (const kind of KINDS) {
      for (const object of objectsOf(context, kind, ['secrets.hashicorp.com'])) {
        const name = nonEmptyString(field(object.value, 'spec', 'destination', 'name'));
        if (name === undefined) continue;
        const secretType = nonEmptyString(field(object.value, 'spec', 'destination', 'type'));
        providers.push(
          providerFromObject(context, object, {
            kind: 'Secret',
            name,
            keys: 'unknown',
            via: `Vault ${kind}`,
            nodePath: ['spec', 'destination', 'name'],
            ...(secretType !== undefined ? { secretType } : {}),
          }),
        );
      }
    }
    return providers;
  },
};
