import { PER_PAGE } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';
import { fingerprintsIn, isMarkedOutdated } from './markers.js';

export interface AppComment {
  readonly id: number;
  readonly nodeId: string;
  readonly fingerprint: string;
  readonly body: string;
  /** keyref already minimized it (its finding was gone). */
  readonly outdated: boolean;
}

/** Whether a comment author is a bot (GitHub Apps comment as `<slug>[bot]`, type `Bot`). */
function isBot(user: { type?: string } | null | undefined): boolean {
  return user?.type === 'Bot';
}

/**
 * The app's earlier inline comments on the pull request (all pages), by the fingerprint marker they
 * carry. Only bot-authored comments count: a person quoting a marker can neither silence a finding
 * nor get their comment minimized.
 */
export async function listAppComments(octokit: Octokit, target: RepoRef & { pullNumber: number }): Promise<AppComment[]> {
  const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    per_page: PER_PAGE,
  });
  const out: AppComment[] = [];
  for (const c of comments) {
    if (!isBot(c.user)) continue;
    const outdated = isMarkedOutdated(c.body);
    for (const fingerprint of fingerprintsIn(c.body)) out.push({ id: c.id, nodeId: c.node_id, fingerprint, body: c.body, outdated });
  }
  return out;
}
