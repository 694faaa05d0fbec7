import type { Provider, Reference, RuleReport, Severity } from '../model.js';
import {
  consequenceOf,
  identityOf,
  listText,
  missingObjectFailure,
  namespacesPart,
  nsText,
  optionalOutcome,
  relatedPaths,
  severityFor,
  subject,
  suggestionSafe,
} from '../resolve/describe.js';
import { resolveReferenceCached } from '../resolve/resolve-reference.js';
import type { Evidence } from '../evidence/index.js';
import type { Rule, RuleContext } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'unresolved-reference',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A pod spec refers to a ConfigMap or Secret that is not defined anywhere in the repository.',
      why: [
        'A pod whose `env` key reference or `envFrom` names a missing ConfigMap/Secret fails with `CreateContainerConfigError`;',
        'a missing `configMap`/`secret` volume leaves the pod stuck in `ContainerCreating` (`FailedMount`).',
        'A missing `imagePullSecrets` entry does not stop the pod, but pulls from a private registry fail.',
        '',
        'Objects are often created outside the repository (by CI, an operator, by hand), so a name that matches nothing is only a warning,',
        'and only a notice that cites where it comes from when the repository shows it: a `kubectl create secret|configmap NAME` in a',
        'README, script, Makefile, workflow or comment; a literal manifest in the docs, or commented out in the same file; a platform-managed namespace (`gke-managed-*`,',
        '`gmp-*`); a `docs/`, `examples/`, `testdata/`, `fixtures/` or `snippets/` folder (an illustration); or an `_archived/` or',
        '`archived/` folder (retired manifests). `samples/` is not one: projects ship deployable add-ons there. There is no finding at all when RBAC lets a workload create',
        'it itself (a Role granting `create` on secrets/configmaps that names it in `resourceNames`, bound to a ServiceAccount). Otherwise —',
        'unless an object of the same kind defined in the same part of the repository (same directory tree, kustomize build or namespace)',
        'has a nearly identical name, which is almost always a typo. Names that differ only in digits (`db-v1`/`db-v2`) or in one short token',
        '(`cache-a`/`cache-b`) are not taken for typos. Templated names (`{{ }}`, `${VAR}`, `$(VAR)`) are skipped.',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        'data:',
        '  LOG_LEVEL: info',
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
        '          envFrom:',
        '            - configMapRef:',
        '                name: app-confg # typo: did you mean "app-config"?',
      ].join('\n'),
      fix: [
        '- Fix the name when it is a typo (the finding suggests the close match).',
        '- Add the ConfigMap/Secret to the repository.',
        '- If it is created outside the repository, declare it in `.github/keyref.yml`:',
        '  ```yaml',
        '  externalObjects:',
        '    - kind: Secret',
        '      name: registry-credentials',
        '      namespace: web   # optional',
        '  ```',
        '- If the pod can run without it, mark the reference `optional: true`.',
      ].join('\n'),
      severities: [
        '- `error`: the name is a near miss of an object of the same kind defined in the same part of the repository (a typo).',
        '- `warning`: nothing of that name is defined (it may be created outside the repository; a near name defined in an unrelated part of the repository is offered as a hint), or it is defined for only some of the namespaces the pod runs in.',
        '- `notice`: the reference is `optional: true`, or an `imagePullSecrets` entry that matches nothing (these are usually created outside the repository; a typo is a `warning`), or the repository shows the object is created outside its manifests (the message cites where), or the same missing object is already a warning at another use: one missing object is one decision, so its first use (by path) is the warning and the others point at it.',
      ].join('\n'),
    },
  },
  *check(context: RuleContext): Iterable<RuleReport> {
    const repeated = new RepeatedAbsences();
    for (const ref of context.references) {
      const r = resolveReferenceCached(ref, context.providers, context.kustomize);
      // optional, and only the other kind has that name: a separate object that may be absent, not a wrong kind
      if (r.status === 'wrong-kind' && ref.optional) {
        if (!context.evidence?.forReference(ref)?.silences) yield absentReport(ref, r.providers);
        continue;
      }
      if (r.status !== 'unresolved') continue;
      if (r.foundIn.length > 0) {
        yield partialReport(ref, r.providers, r.missingIn, relatedPaths(ref, r.providers));
        continue;
      }
      let evidence = context.evidence?.forReference(ref);
      if (evidence?.silences) continue; // the workload creates it itself
      // A docs folder or a platform namespace does not excuse a near miss of a name defined nearby; a command creating the exact name does.
      if (evidence && evidence.kind !== 'created-by-hand' && r.near.length > 0) evidence = undefined;
      if (evidence) yield evidenceReport(ref, evidence, r.distantNear);
      else if (r.near.length > 0) yield typoReport(ref, r.near, relatedPaths(ref, r.nearProviders));
      else if (r.distantNear.length > 0) yield distantTypoReport(ref, r.distantNear, r.distantNearProviders);
      else {
        const report = absentReport(ref, r.elsewhere);
        if (report.severity !== 'warning') yield report;
        else repeated.add(ref, report);
      }
    }
    yield* repeated.reports();
  },
};

