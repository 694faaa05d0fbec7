// Table of must-provide / must-not-provide cases, one block per provider module (fixtures/providers/<module>/).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { certManagerProvider } from '../../../src/engine/providers/cert-manager.js';
import { cnpgClusterProvider } from '../../../src/engine/providers/cnpg-cluster.js';
import { configMapProvider } from '../../../src/engine/providers/configmap.js';
import { crossplaneConnectionSecretProvider } from '../../../src/engine/providers/crossplane-connection-secret.js';
import { eckElasticsearchProvider } from '../../../src/engine/providers/eck-elasticsearch.js';
import { externalSecretProvider } from '../../../src/engine/providers/external-secret.js';
import { onePasswordItemProvider } from '../../../src/engine/providers/onepassword-item.js';
import { openshiftServiceCaProvider } from '../../../src/engine/providers/openshift-service-ca.js';
import { trustManagerBundleProvider } from '../../../src/engine/providers/trust-manager.js';
import type { ProviderModule } from '../../../src/engine/providers/provider.js';
import { sealedSecretProvider } from '../../../src/engine/providers/sealed-secret.js';
import { secretProvider } from '../../../src/engine/providers/secret.js';
import { secretsStoreCsiProvider } from '../../../src/engine/providers/secrets-store-csi.js';
import { vaultSecretsOperatorProvider } from '../../../src/engine/providers/vault-secrets-operator.js';
import { redisEnterpriseDatabaseProvider } from '../../../src/engine/providers/redis-enterprise-database.js';
import { strimziKafkaProvider, strimziKafkaUserProvider } from '../../../src/engine/providers/strimzi.js';
import { talosServiceAccountProvider } from '../../../src/engine/providers/talos-service-account.js';
import { zalandoPostgresqlProvider } from '../../../src/engine/providers/zalando-postgresql.js';
import { fixtureFile, normalise, provideWith, view, type Expected } from './helpers.js';

interface Case {
  readonly module: ProviderModule;
  readonly fixtures: string;
  readonly provides: readonly Expected[];
  /** When set, exactly these are provided (no more). Default true. */
  readonly exact?: boolean;
}

const CNPG_KEYS = ['username', 'password', 'host', 'port', 'dbname', 'uri', 'jdbc-uri', 'pgpass', 'user', 'fqdn-uri', 'fqdn-jdbc-uri'];

