import type { Finding, RuleMeta } from '../../../src/engine/model.js';
import type { ReportInput } from '../../../src/engine/report/index.js';

export function finding(over: Partial<Finding> & Pick<Finding, 'ruleId' | 'path' | 'line'>): Finding {
  return {
    severity: 'error',
    endLine: over.line,
    message: `${over.ruleId} at ${over.path}:${over.line}`,
    fingerprint: `fp-${over.ruleId}-${over.path}-${over.line}`,
    ...over,
  };
}

export const FINDINGS: Finding[] = [
  finding({
    ruleId: 'missing-key',
    path: 'apps/api/deployment.yaml',
    line: 23,
    message: 'ConfigMap "api-config" has no key "DATABSE_URL" (did you mean "DATABASE_URL"?).',
    object: { kind: 'Deployment', name: 'api', namespace: 'shop' },
  }),
  finding({
    ruleId: 'unresolved-reference',
    path: 'apps/api/deployment.yaml',
    line: 30,
    endLine: 31,
    severity: 'warning',
    message: 'No Secret "stripe" in the repository.\nDeclare it under externalObjects if it is created elsewhere.',
  }),
  finding({ ruleId: 'wrong-kind', path: 'apps/worker/cronjob.yaml', line: 12, severity: 'notice', message: 'Optional reference.' }),
];

export function input(findings: readonly Finding[] = FINDINGS, over: Partial<ReportInput> = {}): ReportInput {
  return {
    findings,
    skipped: [{ path: 'charts/web/templates/deploy.yaml', kind: 'file', reason: 'templated (Helm {{ }}), not a manifest' }],
    stats: { files: 42, documents: 130, objects: 120, references: 50, providers: 20 },
    ...over,
  };
}

export const META: RuleMeta[] = ['missing-key', 'unresolved-reference'].map((id) => ({
  id,
  defaultSeverity: id === 'missing-key' ? 'error' : 'warning',
  docs: { summary: `${id} summary`, why: `${id} why`, example: 'kind: Pod', fix: `${id} fix` },
}));
