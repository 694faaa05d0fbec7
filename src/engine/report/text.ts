import { notAnalysedSummary } from '../coverage/index.js';
import type { Finding, Severity, Skipped } from '../model.js';
import type { ReportInput } from './types.js';

export interface TextOptions {
  /** ANSI colors (off by default). */
  readonly color?: boolean;
  /** At most this many things not analysed are listed (the rest are counted); default 10. */
  readonly maxSkipped?: number;
}

interface Paint {
  severity(s: Severity, text: string): string;
  path(text: string): string;
  dim(text: string): string;
  heading(text: string): string;
}

const ESC = '\u001b[';
const COLORS: Paint = {
  severity: (s, t) => `${ESC}${s === 'error' ? '31;1' : s === 'warning' ? '33' : '36'}m${t}${ESC}0m`,
  path: (t) => `${ESC}1m${t}${ESC}0m`,
  dim: (t) => `${ESC}2m${t}${ESC}0m`,
  heading: (t) => `${ESC}1;4m${t}${ESC}0m`,
};
const PLAIN: Paint = { severity: (_s, t) => t, path: (t) => t, dim: (t) => t, heading: (t) => t };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 errors, 1 warning, 0 notices" */
export function countLine(findings: readonly Finding[]): string {
  const n = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) n[f.severity]++;
  return `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${plural(n.notice, 'notice')}`;
}

/** Findings grouped by file (in the order given), one line each: `path:line  severity  ruleId  message`. */
function findingLines(findings: readonly Finding[], paint: Paint): string[] {
  const ruleWidth = Math.max(0, ...findings.map((f) => f.ruleId.length));
  const out: string[] = [];
  let currentPath: string | undefined;
  for (const f of findings) {
    if (currentPath !== undefined && f.path !== currentPath) out.push('');
    currentPath = f.path;
    const [first = '', ...rest] = f.message.split(/\r?\n/);
    out.push(
      `${paint.path(`${f.path}:${f.line}`)}  ${paint.severity(f.severity, f.severity.padEnd(7))}  ${paint.dim(f.ruleId.padEnd(ruleWidth))}  ${first}`.trimEnd(),
    );
    for (const line of rest) out.push(`    ${line}`.trimEnd());
    if (f.causedBy && f.causedBy.length > 0) out.push(`    ${paint.dim(`caused by the change to ${f.causedBy.join(', ')}`)}`);
  }
  return out;
}

function skippedLines(skipped: readonly Skipped[], max: number, paint: Paint): string[] {
  if (skipped.length === 0) return [];
  const out = [paint.heading(`Not analysed (${skipped.length}):`)];
  const width = Math.max(...skipped.slice(0, max).map((p) => p.path.length));
  for (const p of skipped.slice(0, max)) out.push(`  ${p.path.padEnd(width)}  ${paint.dim(p.reason)}`);
  if (skipped.length > max) out.push(`  … and ${skipped.length - max} more (--format json lists them all)`);
  return out;
}

function figures(input: ReportInput): string {
  return `in ${plural(input.stats.files, 'file')} (${plural(input.stats.objects, 'object')})`;
}

/** `; not analysed: 3 Helm charts, 1 remote kustomize resource (listed above)`, on the count line itself: a pass never hides a blind spot. */
function notAnalysedTail(input: ReportInput): string {
  const line = notAnalysedSummary(input.skipped);
  return line ? `; ${line} (listed above; --format json lists all under "skipped")` : '';
}

/** The report for people. Pure: the same input always gives the same text. */
export function formatText(input: ReportInput, options: TextOptions = {}): string {
  const paint = options.color ? COLORS : PLAIN;
  const max = options.maxSkipped ?? 10;
  const blocks: string[][] = [];
  const review = input.review;
  if (!review) {
    if (input.findings.length > 0) blocks.push(findingLines(input.findings, paint));
    const skipped = skippedLines(input.skipped, max, paint);
    if (skipped.length > 0) blocks.push(skipped);
    blocks.push([`${countLine(input.findings)} ${figures(input)}${notAnalysedTail(input)}`]);
  } else {
    const introduced = input.findings.filter((f) => f.introduced === true);
    const present = input.findings.filter((f) => f.introduced !== true);
    // Introduced in touched files first, then those the change caused elsewhere.
    const ordered = [...introduced.filter((f) => !f.causedBy?.length), ...introduced.filter((f) => f.causedBy?.length)];
    if (ordered.length > 0) blocks.push([paint.heading(`Introduced by ${review.base}..${review.head}:`), '', ...findingLines(ordered, paint)]);
    if (present.length > 0) blocks.push([paint.heading('Already present before this change:'), '', ...findingLines(present, paint)]);
    const skipped = skippedLines(input.skipped, max, paint);
    if (skipped.length > 0) blocks.push(skipped);
    const fixed = review.fixed.length > 0 ? `, ${review.fixed.length} fixed` : '';
    blocks.push([
      `${countLine(introduced)} introduced (${present.length} already present${fixed}) ${figures(input)}, ${plural(review.changedPaths.length, 'changed file')}${notAnalysedTail(input)}`,
    ]);
  }
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
