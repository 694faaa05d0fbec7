import { MAX_LISTED_PR_FILES, PER_PAGE } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';
import { commentableLines } from './commentable-lines.js';

export interface PullRequestDiff {
  /** Path (head side) → right-side lines that can carry a comment; empty when GitHub sent no patch. */
  readonly commentable: ReadonlyMap<string, ReadonlySet<number>>;
  /** Files listed without a `patch` (diff too large, binary): findings there get annotations only. */
  readonly withoutPatch: readonly string[];
  /** Files GitHub listed (it lists at most 3,000). */
  readonly listed: number;
}

/**
 * Lists a pull request's changed files and which lines of each can be commented on. Pages are read
 * until every path in `wanted` (the files with findings to comment on) has been seen, so a large pull
 * request costs one page when its findings are in the first 100 files.
 */
export async function listPullRequestFiles(
  octokit: Octokit,
  target: RepoRef & { pullNumber: number },
  wanted?: ReadonlySet<string>,
): Promise<PullRequestDiff> {
  const missing = wanted ? new Set(wanted) : undefined;
  const files = await octokit.paginate(
    octokit.rest.pulls.listFiles,
    { owner: target.owner, repo: target.repo, pull_number: target.pullNumber, per_page: PER_PAGE },
    (response, done) => {
      if (missing) {
        for (const f of response.data) missing.delete(f.filename);
        if (missing.size === 0) done();
      }
      return response.data;
    },
  );
  const commentable = new Map<string, ReadonlySet<number>>();
  const withoutPatch: string[] = [];
  for (const file of files.slice(0, MAX_LISTED_PR_FILES)) {
    if (file.status === 'removed') continue;
    if (typeof file.patch !== 'string' || file.patch === '') {
      withoutPatch.push(file.filename);
      commentable.set(file.filename, new Set());
      continue;
    }
    commentable.set(file.filename, commentableLines(file.patch));
  }
  return { commentable, withoutPatch, listed: files.length };
}
