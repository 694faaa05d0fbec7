/** Pull request file lists and patches, the way GitHub's `pulls/{n}/files` shows them. */
import { structuredPatch } from 'diff';

export interface PullFile {
  sha: string | null;
  filename: string;
  status: 'added' | 'removed' | 'modified';
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/** GitHub's `patch`: the unified diff hunks without the ---/+++ header lines. */
export function githubPatch(oldText: string, newText: string): { patch: string; additions: number; deletions: number } {
  const p = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 });
  let additions = 0;
  let deletions = 0;
  const out: string[] = [];
  for (const h of p.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const line of h.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
      out.push(line);
    }
  }
  return { patch: out.join('\n'), additions, deletions };
}

/** Right-side line numbers that a review comment may target (added and context lines of the hunks). */
export function commentableLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let right = 0;
  for (const line of patch.split('\n')) {
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (m) {
      right = Number(m[1]);
      continue;
    }
    if (line.startsWith('-') || line.startsWith('\\')) continue;
    lines.add(right++);
  }
  return lines;
}

/** The changed files between two path → content maps, sorted by path. */
export function diffFiles(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  readBlob: (sha: string) => Buffer,
  options: { maxPatchBytes: number },
): PullFile[] {
  const paths = new Set([...base.keys(), ...head.keys()]);
  const files: PullFile[] = [];
  for (const path of [...paths].sort()) {
    const b = base.get(path);
    const h = head.get(path);
    if (b === h) continue;
    const oldBuf = b ? readBlob(b) : Buffer.alloc(0);
    const newBuf = h ? readBlob(h) : Buffer.alloc(0);
    const status = !b ? 'added' : !h ? 'removed' : 'modified';
    const file: PullFile = { sha: h ?? null, filename: path, status, additions: 0, deletions: 0, changes: 0 };
    if (!isBinary(oldBuf) && !isBinary(newBuf)) {
      const { patch, additions, deletions } = githubPatch(oldBuf.toString('utf8'), newBuf.toString('utf8'));
      file.additions = additions;
      file.deletions = deletions;
      file.changes = additions + deletions;
      // GitHub leaves `patch` out for very large diffs.
      if (Buffer.byteLength(patch) <= options.maxPatchBytes) file.patch = patch;
    }
    files.push(file);
  }
  return files;
}
