import type { Finding, Severity } from '../../engine/model.js';
import { SEVERITY_RANK } from '../../engine/model.js';
import { MAX_CHECK_SUMMARY_CHARS } from '../constants.js';
import { code, escapeMarkdown } from '../util/markdown.js';
import { truncateChars } from '../util/truncate.js';

export interface SummaryInput {
  readonly findings: readonly Finding[];
  /** Lines about what was not read or not commented, safe to print (paths and counts only). */
  readonly notes?: readonly string[];
  /** Base findings the change fixed. */
  readonly fixedCount?: number;
  /** `not analysed: 3 Helm charts, 2 remote kustomize resources` (engine notAnalysedSummary): shown under the headline, the items under Notes. */
  readonly notAnalysed?: string;
}

/** Room kept free for the closing lines and notes when the list has to be cut. */
const RESERVE = 4000;

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'notice' };

function findingLine(f: Finding): string {
  const where = `${code(f.path)} line ${f.line}${f.endLine > f.line ? `–${f.endLine}` : ''}`;
  const cause = f.causedBy && f.causedBy.length > 0 ? ` _(caused by the change to ${f.causedBy.slice(0, 3).map(code).join(', ')}${f.causedBy.length > 3 ? ', …' : ''})_` : '';
  return `- ${where}: ${escapeMarkdown(f.message)}${cause}`;
}

/** Groups by rule and severity, errors first, then rule id. */
function groups(findings: readonly Finding[]): { ruleId: string; severity: Severity; items: Finding[] }[] {
  const byKey = new Map<string, { ruleId: string; severity: Severity; items: Finding[] }>();
  for (const f of findings) {
    const key = `${f.severity}\0${f.ruleId}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { ruleId: f.ruleId, severity: f.severity, items: [] }));
    g.items.push(f);
  }
  return [...byKey.values()].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/**
 * The check run's Markdown summary: findings this change introduces, grouped by rule and severity;
 * then a collapsed list of the findings that already existed; then notes. Kept under GitHub's
 * 65,535-character limit by listing fewer items (with a count of the rest), never by failing.
 */
export function buildSummary(input: SummaryInput): string {
  const introduced = input.findings.filter((f) => f.introduced);
  const existing = input.findings.filter((f) => !f.introduced);
  const budget = MAX_CHECK_SUMMARY_CHARS - RESERVE;
  const out: string[] = [];
  let size = 0;
  let omitted = 0;
  const push = (line: string): boolean => {
    if (size + line.length + 1 > budget) return false;
    out.push(line);
    size += line.length + 1;
    return true;
  };

  const blindSpots = input.notAnalysed ? `⚠️ **${escapeMarkdown(input.notAnalysed)}** — listed under Notes; what they use is not checked.` : undefined;
  if (introduced.length === 0) {
    push('**No new problems.** This change introduces no unresolved ConfigMap/Secret references and no secret hygiene problems.');
    if (blindSpots) {
      push('');
      push(blindSpots);
    }
  } else {
    if (blindSpots) {
      push(blindSpots);
      push('');
    }
    push('### Introduced by this change');
    for (const g of groups(introduced)) {
      if (!push('') || !push(`#### ${code(g.ruleId)} · ${SEVERITY_LABEL[g.severity]} (${g.items.length})`)) {
        omitted += g.items.length;
        continue;
      }
      for (const f of g.items) if (!push(findingLine(f))) omitted++;
    }
  }
  if (input.fixedCount && input.fixedCount > 0) {
    push('');
    push(`This change fixes ${input.fixedCount} finding${input.fixedCount === 1 ? '' : 's'} that existed before. 🎉`);
  }
  if (existing.length > 0) {
    push('');
    out.push(`<details><summary>${existing.length} finding${existing.length === 1 ? '' : 's'} that already existed</summary>`, '');
    size += 80;
    for (const f of [...existing].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])) {
      if (!push(`${findingLine(f)} (${code(f.ruleId)}, ${f.severity})`)) omitted++;
    }
    out.push('', '</details>');
  }
  if (omitted > 0) out.push('', `_${omitted} more finding${omitted === 1 ? '' : 's'} not listed: GitHub limits this summary to ${MAX_CHECK_SUMMARY_CHARS.toLocaleString('en-US')} characters. The annotations list them._`);
  const notes = input.notes ?? [];
  if (notes.length > 0) {
    out.push('', '### Notes');
    for (const n of notes.slice(0, 20)) out.push(`- ${escapeMarkdown(n)}`);
    if (notes.length > 20) out.push(`- …and ${notes.length - 20} more notes`);
  }
  return truncateChars(out.join('\n'), MAX_CHECK_SUMMARY_CHARS);
}
