import type { Provider } from '../model.js';
import { field, isRecord, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

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

export const certManagerProvider: ProviderModule = {
  id: 'cert-manager',
  description: 'cert-manager Certificate: a kubernetes.io/tls Secret named spec.secretName (tls.crt, tls.key, ca.crt, keystores).',
  provide(context) {
    const providers: Provider[] = [];
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
