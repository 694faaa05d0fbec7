import type { Finding, SourceFile } from '../../engine/model.js';
import { SEVERITY_RANK } from '../../engine/model.js';
import { commentBody } from './comment-body.js';
import { suggestedLine } from './suggested-line.js';

export interface PlannedComment {
  readonly path: string;
  readonly line: number;
  readonly side: 'RIGHT';
  readonly body: string;
  readonly fingerprint: string;
}

export interface ReviewPlan {
  /** New inline comments, at most `maxComments`. */
  readonly comments: PlannedComment[];
  /** New findings on diff lines beyond `maxComments`: listed in the review body. */
  readonly overflow: Finding[];
  /** Fingerprints of the app's old comments whose finding is gone: minimize them. */
  readonly gone: ReadonlySet<string>;
}

export interface PlanInput {
  readonly findings: readonly Finding[];
  /** Head files (for suggestion lines). */
  readonly head: readonly SourceFile[];
  /** Path → commentable right-side lines. */
  readonly commentable: ReadonlyMap<string, ReadonlySet<number>>;
  /** Fingerprints the app already commented on (or listed in a review body). */
  readonly alreadyPosted: ReadonlySet<string>;
  /** Fingerprints of the app's existing comments. */
  readonly existingComments: Iterable<string>;
  readonly maxComments: number;
}

/**
 * Decides what the inline review says: one comment per new introduced error or warning that sits on
 * a line of the diff (notices and findings outside the diff stay in annotations and the summary),
 * errors first, with a suggestion block where the fix is mechanical; nothing already said before.
 */
export function planReview(input: PlanInput): ReviewPlan {
  const texts = new Map(input.head.map((f) => [f.path, f.text] as const));
  const lineCache = new Map<string, string[]>();
  const lineText = (path: string, line: number): string | undefined => {
    let lines = lineCache.get(path);
    if (!lines) {
      const text = texts.get(path);
      if (text === undefined) return undefined;
      lines = text.split(/\r?\n/);
      lineCache.set(path, lines);
    }
    return lines[line - 1];
  };

  const candidates = input.findings
    .filter((f) => f.introduced && f.severity !== 'notice' && !input.alreadyPosted.has(f.fingerprint))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));

  const comments: PlannedComment[] = [];
  const overflow: Finding[] = [];
  for (const f of candidates) {
    const lines = input.commentable.get(f.path);
    if (!lines) continue;
    let line: number | undefined;
    let suggestion: string | undefined;
    if (f.suggestion && lines.has(f.suggestion.line)) {
      const text = lineText(f.path, f.suggestion.line);
      suggestion = text === undefined ? undefined : suggestedLine(text, f.suggestion.from, f.suggestion.to);
      if (suggestion !== undefined) line = f.suggestion.line;
    }
    if (line === undefined) {
      if (lines.has(f.line)) line = f.line;
      else if (lines.has(f.endLine)) line = f.endLine;
    }
    if (line === undefined) continue;
    if (comments.length >= input.maxComments) {
      overflow.push(f);
      continue;
    }
    comments.push({ path: f.path, line, side: 'RIGHT', body: commentBody(f, line === f.suggestion?.line ? suggestion : undefined), fingerprint: f.fingerprint });
  }

  const current = new Set(input.findings.map((f) => f.fingerprint));
  const gone = new Set<string>();
  for (const fp of input.existingComments) if (!current.has(fp)) gone.add(fp);
  return { comments, overflow, gone };
}
