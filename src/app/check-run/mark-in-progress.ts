import type { Octokit, RepoRef } from '../types.js';

/** Sets an existing (completed) check run back to in progress before it is reviewed again. */
export async function markInProgress(octokit: Octokit, target: RepoRef & { checkRunId: number }): Promise<void> {
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: target.checkRunId,
    status: 'in_progress',
    output: { title: 'Reviewing Kubernetes manifests…', summary: 'keyref is reading the manifests of this commit.' },
  });
}
