import type { Provider, ProvidedKind } from '../model.js';
import type { ProviderModule } from './provider.js';

export interface ClusterBuiltin {
  readonly kind: ProvidedKind;
  readonly name: string;
  readonly keys: readonly string[];
  /** Who publishes it into every namespace. */
  readonly publisher: string;
  /** Where it is documented. */
  readonly docs: string;
}

/** ConfigMaps that cluster components publish into every namespace; exported so the docs can list them. */
export const CLUSTER_BUILTINS: readonly ClusterBuiltin[] = [
  {
    kind: 'ConfigMap',
    name: 'kube-root-ca.crt',
    keys: ['ca.crt'],
    publisher: 'Kubernetes (root CA publisher, 1.20+)',
    docs: 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#root-ca-certificate-configmap',
  },
  {
    kind: 'ConfigMap',
    name: 'istio-ca-root-cert',
    keys: ['root-cert.pem'],
    publisher: 'Istio (istiod)',
    docs: 'https://istio.io/latest/docs/ops/configuration/security/',
  },
  {
    kind: 'ConfigMap',
    name: 'openshift-service-ca.crt',
    keys: ['service-ca.crt'],
    publisher: 'OpenShift (service CA operator)',
    docs: 'https://docs.openshift.com/container-platform/latest/security/certificates/service-serving-certificate.html',
  },
];

export const clusterBuiltinsProvider: ProviderModule = {
  id: 'cluster-builtins',
  description: 'ConfigMaps the cluster publishes into every namespace: kube-root-ca.crt, istio-ca-root-cert, openshift-service-ca.crt.',
  provide() {
    return CLUSTER_BUILTINS.map(
      (b): Provider => ({ kind: b.kind, name: b.name, names: [b.name], namespaces: [undefined], keys: new Set(b.keys), via: `built-in (${b.publisher})` }),
    );
  },
};
