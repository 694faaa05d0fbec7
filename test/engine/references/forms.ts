/** Builds a workload that makes exactly one reference of a given form, for the rule tables. */
import yaml from 'js-yaml';
import type { ProvidedKind, ReferenceForm } from '../../../src/engine/model.js';

export const ALL_FORMS: readonly ReferenceForm[] = [
  'env-configmap-key',
  'env-secret-key',
  'envfrom-configmap',
  'envfrom-secret',
  'volume-configmap',
  'volume-secret',
  'projected-configmap',
  'projected-secret',
  'image-pull-secret',
];

/** Forms that can name keys. */
export const KEYED_FORMS: readonly ReferenceForm[] = [
  'env-configmap-key',
  'env-secret-key',
  'volume-configmap',
  'volume-secret',
  'projected-configmap',
  'projected-secret',
];

export function kindOf(form: ReferenceForm): ProvidedKind {
  return form.includes('secret') ? 'Secret' : 'ConfigMap';
}

export interface FormOptions {
  keys?: string[];
  optional?: boolean;
}

/** A pod spec (plain data) holding one reference of `form` to `name`. */
export function podSpecWith(form: ReferenceForm, name: string, o: FormOptions = {}): Record<string, unknown> {
  const opt = o.optional === undefined ? {} : { optional: o.optional };
  const items = o.keys && o.keys.length > 0 ? { items: o.keys.map((key) => ({ key, path: key })) } : {};
  const container = (extra: Record<string, unknown>) => ({ containers: [{ name: 'api', image: 'example/api:1', ...extra }] });
  switch (form) {
    case 'env-configmap-key':
    case 'env-secret-key': {
      const field = form === 'env-configmap-key' ? 'configMapKeyRef' : 'secretKeyRef';
      return container({ env: [{ name: 'SETTING', valueFrom: { [field]: { name, key: o.keys?.[0] ?? 'k', ...opt } } }] });
    }
    case 'envfrom-configmap':
      return container({ envFrom: [{ configMapRef: { name, ...opt } }] });
    case 'envfrom-secret':
      return container({ envFrom: [{ secretRef: { name, ...opt } }] });
    case 'volume-configmap':
      return { ...container({}), volumes: [{ name: 'files', configMap: { name, ...items, ...opt } }] };
    case 'volume-secret':
      return { ...container({}), volumes: [{ name: 'files', secret: { secretName: name, ...items, ...opt } }] };
    case 'projected-configmap':
      return { ...container({}), volumes: [{ name: 'files', projected: { sources: [{ configMap: { name, ...items, ...opt } }] } }] };
    case 'projected-secret':
      return { ...container({}), volumes: [{ name: 'files', projected: { sources: [{ secret: { name, ...items, ...opt } }] } }] };
    case 'image-pull-secret':
      return { ...container({}), imagePullSecrets: [{ name }] };
    case 'helm-values-from':
      throw new Error('helm-values-from is not a pod-spec form (see helm-values.test.ts)');
  }
}

/** A Deployment `api` whose pod spec holds one reference of `form`. */
export function workloadWith(form: ReferenceForm, name: string, o: FormOptions & { namespace?: string } = {}): string {
  return yaml.dump({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', ...(o.namespace ? { namespace: o.namespace } : {}) },
    spec: { template: { spec: podSpecWith(form, name, o) } },
  });
}
