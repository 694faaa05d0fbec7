import type { Finding, Severity } from '../model.js';
import { SEVERITY_RANK } from '../model.js';

/**
 * Findings with the same rule, severity and message are one problem at several places: a Secret
 * missing for twelve workloads is one entry listing twelve places (messages name the problem, not
 * the place). The order of first appearance is kept. JSON and SARIF keep one result per place.
 */
export function byProblem(findings: readonly Finding[]): Finding[][] {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.severity}\0${f.message}`;
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return [...out.values()];
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** The findings at `min` severity or above (`--min-severity`). */
export function atLeast<T extends Pick<Finding, 'severity'>>(findings: readonly T[], min: Severity): T[] {
  return findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[min]);
}
