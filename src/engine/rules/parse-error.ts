import type { Location, RuleReport } from '../model.js';
import type { Rule, RuleContext } from './rule.js';
import { describeInvalidKey, isDataKey } from '../key-names.js';

/** A reason without its variable parts, so that the finding keeps its fingerprint when lines move. */
function reasonKind(reason: string): string {
  return reason
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * kustomize env-file lines that are not `KEY=VALUE` with a valid key (`API_PASSWORD: x`, `DB_PASS x`):
 * kustomize makes the whole line a key, which the API server rejects, failing the whole object.
 * Reported at the line, never quoting it (it usually holds the value).
 */
function malformedEnvLines(context: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  const perFile = new Map<string, number>();
  const generators = Array.isArray(context.kustomize.generators) ? context.kustomize.generators : [];
  for (const gen of generators) {
    for (const env of gen.envs ?? []) {
      if (env.entries === 'unknown' || !Array.isArray(env.entries)) continue;
      for (const e of env.entries) {
        if (isDataKey(e.key) || seen.has(`${env.source}:${e.line}`)) continue;
        seen.add(`${env.source}:${e.line}`);
        const n = (perFile.get(env.source) ?? 0) + 1;
        perFile.set(env.source, n);
        reports.push({
          location: { path: env.source, line: e.line, endLine: e.line },
          message:
            `This line of an env file that the kustomize ${gen.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator'} \`${gen.name}\` ` +
            `(${gen.kustomization}) reads is not \`KEY=VALUE\` with a valid key: kustomize turns the line into ${describeInvalidKey(e.key)}, ` +
            `and the API server rejects the whole ${gen.kind}. Write it as \`KEY=VALUE\` (the line is not quoted here: it may hold a secret).`,
          identity: ['env-line', `${n}`],
        });
      }
    }
  }
  return reports;
}

/** Generator inputs outside the repository: `kustomize build` fails, and keyref cannot read them (so their keys are unknown). */
function inputsOutside(context: RuleContext): RuleReport[] {
  const generators = Array.isArray(context.kustomize.generators) ? context.kustomize.generators : [];
  return generators.flatMap((gen) =>
    (gen.outside ?? []).map((input: { path: string; location: Location }): RuleReport => ({
      location: input.location,
      message:
        `The kustomize ${gen.kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator'} \`${gen.name}\` reads ` +
        `${input.path.length <= 200 ? `\`${input.path}\`` : `a path of ${input.path.length} characters`}, which is outside the repository: ` +
        '`kustomize build` refuses files that are not in or below the kustomization\'s folder, and keyref cannot read it, ' +
        `so the keys of ${gen.kind} \`${gen.name}\` are not checked. Move the file into the kustomization's folder.`,
      identity: ['generator-input-outside', gen.name, input.path],
    })),
  );
}

export const rule: Rule = {
  meta: {
    id: 'parse-error',
    defaultSeverity: 'error',
    docs: {
      summary: 'A Kubernetes manifest or kustomization is not valid YAML/JSON.',
      why: [
        '`kubectl apply`, `kustomize build`, Argo CD and Flux reject a file that does not parse, so nothing in it is deployed,',
        'and keyref cannot check the references it holds either.',
        'Typical causes are a wrong indentation, a tab used for indentation, or an unclosed quote or bracket (a key written twice is `duplicate-key`).',
        '',
        'Only files that look like manifests (top-level `apiVersion:`/`kind:` lines, or a kustomization) are reported;',
        'other YAML files that do not parse are ignored, and Helm/Go templates (`{{ }}`) are skipped, since they are not YAML before rendering.',
        'The message never quotes the file: it may hold secrets.',
        '',
        'A line of a kustomize env file (`envs:`) that is not `KEY=VALUE` with a valid key (`API_PASSWORD: x`, `DB_PASS x`) is reported too:',
        'kustomize turns the whole line into a key, and the API server rejects the generated ConfigMap or Secret.',
        'So is a generator input (`files:`, `envs:`) outside the repository: `kustomize build` refuses it, and keyref cannot read it.',
      ].join('\n'),
      example: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        'data:',
        '  LOG_LEVEL: info',
        '   FEATURE_X: "on" # indented one space too far',
      ].join('\n'),
      fix: [
        '- Fix the YAML at the reported line (the reason says what the parser expected); `kubectl apply --dry-run=client -f <file>` shows the same error.',
        '- If the file is a template rendered by another tool, exclude it in `.github/keyref.yml` (`exclude:`).',
      ].join('\n'),
    },
  },
  check(context: RuleContext): RuleReport[] {
    const reports: RuleReport[] = [];
    for (const problem of context.repo.problems) {
      if (problem.kind !== 'parse-error') continue;
      const line = problem.line !== undefined && problem.line >= 1 ? problem.line : 1;
      reports.push({
        location: { path: problem.path, line, endLine: line },
        message: `This file is not valid YAML (${problem.reason}), so it cannot be applied and keyref cannot check it.`,
        identity: [reasonKind(problem.reason)],
      });
    }
    reports.push(...malformedEnvLines(context), ...inputsOutside(context));
    return reports;
  },
};
