import type { Provider } from '../model.js';
import { field, nonEmptyString, providerFromObject, type ProviderModule } from './provider.js';

/**
 * Crossplane managed resources, composites and claims write their connection details to
 * spec.writeConnectionSecretToRef {name, namespace?}; the keys depend on the provider
 * (https://docs.crossplane.io/latest/concepts/managed-resources/#writeconnectionsecrettoref).
 * Any kind may carry it, so this is the one module that looks at every object.
 */
export const crossplaneConnectionSecretProvider: ProviderModule = {
  id: 'crossplane-connection-secret',
  description: 'Crossplane resources with spec.writeConnectionSecretToRef: a Secret of that name (keys unknown).',
  provide(context) {
    const providers: Provider[] = [];
    for (const object of context.repo.objects) {
      const spec = object.value['spec'];
      const name = nonEmptyString(field(spec, 'writeConnectionSecretToRef', 'name'));
      if (name === undefined || name.includes('{{')) continue;
      const namespace = nonEmptyString(field(spec, 'writeConnectionSecretToRef', 'namespace'));
      providers.push(
        providerFromObject(context, object, {
          kind: 'Secret',
          name,
          ...(namespace !== undefined ? { namespace, namespaceFixed: true } : {}),
          keys: 'unknown',
          via: `Crossplane ${object.kind} connection secret`,
          nodePath: ['spec', 'writeConnectionSecretToRef', 'name'],
        }),
      );
    }
    return providers;
  },
};
