import { dirOf } from '../kustomize/paths.js';
import type { Provider, Reference, RuleReport } from '../model.js';
import { identityOf, listText, providerOrigin, relatedPaths, severityFor, subject } from '../resolve/describe.js';
import { namespacesMatch, resolveReferenceCached } from '../resolve/resolve-reference.js';
import type { Rule, RuleContext } from './rule.js';

/** A build named for people: the directory of its root kustomization. */
function buildName(root: string): string {
  return dirOf(root) || '.';
}

/**
 * The root builds in which `ref` resolves only through objects other kustomize builds define, with
 * those builds. A provider outside kustomize (a plain manifest, the configuration, the cluster) or
 * one of the reference's own build counts as its own: only kustomize-built namesakes are suspect.
 */
export function crossBuildGaps(ref: Reference, providers: readonly Provider[]): { missingIn: string[]; definedBy: string[]; providers: Provider[] } {
  const missingIn: string[] = [];
  const definedBy = new Set<string>();
  const used = new Set<Provider>();
  for (const build of ref.builds ?? []) {
    const here = providers.filter((p) => p.namespaces.some((n) => namespacesMatch(n, build.namespace)));
    if (here.length === 0) continue;
    const own = here.some((p) => !p.builds || p.builds.length === 0 || p.builds.some((b) => b.root === build.root));
    if (own) continue;
    missingIn.push(build.root);
    for (const p of here) {
      used.add(p);
      for (const b of p.builds ?? []) if (namespacesMatch(b.namespace, build.namespace)) definedBy.add(b.root);
    }
  }
  return { missingIn, definedBy: [...definedBy].sort(), providers: [...used] };
}

export const rule: Rule = {
  meta: {
    id: 'cross-build-reference',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A pod spec refers to a ConfigMap or Secret that its own kustomize build does not define; only another build of the repository does.',
      why: [
        'Each kustomize build (`kubectl kustomize DIR`, a Flux Kustomization, an Argo CD Application) is applied on its own.',
        'A reference resolved by an object that another build defines works only if that other build is applied too, to the same namespace,',
        'and before the pod starts — an ordering nothing in the repository guarantees. When the other build is removed, renamed or',
        'deployed elsewhere, the pod fails with `CreateContainerConfigError` (or `FailedMount` for a volume).',
        '',
        'keyref resolves a reference inside its own build first. Objects outside kustomize (plain manifests, `externalObjects`,',
        'objects the cluster creates) are not affected by this rule.',
      ].join('\n'),
      example: [
        '# apps/api/kustomization.yaml',
        'namespace: shop',
        'resources: [deployment.yaml]   # its pods use Secret db-credentials',
        '---',
        '# apps/db/kustomization.yaml — another build',
        'namespace: shop',
        'secretGenerator:',
        '  - name: db-credentials',
        '    envs: [db.env]',
      ].join('\n'),
      fix: [
        '- Make the object part of the build that uses it (include the other build\'s directory as a resource, or a shared component), or',
        '- if the other build is always applied first to the same namespace, declare the object in `.github/keyref.yml` `externalObjects`, or',
        '  silence the finding with `# keyref-ignore cross-build-reference -- <why>`.',
      ].join('\n'),
      severities: [
        '- `warning`: the reference is not optional.',
        '- `notice`: the reference is `optional: true`.',
      ].join('\n'),
    },
  },
  *check(context: RuleContext): Iterable<RuleReport> {
    for (const ref of context.references) {
      if (!ref.builds || ref.builds.length === 0) continue;
      const r = resolveReferenceCached(ref, context.providers, context.kustomize);
      if (r.status !== 'ok' && r.status !== 'missing-keys') continue;
      const gaps = crossBuildGaps(ref, r.providers);
      if (gaps.missingIn.length === 0) continue;
      const origins = [...new Set(gaps.providers.map(providerOrigin))];
      const others = gaps.definedBy.length;
      const message = `${ref.targetKind} "${ref.name}" is defined only by ${others === 1 ? 'another kustomize build' : `${others} other kustomize builds`}, not by the build this pod is part of.`;
      const help =
        `${subject(ref)} uses it. It is defined by build ${listText(gaps.definedBy.map(buildName), 3, 'and')} (${listText(origins, 2, 'and')}), ` +
        `not by ${listText(gaps.missingIn.map(buildName), 3, 'and')}. ` +
        `The pod works only if that build is applied too, to the same namespace; make the object part of this build, or declare it in .github/keyref.yml under externalObjects.`;
      const related = relatedPaths(ref, gaps.providers);
      yield {
        severity: severityFor(ref, 'warning'),
        location: ref.location,
        message,
        help,
        object: ref.owner,
        identity: identityOf(ref, `builds:${[...gaps.missingIn].sort().join(',')}`),
        ...(related.length > 0 ? { related } : {}),
      };
    }
  },
};
