import type { ManifestObject, Provider } from '../model.js';
import { field, isRecord, mapKeys, metadataName, nonEmptyString, objectsOf, providerFromObject, type ProviderContext, type ProviderModule } from './provider.js';

const GROUPS = ['external-secrets.io'];

/**
 * Keys of the Secret an ExternalSecret spec writes: data[].secretKey and the keys of
 * target.template.data; `dataFrom` (a whole remote map) or `templateFrom` make them unknown
 * (https://external-secrets.io/latest/api/externalsecret/).
 */
function externalSecretKeys(spec: unknown): ReadonlySet<string> | 'unknown' {
  const dataFrom = field(spec, 'dataFrom');
  if (dataFrom !== undefined && dataFrom !== null && !(Array.isArray(dataFrom) && dataFrom.length === 0)) return 'unknown';
  const templateFrom = field(spec, 'target', 'template', 'templateFrom');
  if (Array.isArray(templateFrom) && templateFrom.length > 0) return 'unknown';
  const keys = new Set<string>();
  const data = field(spec, 'data');
  if (Array.isArray(data)) for (const d of data) if (isRecord(d) && nonEmptyString(d['secretKey'])) keys.add(d['secretKey'] as string);
  for (const k of mapKeys(field(spec, 'target', 'template', 'data'))) keys.add(k);
  return keys.size > 0 ? keys : 'unknown';
}

function provideExternalSecret(context: ProviderContext, object: ManifestObject): Provider | undefined {
  const spec = object.value['spec'];
  const name = nonEmptyString(field(spec, 'target', 'name')) ?? metadataName(object);
  if (name === undefined) return undefined;
  const secretType = nonEmptyString(field(spec, 'target', 'template', 'type'));
  return providerFromObject(context, object, {
    kind: 'Secret',
    name,
    keys: externalSecretKeys(spec),
    via: 'ExternalSecret',
    ...(secretType !== undefined ? { secretType } : {}),
  });
}

/**
 * `ClusterExternalSecret` creates an ExternalSecret named spec.externalSecretName (default: its own
 * name) in each selected namespace; `spec.namespaces` lists them, selectors make them "any".
 */
function provideClusterExternalSecret(context: ProviderContext, object: ManifestObject): Provider | undefined {
  const spec = object.value['spec'];
  const inner = field(spec, 'externalSecretSpec');
  const name = nonEmptyString(field(inner, 'target', 'name')) ?? nonEmptyString(field(spec, 'externalSecretName')) ?? metadataName(object);
  if (name === undefined) return undefined;
  const listed = field(spec, 'namespaces');
  const hasSelector = field(spec, 'namespaceSelector') !== undefined || field(spec, 'namespaceSelectors') !== undefined;
  const namespaces = Array.isArray(listed) && !hasSelector ? listed.filter((n): n is string => nonEmptyString(n) !== undefined) : [];
  const base = providerFromObject(context, object, { kind: 'Secret', name, keys: externalSecretKeys(inner), via: 'ClusterExternalSecret' });
  const secretType = nonEmptyString(field(inner, 'target', 'template', 'type'));
  return {
    ...base,
    namespaces: namespaces.length > 0 ? namespaces : [undefined],
    ...(secretType !== undefined ? { secretType } : {}),
  };
}

/** External Secrets Operator: `ExternalSecret` and `ClusterExternalSecret` (not `PushSecret`, which reads a Secret). */
export const externalSecretProvider: ProviderModule = {
  id: 'external-secret',
  description: 'External Secrets Operator ExternalSecret / ClusterExternalSecret: a Secret named spec.target.name with keys from data[].secretKey and the template (dataFrom: any key).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'ExternalSecret', GROUPS)) {
      const p = provideExternalSecret(context, object);
      if (p) providers.push(p);
    }
    for (const object of objectsOf(context, 'ClusterExternalSecret', GROUPS)) {
      const p = provideClusterExternalSecret(context, object);
      if (p) providers.push(p);
    }
    return providers;
  },
};