const cases: readonly Case[] = [
  {
    module: configMapProvider,
    fixtures: 'configmap',
    provides: [
      { kind: 'ConfigMap', name: 'app-config', names: ['app-config'], namespaces: ['web'], keys: ['LOG_LEVEL', 'config.yaml', 'logo.png'], via: 'ConfigMap' },
      { kind: 'ConfigMap', name: 'injected', namespaces: [undefined], keys: 'unknown' },
      { kind: 'ConfigMap', name: 'from-list', keys: ['x'] },
      { kind: 'ConfigMap', name: 'service-ca-bundle', keys: ['service-ca.crt'] },
    ],
  },
  {
    module: secretProvider,
    fixtures: 'secret',
    provides: [
      { kind: 'Secret', name: 'db', namespaces: ['data'], keys: ['username', 'password'], via: 'Secret', secretType: 'kubernetes.io/basic-auth' },
      { kind: 'Secret', name: 'sa-token', keys: ['token', 'ca.crt', 'namespace'], secretType: 'kubernetes.io/service-account-token' },
      { kind: 'Secret', name: 'placeholder', keys: 'unknown', secretType: undefined },
      { kind: 'Secret', name: 'encrypted', keys: ['api-key'], via: 'SOPS Secret', secretType: 'Opaque' },
      { kind: 'Secret', name: 'replicated', namespaces: ['team-a'], keys: 'unknown' },
      { kind: 'Secret', name: 'shared-source', namespaces: ['shared', 'team-a', 'team-b', 'team-c'], keys: ['token'] },
      { kind: 'Secret', name: 'reflected-everywhere', namespaces: ['shared', undefined], keys: ['token'] },
    ],
  },
  {
    module: sealedSecretProvider,
    fixtures: 'sealed-secret',
    provides: [
      { kind: 'Secret', name: 'mysecret', names: ['mysecret'], namespaces: ['prod'], keys: ['password', 'token', 'config.ini'], via: 'SealedSecret', secretType: 'Opaque' },
      { kind: 'Secret', name: 'templated-name', names: ['templated-name', 'sealed-name'], namespaces: ['other'], keys: ['key'] },
    ],
  },
  {
    module: externalSecretProvider,
    fixtures: 'external-secret',
    provides: [
      { kind: 'Secret', name: 'es-own-name', namespaces: ['apps'], keys: ['DB_PASSWORD', 'DB_USER'], via: 'ExternalSecret' },
      { kind: 'Secret', name: 'rendered', names: ['rendered'], keys: ['config', '.dockerconfigjson'], secretType: 'kubernetes.io/dockerconfigjson' },
      { kind: 'Secret', name: 'es-datafrom', keys: 'unknown' },
      { kind: 'Secret', name: 'fanned-out', namespaces: ['team-a', 'team-b'], keys: ['token'], via: 'ClusterExternalSecret' },
    ],
  },
  {
    module: certManagerProvider,
    fixtures: 'cert-manager',
    provides: [
      { kind: 'Secret', name: 'web-tls', names: ['web-tls'], namespaces: ['web'], keys: ['tls.crt', 'tls.key', 'ca.crt'], secretType: 'kubernetes.io/tls' },
      {
        kind: 'Secret',
        name: 'java-tls',
        keys: ['tls.crt', 'tls.key', 'ca.crt', 'keystore.jks', 'truststore.jks', 'keystore.p12', 'truststore.p12', 'tls-combined.pem', 'key.der'],
      },
      { kind: 'Secret', name: 'web-ingress-tls', namespaces: ['web'], keys: ['tls.crt', 'tls.key', 'ca.crt'], via: 'cert-manager (annotated Ingress)' },
      { kind: 'Secret', name: 'gw-tls', namespaces: ['gateways'], secretType: 'kubernetes.io/tls', via: 'cert-manager (annotated Gateway)' },
      { kind: 'Secret', name: 'other-ns-tls', namespaces: ['certs'] },
    ],
  },
  {
    module: strimziKafkaUserProvider,
    fixtures: 'strimzi',
    provides: [
      { kind: 'Secret', name: 'scram-user', namespaces: ['kafka'], keys: ['password', 'sasl.jaas.config'], via: 'Strimzi KafkaUser' },
      { kind: 'Secret', name: 'tls-user', keys: ['ca.crt', 'user.crt', 'user.key', 'user.p12', 'user.password'] },
      { kind: 'Secret', name: 'external-user', keys: 'unknown' },
    ],
  },
  {
    module: strimziKafkaProvider,
    fixtures: 'strimzi',
    provides: [
      { kind: 'Secret', name: 'my-cluster-cluster-ca-cert', namespaces: ['kafka'], keys: ['ca.crt', 'ca.p12', 'ca.password'] },
      { kind: 'Secret', name: 'my-cluster-clients-ca-cert', keys: ['ca.crt', 'ca.p12', 'ca.password'] },
      { kind: 'Secret', name: 'my-cluster-cluster-ca', keys: ['ca.key'] },
      { kind: 'Secret', name: 'my-cluster-clients-ca', keys: ['ca.key'] },
    ],
  },
  {
    module: cnpgClusterProvider,
    fixtures: 'cnpg-cluster',
    provides: [
      { kind: 'Secret', name: 'pg-app', namespaces: ['db'], keys: CNPG_KEYS, secretType: 'kubernetes.io/basic-auth' },
      { kind: 'Secret', name: 'pg-superuser', keys: CNPG_KEYS },
      { kind: 'Secret', name: 'pg-ca', keys: ['ca.crt', 'ca.key'] },
      { kind: 'Secret', name: 'pg-server', keys: ['tls.crt', 'tls.key'], secretType: 'kubernetes.io/tls' },
    ],
  },
  {
    module: zalandoPostgresqlProvider,
    fixtures: 'zalando-postgresql',
    provides: [
      {
        kind: 'Secret',
        name: 'app-owner.my-cluster.credentials.postgresql.acid.zalan.do',
        names: ['app-owner.my-cluster.credentials.postgresql.acid.zalan.do', 'app-owner.my-cluster.credentials'],
        namespaces: ['db'],
        keys: ['username', 'password'],
      },
      { kind: 'Secret', name: 'reader.my-cluster.credentials.postgresql.acid.zalan.do', keys: ['username', 'password'] },
      { kind: 'Secret', name: 'postgres.my-cluster.credentials.postgresql.acid.zalan.do' },
      { kind: 'Secret', name: 'standby.my-cluster.credentials.postgresql.acid.zalan.do' },
    ],
  },
  {
    module: redisEnterpriseDatabaseProvider,
    fixtures: 'redis-enterprise-database',
    provides: [
      { kind: 'Secret', name: 'redb-app-db', namespaces: ['redis'], keys: ['password', 'port', 'service_name', 'service_names'] },
      { kind: 'Secret', name: 'my-db-password', keys: 'unknown' },
    ],
  },
  {
    module: eckElasticsearchProvider,
    fixtures: 'eck-elasticsearch',
    provides: [
      { kind: 'Secret', name: 'elasticsearch-ha-es-elastic-user', namespaces: ['search'], keys: ['elastic'], via: 'ECK Elasticsearch' },
      { kind: 'Secret', name: 'elasticsearch-ha-es-http-certs-public', keys: ['ca.crt', 'tls.crt'] },
      { kind: 'Secret', name: 'no-elastic-user-es-http-certs-public' },
    ],
  },
  {
    module: onePasswordItemProvider,
    fixtures: 'onepassword-item',
    provides: [{ kind: 'Secret', name: 'db-credentials', namespaces: ['app'], keys: 'unknown', via: '1Password OnePasswordItem' }],
  },
  {
    module: vaultSecretsOperatorProvider,
    fixtures: 'vault-secrets-operator',
    provides: [
      { kind: 'Secret', name: 'webapp-config', namespaces: ['app'], keys: 'unknown', via: 'Vault VaultStaticSecret' },
      { kind: 'Secret', name: 'web-cert', keys: 'unknown', secretType: 'kubernetes.io/tls' },
    ],
  },
  {
    module: secretsStoreCsiProvider,
    fixtures: 'secrets-store-csi',
    provides: [
      { kind: 'Secret', name: 'db-secret', namespaces: ['app'], keys: ['password', 'username'], secretType: 'Opaque', via: 'SecretProviderClass' },
      { kind: 'Secret', name: 'tls-from-kv', keys: ['tls.crt', 'tls.key'], secretType: 'kubernetes.io/tls' },
    ],
  },
  {
    module: trustManagerBundleProvider,
    fixtures: 'trust-manager-bundle',
    provides: [
      { kind: 'ConfigMap', name: 'example-bundle', namespaces: [undefined], keys: ['trust-bundle.pem'], via: 'trust-manager Bundle' },
      { kind: 'Secret', name: 'example-bundle', namespaces: [undefined], keys: ['ca.crt'] },
    ],
  },
  {
    module: openshiftServiceCaProvider,
    fixtures: 'openshift-service-ca',
    provides: [{ kind: 'Secret', name: 'web-serving-cert', namespaces: ['shop'], keys: ['tls.crt', 'tls.key'], secretType: 'kubernetes.io/tls' }],
  },
  {
    module: talosServiceAccountProvider,
    fixtures: 'talos-service-account',
    provides: [{ kind: 'Secret', name: 'home-ops-runner', namespaces: ['actions-runner-system'], keys: 'unknown', via: 'Talos ServiceAccount' }],
  },
  {
    module: crossplaneConnectionSecretProvider,
    fixtures: 'crossplane',
    provides: [
      { kind: 'Secret', name: 'db-conn', namespaces: ['crossplane-system'], keys: 'unknown', via: 'Crossplane Instance connection secret' },
      { kind: 'Secret', name: 'claim-conn', namespaces: ['app'], keys: 'unknown' },
    ],
  },
];

for (const c of cases) {
  describe(`provider ${c.module.id}`, () => {
    const provided = provideWith(c.module, fixtureFile(c.fixtures, 'provides.yaml'));
    for (const expected of c.provides) {
      test(`provides ${expected.kind} ${expected.name}`, () => {
        const matches = provided.filter((p) => p.kind === expected.kind && p.name === expected.name);
        assert.equal(matches.length, 1, `expected one ${expected.kind} ${expected.name}, got ${matches.length}`);
        assert.deepEqual(view(matches[0]!, expected), normalise(expected));
        assert.ok(matches[0]!.location, 'an object in the repository has a location');
      });
    }
    if (c.exact !== false) {
      test('provides nothing else from provides.yaml', () => {
        assert.deepEqual(provided.map((p) => `${p.kind}/${p.name}`).sort(), c.provides.map((e) => `${e.kind}/${e.name}`).sort());
      });
    }
    test('provides nothing from ignores.yaml', () => {
      assert.deepEqual(provideWith(c.module, fixtureFile(c.fixtures, 'ignores.yaml')), []);
    });
  });
}
