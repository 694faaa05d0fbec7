import type { Provider } from '../model.js';
import { metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Keys of the credentials Secrets CloudNativePG writes for a Cluster
 * (https://cloudnative-pg.io/documentation/current/applications/#secrets).
 */
const CREDENTIAL_KEYS = ['username', 'password', 'host', 'port', 'dbname', 'uri', 'jdbc-uri', 'pgpass', 'user', 'fqdn-uri', 'fqdn-jdbc-uri'];

const CNPG_SECRETS: readonly (readonly [suffix: string, keys: readonly string[], type: string])[] = [
  ['-app', CREDENTIAL_KEYS, 'kubernetes.io/basic-auth'],
  // Only created with spec.enableSuperuserAccess: true (default false since 1.21); provided anyway,
  // since a missing Secret here is a configuration choice, not something keyref can prove.
  ['-superuser', CREDENTIAL_KEYS, 'kubernetes.io/basic-auth'],
  // Operator-managed CA and server certificate (https://cloudnative-pg.io/documentation/current/certificates/).
  ['-ca', ['ca.crt', 'ca.key'], 'Opaque'],
  ['-server', ['tls.crt', 'tls.key'], 'kubernetes.io/tls'],
];

/** CloudNativePG `Cluster` (postgresql.cnpg.io): `<name>-app`, `<name>-superuser`, `<name>-ca`, `<name>-server`. */
export const cnpgClusterProvider: ProviderModule = {
  id: 'cnpg-cluster',
  description: 'CloudNativePG Cluster: Secrets <name>-app and <name>-superuser (username, password, host, port, dbname, uri, …), <name>-ca and <name>-server.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Cluster', ['postgresql.cnpg.io'])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      for (const [suffix, keys, secretType] of CNPG_SECRETS) {
        providers.push(
          providerFromObject(context, object, { kind: 'Secret', name: name + suffix, keys: new Set(keys), via: 'CloudNativePG Cluster', secretType }),
        );
      }
    }
    return providers;
  },
};
