import type { Provider } from '../model.js';
import { field, metadataName, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Elastic Cloud on Kubernetes `Elasticsearch` (elasticsearch.k8s.elastic.co): the operator writes the
 * `elastic` user's password to `<name>-es-elastic-user` (key `elastic`, unless
 * spec.auth.disableElasticUser) and the public HTTP certificate to `<name>-es-http-certs-public`
 * (ca.crt, tls.crt) (https://www.elastic.co/guide/en/cloud-on-k8s/current/k8s-request-elasticsearch-endpoint.html).
 */
export const eckElasticsearchProvider: ProviderModule = {
  id: 'eck-elasticsearch',
  description: 'ECK Elasticsearch: Secrets <name>-es-elastic-user (elastic) and <name>-es-http-certs-public (ca.crt, tls.crt).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Elasticsearch', ['elasticsearch.k8s.elastic.co'])) {
      const name = metadataName(object);
      if (name === undefined) continue;
      if (field(object.value, 'spec', 'auth', 'disableElasticUser') !== true) {
        providers.push(providerFromObject(context, object, { kind: 'Secret', name: `${name}-es-elastic-user`, keys: new Set(['elastic']), via: 'ECK Elasticsearch' }));
      }
      providers.push(
        providerFromObject(context, object, { kind: 'Secret', name: `${name}-es-http-certs-public`, keys: new Set(['ca.crt', 'tls.crt']), via: 'ECK Elasticsearch' }),
      );
    }
    return providers;
  },
};
