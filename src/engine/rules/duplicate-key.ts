import type { RuleReport } from '../model.js';
import { isKustomizationPath } from '../kustomize/paths.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * A mapping that repeats a key. What fails depends on who reads the file: `kubectl apply -f` converts
 * YAML to JSON and keeps the last value (the earlier one is silently ignored), while `kustomize build`
 * (and so `kubectl apply -k`, Flux and Argo CD kustomize sources) rejects the whole file. keyref reads
 * the document as kubectl does, so its other references are still checked.
 */
export const rule: Rule = {
  meta: {
    id: 'duplicate-key',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A YAML mapping in a manifest repeats a key.',
      why: [
        '`kubectl apply -f` keeps the last value of a repeated key and applies the object: the earlier value is silently ignored,',
        'which is harmless when both are the same and a hidden bug when they differ.',
        '`kustomize build` (also `kubectl apply -k`, Flux and Argo CD kustomize sources) rejects the file instead,',
        'so a repeated key in a file that a kustomization includes breaks the whole build.',
        'keyref reads the document the way kubectl does (last value wins), so the other references in the file are still checked.',
        'The message never quotes the key or its values: they may hold secrets.',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        'data:',
        '  LOG_LEVEL: info',
        '  LOG_LEVEL: info # repeated',
      ].join('\n'),
      fix: '- Remove one of the two entries (keep the value you mean).',
      severities: [
        '- `error`: a kustomization includes the file (or it is a kustomization): `kustomize build` rejects it.',
        '- `warning`: a plain manifest: `kubectl apply -f` applies it with the last value.',
      ].join('\n'),
    },
  },
  check(context: RuleContext): RuleReport[] {
    const reports: RuleReport[] = [];
    const perFile = new Map<string, number>();
    for (const problem of context.repo.problems) {
      if (problem.kind !== 'duplicate-key') continue;
      const line = problem.line !== undefined && problem.line >= 1 ? problem.line : 1;
      const n = (perFile.get(problem.path) ?? 0) + 1;
      perFile.set(problem.path, n);
      const kustomized = isKustomizationPath(problem.path) || context.kustomize.scopesOf(problem.path).some((s) => s.root !== undefined);
      const consequence = kustomized
        ? 'kustomize build rejects the file, so the build that includes it fails.'
        : 'kubectl applies the last value and silently ignores the earlier one.';
      const why = kustomized
        ? '`kustomize build` (and `kubectl apply -k`, Flux, Argo CD) refuses a mapping with a repeated key; `kubectl apply -f` would keep the last value.'
        : 'Harmless when both values are the same, a hidden bug when they differ; `kustomize build` would reject the file.';
      reports.push({
        severity: kustomized ? 'error' : 'warning',
        location: { path: problem.path, line, endLine: line },
        message: `This key is repeated in its mapping: ${consequence}`,
        help: `${why} Remove one of the two entries. keyref read the rest of the document with the last value, as kubectl does.`,
        identity: ['duplicate-key', `${n}`],
      });
    }
    return reports;
  },
};
