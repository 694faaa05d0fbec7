import type { Finding, Skipped } from '../model.js';
import type { ReportInput } from './types.js';

/** A finding as printed by `--format json`: a fixed field order, optional fields only when present. */
export function findingToJson(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    path: f.path,
    line: f.line,
    endLine: f.endLine,
    message: f.message,
    ...(f.help ? { help: f.help } : {}),
    ...(f.object ? { object: { kind: f.object.kind, name: f.object.name, ...(f.object.namespace !== undefined ? { namespace: f.object.namespace } : {}) } } : {}),
    fingerprint: f.fingerprint,
    ...(f.suggestion ? { suggestion: { line: f.suggestion.line, from: f.suggestion.from, to: f.suggestion.to } } : {}),
    ...(f.related && f.related.length > 0 ? { related: [...f.related] } : {}),
    ...(f.introduced !== undefined ? { introduced: f.introduced } : {}),
    ...(f.causedBy && f.causedBy.length > 0 ? { causedBy: [...f.causedBy] } : {}),
  };
}

function skippedToJson(p: Skipped): Record<string, unknown> {
  return { path: p.path, kind: p.kind, reason: p.reason, ...(p.line !== undefined ? { line: p.line } : {}) };
}

/** `{"findings": [...], "skipped": [...], "stats": {...}}`; review adds `fixed` and `changedPaths`. */
export function formatJson(input: ReportInput): string {
  const out: Record<string, unknown> = {
    findings: input.findings.map(findingToJson),
    skipped: input.skipped.map(skippedToJson),
    stats: { ...input.stats },
  };
  if (input.review) {
    out['review'] = { base: input.review.base, head: input.review.head, changedPaths: [...input.review.changedPaths] };
    out['fixed'] = input.review.fixed.map(findingToJson);
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
