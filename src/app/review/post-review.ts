import type { Octokit, RepoRef } from '../types.js';
import type { PlannedComment } from './plan-review.js';

/** Posts one `COMMENT` review on the head commit with its inline comments. */
export async function postReview(
  octokit: Octokit,
  target: RepoRef & { pullNumber: number; headSha: string },
  review: { body: string; comments: readonly PlannedComment[] },
): Promise<void> {
  await octokit.rest.pulls.createReview({
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    commit_id: target.headSha,
    event: 'COMMENT',
    body: review.body,
    comments: review.comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body })),
  });
}
