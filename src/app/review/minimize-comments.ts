import { MAX_COMMENT_BODY_CHARS, MAX_MINIMIZE_PER_REQUEST } from '../constants.js';
import type { Octokit } from '../types.js';
import { OUTDATED_MARKER } from './markers.js';

/**
 * Minimizes (hides as "outdated") the app's comments whose finding is gone and marks their body so
 * later runs leave them alone: several comments per GraphQL request (aliased `minimizeComment` and
 * `updatePullRequestReviewComment` mutations), so a fix costs one request, and later pushes none.
 */
export async function minimizeComments(octokit: Octokit, comments: readonly { nodeId: string; body: string }[]): Promise<void> {
  for (let i = 0; i < comments.length; i += MAX_MINIMIZE_PER_REQUEST) {
    const batch = comments.slice(i, i + MAX_MINIMIZE_PER_REQUEST);
    const variables: Record<string, string> = {};
    const params = batch.map((_, j) => `$id${j}: ID!, $body${j}: String!`).join(', ');
    const fields = batch
      .map((c, j) => {
        variables[`id${j}`] = c.nodeId;
        const note = `\n\n_keyref no longer finds this problem._ ${OUTDATED_MARKER}`;
        variables[`body${j}`] = c.body.slice(0, MAX_COMMENT_BODY_CHARS - note.length) + note;
        return (
          `m${j}: minimizeComment(input: { subjectId: $id${j}, classifier: OUTDATED }) { minimizedComment { isMinimized } }\n  ` +
          `u${j}: updatePullRequestReviewComment(input: { pullRequestReviewCommentId: $id${j}, body: $body${j} }) { pullRequestReviewComment { id } }`
        );
      })
      .join('\n  ');
    await octokit.graphql(`mutation keyrefMinimize(${params}) {\n  ${fields}\n}`, variables);
  }
}
