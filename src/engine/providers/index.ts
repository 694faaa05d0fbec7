/**
 * The provider index: every ConfigMap and Secret the repository makes exist, by whatever means
 * (a manifest, a kustomize generator or patch, an operator's custom resource, the cluster itself,
 * the configuration), with the names and namespaces kustomize gives it in each build.
 *
 * Each source is one module (`ProviderModule`: id, description, provide). Supporting another
 * operator = one file beside these, with fixtures under fixtures/providers/<id>/, and one entry in
 * `providerModules`.
 */
import type { EngineConfig } from '../config/schema.js';
import type { KustomizeModel } from '../kustomize/model.js';
import type { ManifestObject, ParsedRepository, ProvidedKind, Provider, ProviderIndex } from '../model.js';
import { certManagerProvider } from './cert-manager.js';
import { clusterBuiltinsProvider } from './cluster-builtins.js';
import { cnpgClusterProvider } from './cnpg-cluster.js';
import { configMapProvider } from './configmap.js';
import { crossplaneConnectionSecretProvider } from './crossplane-connection-secret.js';
import { declaredProvider } from './declared.js';
import { eckElasticsearchProvider } from './eck-elasticsearch.js';
import { externalSecretProvider } from './external-secret.js';
import { kustomizeGeneratorProvider } from './kustomize-generator.js';
import { anchorModifiers, kustomizePatchProvider } from './kustomize-patch.js';
import { onePasswordItemProvider } from './onepassword-item.js';
import { openshiftServiceCaProvider } from './openshift-service-ca.js';
import { providersOfPatchedObjects, type ModuleKinds } from './patched.js';
import { sharedKeySets, type ProviderContext, type ProviderModule } from './provider.js';
import { redisEnterpriseDatabaseProvider } from './redis-enterprise-database.js';
import { sealedSecretProvider } from './sealed-secret.js';
import { secretProvider } from './secret.js';
import { secretsStoreCsiProvider } from './secrets-store-csi.js';
import { strimziKafkaProvider, strimziKafkaUserProvider } from './strimzi.js';
import { talosServiceAccountProvider } from './talos-service-account.js';
import { trustManagerBundleProvider } from './trust-manager.js';
import { vaultSecretsOperatorProvider } from './vault-secrets-operator.js';
import { zalandoPostgresqlProvider } from './zalando-postgresql.js';

export type { ProviderContext, ProviderModule } from './provider.js';
export { CLUSTER_BUILTINS, type ClusterBuiltin } from './cluster-builtins.js';

/** Every source of ConfigMaps and Secrets keyref knows. To support another operator, add its module here. */
export const providerModules: readonly ProviderModule[] = [
  configMapProvider,
  secretProvider,
  kustomizeGeneratorProvider,
  kustomizePatchProvider,
  sealedSecretProvider,
  externalSecretProvider,
  certManagerProvider,
  trustManagerBundleProvider,
  secretsStoreCsiProvider,
  vaultSecretsOperatorProvider,
  onePasswordItemProvider,
  strimziKafkaUserProvider,
  strimziKafkaProvider,
  cnpgClusterProvider,
  zalandoPostgresqlProvider,
  redisEnterpriseDatabaseProvider,
  eckElasticsearchProvider,
  crossplaneConnectionSecretProvider,
  openshiftServiceCaProvider,
  talosServiceAccountProvider,
  clusterBuiltinsProvider,
  declaredProvider,
];

function contextFor(repo: ParsedRepository, kustomize: KustomizeModel, config: EngineConfig): ProviderContext {
  const byKind = new Map<string, ManifestObject[]>();
  for (const object of repo.objects) {
    if (typeof object.kind !== 'string') continue;
    const list = byKind.get(object.kind);
    if (list === undefined) byKind.set(object.kind, [object]);
    else list.push(object);
  }
  return { repo, kustomize, config, objectsOfKind: (kind) => byKind.get(kind) ?? [], sharedKeys: sharedKeySets() };
}

/** Indexes every provider by kind and by each name it is known by. Built once per scan; lookups are O(1). */
export function buildProviderIndex(
  repo: ParsedRepository,
  kustomize: KustomizeModel,
  config: EngineConfig,
  modules: readonly ProviderModule[] = providerModules,
  /** Texts of the repository's files, for the JSON 6902 patch files that are not manifests (patched.ts). */
  texts: ReadonlyMap<string, string> = new Map(),
): ProviderIndex {
  const context = contextFor(repo, kustomize, config);
  const provided: Provider[] = [];
  const read: ModuleKinds[] = [];
  for (const module of modules) {
    // Which kinds each module reads, so that patched copies of those kinds are shown to it (patched.ts).
    const kinds = new Set<string>();
    const own: ProviderContext = { ...context, objectsOfKind: (kind) => (kinds.add(kind), context.objectsOfKind(kind)) };
    for (const provider of module.provide(own)) provided.push(provider);
    read.push({ module, kinds });
  }
  for (const provider of providersOfPatchedObjects(context, read, texts)) provided.push(provider);
  const all = anchorModifiers(provided);

  const byName: Record<ProvidedKind, Map<string, Provider[]>> = { ConfigMap: new Map(), Secret: new Map() };
  for (const provider of all) {
    const map = byName[provider.kind];
    for (const name of new Set([provider.name, ...provider.names])) {
      const list = map.get(name);
      if (list === undefined) map.set(name, [provider]);
      else list.push(provider);
    }
  }
  const names: Record<ProvidedKind, readonly string[]> = { ConfigMap: [...byName.ConfigMap.keys()], Secret: [...byName.Secret.keys()] };
  return {
    lookup: (kind, name) => byName[kind]?.get(name) ?? [],
    names: (kind) => names[kind] ?? [],
    all: () => all,
  };
}
