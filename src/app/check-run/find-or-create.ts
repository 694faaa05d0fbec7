import { CHECK_NAME } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';

export interface CheckRunHandle {
  readonly id: number;
  /** True when the run already existed and was completed (a re-review must set it back to in progress). */
  readonly wasCompleted: boolean;
}

type Target = RepoRef & { headSha: string; appId?: number | undefined };

/** The head SHA's `keyref` check run made by this app (latest), if any. */
export async function findCheckRun(octokit: Octokit, target: Target): Promise<CheckRunHandle | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_NAME,
    filter: 'latest',
    ...(target.appId !== undefined ? { app_id: target.appId } : {}),
    per_page: 100,
  });
  const existing = data.check_runs.find(
    (run) => run.name === CHECK_NAME && run.head_sha === target.headSha && (target.appId === undefined || run.app?.id === target.appId),
  );
  return existing ? { id: existing.id, wasCompleted: existing.status === 'completed' } : undefined;
}
