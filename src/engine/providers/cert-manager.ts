import type { ManifestObject, Provider } from '../model.js';
import { field, isRecord, nonEmptyString, objectsOf, providerFromObject, type ProviderContext, type ProviderModule } from './provider.js';

/**
 * cert-manager `Certificate`: writes spec.secretName, a kubernetes.io/tls Secret with tls.crt,
 * tls.key and ca.crt, plus keystores and additional output formats when asked
 * (https://cert-manager.io/docs/usage/certificate/).
 */
export function certificateKeys(spec: unknown): Set<string> {
  const keys = new Set(['tls.crt', 'tls.key', 'ca.crt']);
  const keystores = field(spec, 'keystores');
  if (isRecord(keystores)) {
    if (keystores['jks'] !== undefined) keys.add('keystore.jks').add('truststore.jks');
    if (keystores['pkcs12'] !== undefined) keys.add('keystore.p12').add('truststore.p12');
  }
  const formats = field(spec, 'additionalOutputFormats');
  if (Array.isArray(formats)) {
    for (const f of formats) {
      const type = field(f, 'type');
      if (type === 'CombinedPEM') keys.add('tls-combined.pem');
      if (type === 'DER') keys.add('key.der');
    }
  }
  return keys;
}

/**
 * Annotations that make cert-manager's ingress-shim create a Certificate for an Ingress's or a
 * Gateway's TLS Secrets (https://cert-manager.io/docs/usage/ingress/, https://cert-manager.io/docs/usage/gateway/).
 */
const SHIM_ANNOTATIONS = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer', 'kubernetes.io/tls-acme'];

function isShimmed(object: ManifestObject): boolean {
  const annotations = field(object.value, 'metadata', 'annotations');
  return SHIM_ANNOTATIONS.some((a) => {
    const v = field(annotations, a);
    return a === 'kubernetes.io/tls-acme' ? v === 'true' || v === true : nonEmptyString(v) !== undefined;
  });
}

function shimProvider(context: ProviderContext, object: ManifestObject, name: string, nodePath: (string | number)[], namespace?: string): Provider {
  return providerFromObject(context, object, {
    kind: 'Secret',
    name,
    ...(namespace !== undefined ? { namespace, namespaceFixed: true } : {}),
    keys: new Set(['tls.crt', 'tls.key', 'ca.crt']),
    via: `cert-manager (annotated ${object.kind})`,
    secretType: 'kubernetes.io/tls',
    nodePath,
  });
}

/** TLS Secrets of Ingresses and Gateways annotated for cert-manager. */
function provideShimmed(context: ProviderContext): Provider[] {
  const providers: Provider[] = [];
  for (const object of objectsOf(context, 'Ingress', ['networking.k8s.io', 'extensions'])) {
    if (!isShimmed(object)) continue;
    const tls = field(object.value, 'spec', 'tls');
    if (!Array.isArray(tls)) continue;
    tls.forEach((entry: unknown, i) => {
      const name = nonEmptyString(field(entry, 'secretName'));
      if (name !== undefined) providers.push(shimProvider(context, object, name, ['spec', 'tls', i, 'secretName']));
    });
  }
  for (const object of objectsOf(context, 'Gateway', ['gateway.networking.k8s.io'])) {
    if (!isShimmed(object)) continue;
    const listeners = field(object.value, 'spec', 'listeners');
    if (!Array.isArray(listeners)) continue;
    listeners.forEach((listener: unknown, i) => {
      const refs = field(listener, 'tls', 'certificateRefs');
      if (!Array.isArray(refs)) return;
      refs.forEach((ref: unknown, j) => {
        const name = nonEmptyString(field(ref, 'name'));
        const kind = field(ref, 'kind');
        if (name === undefined || (kind !== undefined && kind !== 'Secret')) return;
        const namespace = nonEmptyString(field(ref, 'namespace'));
        providers.push(shimProvider(context, object, name, ['spec', 'listeners', i, 'tls', 'certificateRefs', j, 'name'], namespace));
      });
    });
  }
  return providers;
}

export const certManagerProvider: ProviderModule = {
  id: 'cert-manager',
  description:
    'cert-manager Certificate: a kubernetes.io/tls Secret named spec.secretName (tls.crt, tls.key, ca.crt, keystores); also the TLS Secrets of Ingresses/Gateways annotated for cert-manager.',
  provide(context) {
    const providers: Provider[] = provideShimmed(context);
    for (const object of objectsOf(context, 'Certificate', ['cert-manager.io', 'certmanager.k8s.io'])) {
      const spec = object.value['spec'];
      const name = nonEmptyString(field(spec, 'secretName'));
      if (name === undefined) continue;
      providers.push(
        providerFromObject(context, object, {
          kind: 'Secret',
          name,
          keys: certificateKeys(spec),
          via: 'cert-manager Certificate',
          secretType: 'kubernetes.io/tls',
          nodePath: ['spec', 'secretName'],
        }),
      );
    }
    return providers;
  },
};
