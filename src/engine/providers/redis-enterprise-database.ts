import type { Provider } from '../model.js';
import { field, metadataName, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Redis Enterprise operator `RedisEnterpriseDatabase` (app.redislabs.com): the database Secret,
 * spec.databaseSecretName or `redb-<name>`, with password, port, service_name and service_names
 * (https://redis.io/docs/latest/operate/kubernetes/networking/database-connectivity/).
 * When spec.databaseSecretName is set the user creates it, so its keys are not known here.
 */
export const redisEnterpriseDatabaseProvider: ProviderModule = {
  id: 'redis-enterprise-database',
  description: 'Redis Enterprise RedisEnterpriseDatabase: Secret redb-<name> (password, port, service_name, service_names).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'RedisEnterpriseDatabase', ['app.redislabs.com'])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      const custom = nonEmptyString(field(object.value, 'spec', 'databaseSecretName'));
      providers.push(
        providerFromObject(context, object, {
          kind: 'Secret',
          name: custom ?? `redb-${name}`,
          keys: custom !== undefined ? 'unknown' : new Set(['password', 'port', 'service_name', 'service_names']),
          via: 'Redis Enterprise database',
        }),
      );
    }
    return providers;
  },
};
