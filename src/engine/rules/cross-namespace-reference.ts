import type { Provider, Reference, RuleReport } from '../model.js';
import { DECLARED_VIA } from '../providers/declared.js';
import { consequenceOf, identityOf, namespacesPart, relatedPaths, severityFor, subject } from '../resolve/describe.js';
import { resolveReferenceCached } from '../resolve/resolve-reference.js';
import type { Rule, RuleContext } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'cross-namespace-reference',
    defaultSeverity: 'error',
    docs: {
      summary: 'A pod spec refers to a ConfigMap or Secret that the repository defines only in other namespaces.',
      why: [
        'A pod can only use ConfigMaps and Secrets of its own namespace; there is no way to refer to another namespace\'s object.',
        'The container fails with `CreateContainerConfigError` (or the pod stays in `ContainerCreating` for a volume).',
        'Namespaces come from the `namespace:` of the kustomizations that build the file (it overrides `metadata.namespace`), else from `metadata.namespace`;',
        'an object or workload without a namespace matches every namespace, so this rule only fires when both sides are set and differ,',
        'and only when the object is defined in the same part of the repository as the workload (same file, directory tree or kustomize build).',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        '  namespace: backend',
        'data:',
        '  LOG_LEVEL: info',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        '  namespace: frontend',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: example/web:1.0',
        '          envFrom:',
        '            - configMapRef:',
        '                name: app-config # only exists in namespace "backend"',
      ].join('\n'),
      fix: [
        '- Create the ConfigMap/Secret in the workload\'s namespace too (or move one of them), or',
        '- if it is created in that namespace outside the repository, declare it in `.github/keyref.yml` `externalObjects` with its `namespace`.',
      ].join('\n'),
      severities: [
        '- `error`: the reference is not optional.',
        '- `warning`: an `imagePullSecrets` entry (pod creation does not depend on it).',
        '- `notice`: the reference is `optional: true`.',
      ].join('\n'),
    },
  },
  *check(context: RuleContext): Iterable<RuleReport> {
    for (const ref of context.references) {
      const r = resolveReferenceCached(ref, context.providers, context.kustomize);
      if (r.status !== 'cross-namespace') continue;
      yield report(ref, r.providers, r.providerNamespaces, r.podNamespaces, relatedPaths(ref, r.providers));
    }
  },
};

/** Whether every provider is an `externalObjects` entry of the configuration (not a definition in the repository). */
function onlyDeclared(providers: readonly Provider[]): boolean {
  return providers.length > 0 && providers.every((p) => p.via === DECLARED_VIA);
}

function report(ref: Reference, providers: readonly Provider[], providerNamespaces: readonly string[], podNamespaces: readonly string[], related: string[]): RuleReport {
  const pods = podNamespaces.join(', ');
  const theirs = providerNamespaces.join(', ');
  const consequence = consequenceOf(ref);
  const declared = onlyDeclared(providers);
  const message = `${ref.targetKind} "${ref.name}" exists only in namespace ${theirs}, not in namespace ${pods} where the pod runs.`;
  const origin = declared
    ? `The externalObjects entry in .github/keyref.yml declares it for namespace ${theirs}.`
    : `This repository defines it only in namespace ${theirs}.`;
  const fix = declared
    ? `If it exists in namespace ${pods}, fix the namespace of the externalObjects entry (or add one for namespace ${pods}).`
    : `Create "${ref.name}" in namespace ${pods} (or move the workload), or if it is created there outside the repository, ` +
      `declare it in .github/keyref.yml under externalObjects (kind: ${ref.targetKind}, name: ${ref.name}, namespace: ${podNamespaces[0] ?? '…'}).`;
  const help = `${subject(ref)} uses it. ${origin} Pods can only use ${ref.targetKind}s of their own namespace, so ${consequence}. ${fix}`;
  return {
    severity: severityFor(ref, 'error'),
    location: ref.location,
    message,
    help,
    object: ref.owner,
    identity: identityOf(ref, namespacesPart(podNamespaces)),
    ...(related.length > 0 ? { related } : {}),
  };
}
