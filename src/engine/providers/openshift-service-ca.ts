import type { Provider } from '../model.js';
import { field, nonEmptyString, objectsOf, providerFromObject, type ProviderModule } from './provider.js';

const SERVING_CERT_ANNOTATIONS = ['service.beta.openshift.io/serving-cert-secret-name', 'service.alpha.openshift.io/serving-cert-secret-name'];

/**
 * OpenShift service CA operator: a Service annotated `service.beta.openshift.io/serving-cert-secret-name: <name>`
 * gets a kubernetes.io/tls Secret of that name with tls.crt and tls.key, in the Service's namespace
 * (https://docs.openshift.com/container-platform/latest/security/certificates/service-serving-certificate.html).
 * (ConfigMaps annotated inject-cabundle get service-ca.crt: see the configmap module.)
 */
export const openshiftServiceCaProvider: ProviderModule = {
  id: 'openshift-service-ca',
  description: 'OpenShift service serving certificates: the Secret named by a Service annotation serving-cert-secret-name (tls.crt, tls.key).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of objectsOf(context, 'Service', [''])) {
      const annotations = field(object.value, 'metadata', 'annotations');
      for (const annotation of SERVING_CERT_ANNOTATIONS) {
        const name = nonEmptyString(field(annotations, annotation));
        if (name === undefined) continue;
        providers.push(
          providerFromObject(context, object, {
            kind: 'Secret',
            name,
            keys: new Set(['tls.crt', 'tls.key']),
            via: 'OpenShift service serving certificate',
            secretType: 'kubernetes.io/tls',
            nodePath: ['metadata', 'annotations', annotation],
          }),
        );
        break;
      }
    }
    return providers;
  },
};
