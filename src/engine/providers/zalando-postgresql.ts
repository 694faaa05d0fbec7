import type { Provider } from '../model.js';
import { field, isRecord, metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/** Users the operator always creates: the superuser and the replication user. */
const SYSTEM_USERS = ['postgres', 'standby'];

/**
 * Zalando postgres-operator `postgresql` (acid.zalan.do): one Secret per database user with keys
 * username and password, named by the default `secret_name_template`
 * `{username}.{cluster}.credentials.{tprkind}.{tprgroup}` (underscores in user names become dashes);
 * the pre-1.7 default `{username}.{cluster}.credentials` is kept as an alias
 * (https://postgres-operator.readthedocs.io/en/latest/user/#connect-to-postgresql).
 * Roles of spec.preparedDatabases are not modelled.
 */
export const zalandoPostgresqlProvider: ProviderModule = {
  id: 'zalando-postgresql',
  description: 'Zalando postgres-operator postgresql: Secrets <user>.<cluster>.credentials.postgresql.acid.zalan.do (username, password) for spec.users, postgres and standby.',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'postgresql', ['acid.zalan.do'])) {
      const cluster = metadataName(object);
      if (cluster === undefined) continue;
      const users = new Set(SYSTEM_USERS);
      const declared = field(object.value, 'spec', 'users');
      if (isRecord(declared)) for (const u of Object.keys(declared)) if (u !== '' && !u.includes('.')) users.add(u);
      for (const user of users) {
        const secretUser = user.replace(/_/g, '-');
        providers.push(
          providerFromObject(context, object, {
            kind: 'Secret',
            name: `${secretUser}.${cluster}.credentials.postgresql.acid.zalan.do`,
            aliases: [`${secretUser}.${cluster}.credentials`],
            keys: new Set(['username', 'password']),
            via: 'Zalando postgresql',
          }),
        );
      }
    }
    return providers;
  },
};
