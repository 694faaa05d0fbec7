import type { Octokit, RepoRef } from '../types.js';

export interface PullRef {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
}

interface PayloadPull {
  number: number;
  head: { sha: string };
  base: { sha: string };
}

/**
 * The open pull request whose head is `headSha`: from the event's `pull_requests` (empty for forks),
 * else from "List pull requests associated with a commit".
 */
export async function findPullRequest(
  octokit: Octokit,
  target: RepoRef & { headSha: string },
  fromPayload: readonly PayloadPull[] | null | undefined,
): Promise<PullRef | undefined> {
  const direct = (fromPayload ?? []).find((p) => p.head.sha === target.headSha);
  if (direct) return { number: direct.number, headSha: direct.head.sha, baseSha: direct.base.sha };
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner: target.owner,
    repo: target.repo,
    commit_sha: target.headSha,
    per_page: 100,
  });
  const pr = data.find((p) => p.state === 'open' && p.head.sha === target.headSha);
  return pr ? { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha } : undefined;
}
