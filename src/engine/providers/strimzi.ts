import type { Provider } from '../model.js';
import { field, metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

const GROUPS = ['kafka.strimzi.io'];

/**
 * Keys of the Secret the Strimzi User Operator writes for a KafkaUser, by authentication type
 * (https://strimzi.io/docs/operators/latest/configuring.html#type-KafkaUser-reference).
 * Without `authentication` it creates no Secret; other types (tls-external…) are not known here.
 */
function kafkaUserKeys(type: unknown): ReadonlySet<string> | 'unknown' | undefined {
  if (type === undefined) return undefined;
  if (type === 'scram-sha-512') return new Set(['password', 'sasl.jaas.config']);
  if (type === 'tls') return new Set(['ca.crt', 'user.crt', 'user.key', 'user.p12', 'user.password']);
  return 'unknown';
}

/** Strimzi `KafkaUser`: a Secret of the same name holding the user's credentials. */
export const strimziKafkaUserProvider: ProviderModule = {
  id: 'strimzi-kafka-user',
  description: 'Strimzi KafkaUser: a Secret of the same name (scram-sha-512: password, sasl.jaas.config; tls: user.crt, user.key, user.p12, user.password, ca.crt).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'KafkaUser', GROUPS)) {
      const name = metadataName(object);
      const keys = kafkaUserKeys(field(object.value, 'spec', 'authentication', 'type'));
      if (name === undefined || keys === undefined) continue;
      providers.push(providerFromObject(context, object, { kind: 'Secret', name, keys, via: 'Strimzi KafkaUser' }));
    }
    return providers;
  },
};

/**
 * Strimzi `Kafka`: the Cluster Operator writes the cluster and clients CA Secrets that clients
 * mount (https://strimzi.io/docs/operators/latest/deploying.html#certificates-and-secrets-str).
 */
const KAFKA_CA_SECRETS: readonly (readonly [suffix: string, keys: readonly string[]])[] = [
  ['-cluster-ca-cert', ['ca.crt', 'ca.p12', 'ca.password']],
  ['-clients-ca-cert', ['ca.crt', 'ca.p12', 'ca.password']],
  ['-cluster-ca', ['ca.key']],
  ['-clients-ca', ['ca.key']],
];

export const strimziKafkaProvider: ProviderModule = {
  id: 'strimzi-kafka',
  description: 'Strimzi Kafka: the CA Secrets <cluster>-cluster-ca-cert, <cluster>-clients-ca-cert (ca.crt, ca.p12, ca.password), <cluster>-cluster-ca and <cluster>-clients-ca (ca.key).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Kafka', GROUPS)) {
      const name = metadataName(object);
      if (name === undefined) continue;
      for (const [suffix, keys] of KAFKA_CA_SECRETS) {
        providers.push(providerFromObject(context, object, { kind: 'Secret', name: name + suffix, keys: new Set(keys), via: 'Strimzi Kafka' }));
      }
    }
    return providers;
  },
};
