import type { ProvidedKind, Provider, Reference, ReferenceForm, RuleReport, Suggestion } from '../model.js';
import {
  consequenceOf,
  fieldKeyLocation,
  fieldOf,
  identityOf,
  lineEditable,
  providerOrigin,
  relatedPaths,
  severityFor,
  subject,
} from '../resolve/describe.js';
import { resolveReferenceCached } from '../resolve/resolve-reference.js';
import type { Rule, RuleContext } from './rule.js';
import { keyText } from '../key-names.js';

export const rule: Rule = {
  meta: {
    id: 'wrong-kind',
    defaultSeverity: 'error',
    docs: {
      summary: 'A ConfigMap reference names a Secret, or a Secret reference names a ConfigMap.',
      why: [
        'Kubernetes looks the name up only among objects of the kind the field asks for: a `configMapKeyRef` never reads a Secret.',
        'When no object of the right kind has that name, the container fails with `CreateContainerConfigError`',
        '(or the pod stays in `ContainerCreating` for a volume) even though an object of that name exists.',
        'The rule only fires when the object of the other kind is defined in the same part of the repository as the workload',
        '(same file, directory tree, kustomize build or namespace); a namesake elsewhere in a monorepo is left to `unresolved-reference`.',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: db',
        'stringData:',
        '  password: change-me',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: api',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          image: example/api:1.0',
        '          env:',
        '            - name: DB_PASSWORD',
        '              valueFrom:',
        '                configMapKeyRef: # "db" is a Secret: use secretKeyRef',
        '                  name: db',
        '                  key: password',
      ].join('\n'),
      fix: [
        'Use the reference for the object\'s kind: `configMapKeyRef` ↔ `secretKeyRef`, `envFrom.configMapRef` ↔ `envFrom.secretRef`,',
        '`volumes[].configMap.name` ↔ `volumes[].secret.secretName`, projected `configMap` ↔ `secret`.',
        'The finding suggests the one-line change when there is one.',
      ].join('\n'),
      severities: [
        '- `error`: the reference is not optional.',
        '- `warning`: an `imagePullSecrets` entry names a ConfigMap (pod creation does not depend on it).',
        '- `notice`: the reference is `optional: true`.',
      ].join('\n'),
    },
  },
  *check(context: RuleContext): Iterable<RuleReport> {
    for (const ref of context.references) {
      const r = resolveReferenceCached(ref, context.providers, context.kustomize);
      if (r.status !== 'wrong-kind') continue;
      yield report(ref, r.actualKind, r.providers);
    }
  },
};

/** The field that would refer to the other kind, when a one-line rename of the field key does it. */
const RENAMES: Partial<Record<ReferenceForm, { from: string; to: string }>> = {
  'env-configmap-key': { from: 'configMapKeyRef', to: 'secretKeyRef' },
  'env-secret-key': { from: 'secretKeyRef', to: 'configMapKeyRef' },
  'envfrom-configmap': { from: 'configMapRef', to: 'secretRef' },
  'envfrom-secret': { from: 'secretRef', to: 'configMapRef' },
  'projected-configmap': { from: 'configMap', to: 'secret' },
  'projected-secret': { from: 'secret', to: 'configMap' },
};

function advice(form: ReferenceForm, name: string): string {
  switch (form) {
    case 'volume-configmap':
      return `use a secret volume instead (secret: {secretName: ${name}})`;
    case 'volume-secret':
      return `use a configMap volume instead (configMap: {name: ${name}})`;
    case 'image-pull-secret':
      return 'imagePullSecrets must name a Secret of type kubernetes.io/dockerconfigjson';
    default: {
      const rename = RENAMES[form];
      return rename ? `use ${rename.to} instead of ${rename.from}` : 'use the reference for its kind';
    }
  }
}

function report(ref: Reference, actualKind: ProvidedKind, providers: readonly Provider[]): RuleReport {
  const severity = severityFor(ref, 'error');
  const origins = [...new Set(providers.map(providerOrigin))].slice(0, 3).join('; ');
  const consequence = consequenceOf(ref);
  const missingKeys = ref.keys.filter((k) => providers.every((p) => p.keys !== 'unknown' && !p.keys.has(k.key))).map((k) => k.key);
  const keyNote =
    missingKeys.length > 0 ? ` Note that the ${actualKind} has no ${missingKeys.map((k) => keyText(k)).join(', ')} either.` : '';
  const message =
    `${subject(ref)} uses ${fieldOf(ref.form)} "${ref.name}", but "${ref.name}" is a ${actualKind} (${origins}), and no ${ref.targetKind} has that name. ` +
    `Kubernetes only looks for a ${ref.targetKind} here, so ${consequence}. To use the ${actualKind}, ${advice(ref.form, ref.name)}.${keyNote}`;
  const suggestion = missingKeys.length === 0 ? renameSuggestion(ref) : undefined;
  const related = relatedPaths(ref, providers);
  return {
    severity,
    location: ref.location,
    message,
    object: ref.owner,
    identity: identityOf(ref),
    ...(suggestion ? { suggestion } : {}),
    ...(related.length > 0 ? { related } : {}),
  };
}

function renameSuggestion(ref: Reference): Suggestion | undefined {
  const rename = RENAMES[ref.form];
  const location = fieldKeyLocation(ref);
  if (!rename || !location || !lineEditable(location)) return undefined;
  if (location.nodePath?.at(-1) !== rename.from) return undefined;
  return { location, from: rename.from, to: rename.to };
}
