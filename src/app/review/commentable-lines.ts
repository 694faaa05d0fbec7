import { parsePatch } from 'diff';

/**
 * The right-side (head) line numbers of a file's diff that a review comment may target: added and
 * context lines of its hunks. GitHub rejects the whole review when one comment is outside them.
 * `patch` is the `patch` field of "List pull request files" (hunks without file headers).
 */
export function commentableLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(patch);
  } catch {
    return lines;
  }
  for (const file of parsed) {
    for (const hunk of file.hunks) {
      let right = hunk.newStart;
      for (const line of hunk.lines) {
        const kind = line[0];
        if (kind === '+' || kind === ' ') {
          lines.add(right);
          right++;
        }
        // '-' lines are left side only; '\' is "No newline at end of file".
      }
    }
  }
  return lines;
}
