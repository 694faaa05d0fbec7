import type { Finding } from '../../engine/model.js';
import { MAX_COMMENT_BODY_CHARS } from '../constants.js';
import { escapeMarkdown } from '../util/markdown.js';
import { truncateChars } from '../util/truncate.js';
import { fingerprintMarker } from './markers.js';

const ICON: Record<Finding['severity'], string> = { error: '🛑', warning: '⚠️', notice: 'ℹ️' };

/** A fence longer than any backtick run in `text`. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** The body of one inline comment: severity, rule, message, the folded help, an optional suggestion block and the hidden fingerprint marker. */
export function commentBody(finding: Finding, suggestion?: string): string {
  const marker = fingerprintMarker(finding.fingerprint);
  let text = `${ICON[finding.severity]} **${finding.severity}** \`${finding.ruleId}\`: ${escapeMarkdown(finding.message)}`;
  // The why and how-to-fix stay folded: the comment reads as one sentence.
  if (finding.help) text += `\n\n<details><summary>Why and how to fix</summary>\n\n${escapeMarkdown(finding.help)}\n\n</details>`;
  if (suggestion !== undefined) {
    const fence = fenceFor(suggestion);
    text += `\n\n${fence}suggestion\n${suggestion}\n${fence}`;
  }
  return truncateChars(text, MAX_COMMENT_BODY_CHARS - marker.length - 2) + `\n\n${marker}`;
}
