import { MAX_MINIMIZE_PER_REQUEST } from '../constants.js';
import type { Octokit } from '../types.js';

/**
 * Minimizes (hides as "outdated") the app's comments whose finding is gone, several per GraphQL
 * request (one aliased `minimizeComment` mutation per comment).
 */
export async function minimizeComments(octokit: Octokit, nodeIds: readonly string[]): Promise<void> {
  for (let i = 0; i < nodeIds.length; i += MAX_MINIMIZE_PER_REQUEST) {
    const batch = nodeIds.slice(i, i + MAX_MINIMIZE_PER_REQUEST);
    const variables: Record<string, string> = {};
    const params = batch.map((_, j) => `$id${j}: ID!`).join(', ');
    const fields = batch
      .map((id, j) => {
        variables[`id${j}`] = id;
        return `m${j}: minimizeComment(input: { subjectId: $id${j}, classifier: OUTDATED }) { minimizedComment { isMinimized } }`;
      })
      .join('\n  ');
    await octokit.graphql(`mutation keyrefMinimize(${params}) {\n  ${fields}\n}`, variables);
  }
}
