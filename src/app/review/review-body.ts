import type { Finding } from '../../engine/model.js';
import { MAX_COMMENT_BODY_CHARS } from '../constants.js';
import { code, escapeMarkdown } from '../util/markdown.js';
import { fingerprintMarker, reviewMarker } from './markers.js';

/** The review's body: a one-line summary, the new findings that did not fit as inline comments, and hidden markers. */
export function reviewBody(input: { headSha: string; commentCount: number; overflow: readonly Finding[]; outsideDiff?: number }): string {
  const head = reviewMarker(input.headSha);
  const shown = input.commentCount + input.overflow.length;
  const outside = input.outsideDiff ?? 0;
  // The check run counts every introduced finding; say where the ones this review cannot comment on are, so the numbers agree.
  const elsewhere =
    outside > 0
      ? ` The change also introduces ${outside} problem${outside === 1 ? '' : 's'} outside the lines it touched (e.g. in a file it did not change); the \`keyref\` check run lists ${outside === 1 ? 'it' : 'them'}.`
      : ' The `keyref` check run lists every finding.';
  const lines: string[] = [`**keyref** found ${shown} new problem${shown === 1 ? '' : 's'} in the changed lines of this change's Kubernetes manifests.${elsewhere}`];
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