/**
 * One decision per missing object. A name that nothing defines, used by many workloads, is one
 * object to create (or declare) for the maintainer, not one problem per workload: the first use (by
 * path, then document) stays a warning and the others are notices that point at it. The key is the
 * kind, the name and the namespaces the pods run in: the same name missing in two namespaces is two
 * objects to create.
 */
class RepeatedAbsences {
  private readonly groups = new Map<string, { ref: Reference; report: RuleReport }[]>();

  add(ref: Reference, report: RuleReport): void {
    const key = JSON.stringify([ref.targetKind, ref.name, [...new Set(ref.namespaces.map((n) => n ?? ''))].sort()]);
    const group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, [{ ref, report }]);
    else group.push({ ref, report });
  }

  *reports(): Iterable<RuleReport> {
    for (const group of this.groups.values()) {
      group.sort((a, b) => compareUse(a.ref, b.ref));
      const [first, ...rest] = group;
      yield first!.report;
      for (const { ref, report } of rest) yield repeatReport(ref, report, first!.ref, group.length);
    }
  }
}

function compareUse(a: Reference, b: Reference): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return (a.location.docIndex ?? 0) - (b.location.docIndex ?? 0);
}

/** A further use of a missing object already reported as a warning at `first`: a notice that points there. */
function repeatReport(ref: Reference, report: RuleReport, first: Reference, uses: number): RuleReport {
  const message = `${sentence(notDefined(ref))} (${uses} uses; the warning is at the first).`;
  const help =
    `${subject(ref)} uses it. ${uses} workload references use this name and the repository defines it nowhere: one object to create or ` +
    `declare, so it is a warning once (at ${first.path}, ${subject(first)}) and a notice here. ${report.help ?? ''}`;
  return { ...report, severity: 'notice', message, help, ...(first.path !== ref.path ? { related: [...new Set([...(report.related ?? []), first.path])] } : {}) };
}

function declareHint(ref: Reference): string {
  return `declare it in .github/keyref.yml under externalObjects (kind: ${ref.targetKind}, name: ${ref.name})`;
}

/** `Secret "db" is not defined in this repository` — the start of every first sentence here. */
function notDefined(ref: Reference, optional = false): string {
  return `${optional ? 'optional ' : ''}${ref.targetKind} "${ref.name}" is not defined in this repository`;
}

/** Capitalised first word, for sentences that start with a kind. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function typoReport(ref: Reference, near: readonly string[], related: string[]): RuleReport {
  const severity = severityFor(ref, 'error');
  const message = `${sentence(notDefined(ref, ref.optional))} — did you mean ${listText(near, 3)}?`;
  const help =
    `${subject(ref)} uses it. If the name is wrong, ${consequenceOf(ref)}. ` +
    `Fix the name, or if "${ref.name}" is created outside the repository, ${declareHint(ref)}.`;
  return nearNameReport(ref, severity, message, help, near, related);
}

/** A report for a name with near matches: the rename is suggested when there is exactly one (and it is safe to apply). */
function nearNameReport(ref: Reference, severity: Severity, message: string, help: string, near: readonly string[], related: readonly string[]): RuleReport {
  const only = near.length === 1 ? near[0] : undefined;
  return {
    severity,
    location: ref.location,
    message,
    help,
    object: ref.owner,
    identity: identityOf(ref),
    ...(only !== undefined && suggestionSafe(ref.location, ref.name) ? { suggestion: { location: ref.location, from: ref.name, to: only } } : {}),
    ...(related.length > 0 ? { related } : {}),
  };
}

/** "A Secret of that name is defined in other/s.yaml (namespace backend), which does not apply to this pod. " */
function elsewhereNote(elsewhere: readonly Provider[]): string {
  if (elsewhere.length === 0) return '';
  const first = elsewhere[0]!;
  const where = first.location?.path ? ` in ${first.location.path}` : '';
  const nss = first.namespaces.filter((n): n is string => n !== undefined);
  const ns = nss.length > 0 ? ` (namespace ${nss.join(', ')})` : '';
  const more = elsewhere.length > 1 ? ` and ${elsewhere.length - 1} more place${elsewhere.length > 2 ? 's' : ''}` : '';
  return `A ${first.kind} of that name is defined${where}${ns}${more}, which does not look like the one this pod uses. `;
}

