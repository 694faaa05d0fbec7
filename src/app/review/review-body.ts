import type { Finding } from '../../engine/model.js';
import { MAX_COMMENT_BODY_CHARS } from '../constants.js';
import { code, escapeMarkdown } from '../util/markdown.js';
import { fingerprintMarker, reviewMarker } from './markers.js';

/** The review's body: a one-line summary, the new findings that did not fit as inline comments, and hidden markers. */
export function reviewBody(input: { headSha: string; commentCount: number; overflow: readonly Finding[] }): string {
  const head = reviewMarker(input.headSha);
  const lines: string[] = [
    `**keyref** found ${input.commentCount + input.overflow.length} new problem${input.commentCount + input.overflow.length === 1 ? '' : 's'} in this change's Kubernetes manifests. The \`keyref\` check run lists every finding.`,
  ];
  if (input.overflow.length > 0) {
    lines.push('', `Not commented inline (to keep the review short):`);
  }
  let size = head.length + lines.join('\n').length + 200;
  let omitted = 0;
  for (const f of input.overflow) {
    const line = `- ${code(f.path)} line ${f.line}: ${f.severity} ${code(f.ruleId)}: ${escapeMarkdown(f.message)} ${fingerprintMarker(f.fingerprint)}`;
    if (size + line.length + 1 > MAX_COMMENT_BODY_CHARS - 500) {
      omitted++;
      continue;
    }
    lines.push(line);
    size += line.length + 1;
  }
  if (omitted > 0) lines.push(`- …and ${omitted} more (see the check run)`);
  lines.push('', head);
  return lines.join('\n');
}
