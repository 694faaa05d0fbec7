import type { Finding, Severity } from '../../engine/model.js';
import { SEVERITY_RANK } from '../../engine/model.js';
import { MAX_ANNOTATION_MESSAGE_BYTES, MAX_ANNOTATION_TITLE_CHARS, MAX_ANNOTATIONS_TOTAL } from '../constants.js';
import { truncateBytes, truncateChars } from '../util/truncate.js';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

const LEVEL: Record<Severity, Annotation['annotation_level']> = { error: 'failure', warning: 'warning', notice: 'notice' };

/**
 * One annotation per finding this change introduced (pre-existing ones are only listed in the
 * summary: annotations on untouched code would be noise). Errors first; at most MAX_ANNOTATIONS_TOTAL.
 */
export function buildAnnotations(
  findings: readonly Finding[],
  /** Lines in a head file, when known: a line past the end (a parse error "at the end of the stream") is clamped to the last line. */
  lineCount: (path: string) => number | undefined = () => undefined,
): { annotations: Annotation[]; omitted: number } {
  const introduced = findings
    .filter((f) => f.introduced)
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const annotations = introduced.slice(0, MAX_ANNOTATIONS_TOTAL).map((f): Annotation => {
    const last = lineCount(f.path);
    const clamp = (n: number): number => Math.max(1, last !== undefined && last > 0 ? Math.min(n, last) : n);
    const start = clamp(f.line);
    const cause = f.causedBy && f.causedBy.length > 0 ? `\n(caused by the change to ${f.causedBy.slice(0, 5).join(', ')})` : '';
    return {
      path: f.path,
      start_line: start,
      end_line: Math.max(start, clamp(f.endLine)),
      annotation_level: LEVEL[f.severity],
      title: truncateChars(f.ruleId, MAX_ANNOTATION_TITLE_CHARS, '…'),
      message: truncateBytes(f.message + cause, MAX_ANNOTATION_MESSAGE_BYTES),
    };
  });
  return { annotations, omitted: introduced.length - annotations.length };
}
