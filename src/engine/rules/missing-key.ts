import type { Provider, Reference, RuleReport } from '../model.js';
import {
  consequenceOf,
  identityOf,
  missingKeyFailure,
  namespacesPart,
  nsText,
  providerOrigin,
  relatedPaths,
  severityFor,
  subject,
  suggestionSafe,
} from '../resolve/describe.js';
import { resolveReferenceCached, typoDistance, type MissingKey } from '../resolve/resolve-reference.js';
import type { Rule, RuleContext } from './rule.js';
import { isDataKey, keyList, keyText, quotedKey } from '../key-names.js';

export const rule: Rule = {
  meta: {
    id: 'missing-key',
    defaultSeverity: 'error',
    docs: {
      summary: 'A pod spec needs a key (`key:`, `items[].key`) that the referenced ConfigMap or Secret does not have.',
      why: [
        'A `configMapKeyRef`/`secretKeyRef` to a key the object lacks makes the container fail with `CreateContainerConfigError`;',
        'a volume `items[].key` the object lacks leaves the pod stuck in `ContainerCreating` (`FailedMount`).',
        'This often happens when a key is renamed or removed from a ConfigMap while the workloads that use it are not touched.',
        '',
        'A key counts as present when any definition of the object that applies to the pod has it; objects whose keys cannot be known',
        '(an env file that is not in the repository, an ExternalSecret with `dataFrom`, an external object declared without `keys`) never trigger this rule.',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: db',
        'stringData:',
        '  username: app',
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
        '                secretKeyRef:',
        '                  name: db',
        '                  key: password # the Secret has no "password" key',
      ].join('\n'),
      fix: [
        '- Fix the key name (the finding suggests a close match when there is one), or add the key to the ConfigMap/Secret.',
        '- If the pod can run without it, mark the reference `optional: true`.',
        '- If the object is created outside the repository, declare it in `.github/keyref.yml` `externalObjects` with its `keys` (or without `keys` when they are unknown).',
      ].join('\n'),
      severities: [
        '- `error`: the key is missing from the object the pod uses.',
        '- `warning`: the only definitions of that name are in unrelated parts of the repository (another directory tree, no shared kustomization or namespace), so the pod may use an object created elsewhere.',
        '- `notice`: the reference is `optional: true`.',
      ].join('\n'),
    },
  },
  *check(context: RuleContext): Iterable<RuleReport> {
    for (const ref of context.references) {
      const r = resolveReferenceCached(ref, context.providers, context.kustomize);
      if (r.status !== 'missing-keys') continue;
      for (const missing of r.missing) yield report(ref, missing, missing.providers);
    }
  },
};

function report(ref: Reference, missing: MissingKey, providers: readonly Provider[]): RuleReport {
  const key = missing.key.key;
  const relevant = providers.filter((p) => p.keys !== 'unknown');
  const available = [...new Set(relevant.flatMap((p) => (p.keys === 'unknown' ? [] : [...p.keys])))].sort();
  const near = nearKey(key, available);
  const defined = [...new Set(relevant.map(providerOrigin))].slice(0, 3).join('; ');
  const namespaces = missing.namespaces.filter((n): n is string => n !== undefined);
  const inNs =
    namespaces.length > 0 && ref.namespaces.length > missing.namespaces.length ? ` in namespace ${missing.namespaces.map(nsText).join(', ')}` : '';
  const consequence = consequenceOf(ref, missingKeyFailure);
  const has = available.length > 0 ? `it has ${keyList(available, 8, 'and')}` : 'it has no keys';
  const message =
    `${subject(ref)} needs ${keyText(key)} of ${ref.targetKind} "${ref.name}"${inNs}, but ${has} (defined by ${defined || 'the repository'}). ` +
    (near ? `Did you mean ${quotedKey(near)}? ` : '') +
    (missing.confident ? '' : `That definition is in an unrelated part of the repository, so the pod may use another object of that name; if so, declare it in .github/keyref.yml under externalObjects. Otherwise: `) +
    `${capitalize(consequence)}. Fix the key name or add ${quotedKey(key)} to the ${ref.targetKind}` +
    (ref.optional ? '.' : '; if the pod can run without it, set optional: true.');
  return {
    severity: severityFor(ref, missing.confident ? 'error' : 'warning'),
    location: missing.key.location,
    message,
    object: ref.owner,
    identity: identityOf(ref, key, ...(inNs ? [namespacesPart(missing.namespaces)] : [])),
    ...(near && isDataKey(key) && suggestionSafe(missing.key.location, key) ? { suggestion: { location: missing.key.location, from: key, to: near } } : {}),
    ...(relatedPaths(ref, providers).length > 0 ? { related: relatedPaths(ref, providers) } : {}),
  };
}

/** The single existing key that is a likely typo of `key` (distance ≤ 2 and ≤ a third of the length), if exactly one is. */
function nearKey(key: string, available: readonly string[]): string | undefined {
  const close = available.filter((k) => isDataKey(k) && typoDistance(key, k) !== undefined);
  return close.length === 1 ? close[0] : undefined;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