/** A near name exists, but only in an unrelated part of the repository: a hint at warning level (notice when optional). */
function distantTypoReport(ref: Reference, near: readonly string[], providers: readonly Provider[]): RuleReport {
  const paths = [...new Set(providers.map((p) => p.location?.path).filter((p): p is string => typeof p === 'string'))].sort();
  const where = paths.length > 0 ? ` It is defined in ${paths.slice(0, 2).join(', ')}${paths.length > 2 ? ` and ${paths.length - 2} more` : ''}.` : '';
  const message = `${sentence(notDefined(ref, ref.optional))}; did you mean ${listText(near, 3)}?`;
  const help =
    `${subject(ref)} uses it.${where} Unless "${ref.name}" is created outside the repository, ${consequenceOf(ref)}. ` +
    `Fix the name, or if it is created elsewhere, ${declareHint(ref)}.`;
  return nearNameReport(ref, severityFor(ref, 'warning'), message, help, near, relatedPaths(ref, providers));
}

/**
 * The repository shows the object is created outside its manifests (a README, a script, a platform namespace, a docs or archived
 * folder): a notice that cites it. A near name defined in an unrelated part of the repository stays a hint, in the help.
 */
function evidenceReport(ref: Reference, evidence: Evidence, distantNear: readonly string[] = []): RuleReport {
  const head = ref.form === 'image-pull-secret' && !ref.optional ? `Image pull Secret "${ref.name}" is not defined in this repository` : sentence(notDefined(ref, ref.optional));
  const message = `${head}; ${evidence.text}.`;
  const hint = distantNear.length > 0 ? ` If the name is a typo: did you mean ${listText(distantNear, 3)} (defined in another part of the repository)?` : '';
  const help =
    `${subject(ref)} uses it. keyref takes it to be created outside the repository, so this is only a notice, and its keys cannot be checked. ` +
    `To silence it, ${declareHint(ref)}; if nothing creates it, ${missingObjectFailure(ref.form)}.${hint}`;
  const related = evidence.path !== undefined && evidence.path !== ref.path ? [evidence.path] : [];
  return { severity: 'notice', location: ref.location, message, help, object: ref.owner, identity: identityOf(ref), ...(related.length > 0 ? { related } : {}) };
}

function absentReport(ref: Reference, elsewhere: readonly Provider[]): RuleReport {
  let severity: Severity = severityFor(ref, 'warning');
  let message: string;
  let help: string;
  if (ref.optional) {
    message = `${sentence(notDefined(ref, true))}; ${optionalOutcome(ref.form)}.`;
    help = `${subject(ref)} uses it. ${elsewhereNote(elsewhere)}If it is created outside the repository, ${declareHint(ref)}.`;
  } else if (ref.form === 'image-pull-secret') {
    severity = 'notice';
    message = `Image pull Secret "${ref.name}" is not defined in this repository.`;
    help =
      `${subject(ref)} names it. Pod creation does not depend on it, but ${missingObjectFailure(ref.form)}. ` +
      `If it is created outside the repository, ${declareHint(ref)}; otherwise add it or remove the entry.`;
  } else {
    message = `${sentence(notDefined(ref))}${elsewhere.length > 0 ? ' where this pod runs' : ''}.`;
    help =
      `${subject(ref)} uses it. ${elsewhereNote(elsewhere)}Unless it is created outside the repository, ${missingObjectFailure(ref.form)}. ` +
      `Add it to the repository, or if it is created elsewhere (CI, an operator, by hand), ${declareHint(ref)}; ` +
      `if the pod can run without it, set optional: true.`;
  }
  const related = relatedPaths(ref, elsewhere);
  return { severity, location: ref.location, message, help, object: ref.owner, identity: identityOf(ref), ...(related.length > 0 ? { related } : {}) };
}

function partialReport(
  ref: Reference,
  providers: readonly Provider[],
  missingIn: readonly (string | undefined)[],
  related: string[],
): RuleReport {
  const severity = severityFor(ref, 'warning');
  const missing = missingIn.map(nsText).join(', ');
  // The namespaces it is defined in (a definition without namespace would match every namespace, so these are all set).
  const found = [...new Set(providers.flatMap((p) => p.namespaces).filter((n): n is string => n !== undefined))].sort().join(', ') || '(no namespace)';
  const consequence = ref.optional
    ? `it is optional, so in namespace ${missing} ${optionalOutcome(ref.form)}`
    : `in namespace ${missing} ${missingObjectFailure(ref.form)}`;
  const message = `${ref.targetKind} "${ref.name}" is defined for namespace ${found} but not for namespace ${missing}, where the pod also runs.`;
  const help =
    `${subject(ref)} uses it. Unless it is created there outside the repository, ${consequence}. Add it for namespace ${missing}, or if it is created elsewhere, ` +
    `declare it in .github/keyref.yml under externalObjects (kind: ${ref.targetKind}, name: ${ref.name}, namespace: ${missingIn.length === 1 && missingIn[0] !== undefined ? missingIn[0] : '…'}).`;
  return {
    severity,
    location: ref.location,
    message,
    help,
    object: ref.owner,
    identity: identityOf(ref, 'partial', namespacesPart(missingIn)),
    ...(related.length > 0 ? { related } : {}),
  };
}
