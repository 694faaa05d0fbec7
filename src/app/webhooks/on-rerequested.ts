import type { Context, Probot } from 'probot';
import { CHECK_NAME } from '../constants.js';
import type { ReviewJobData } from '../jobs/job-data.js';
import { assertPayload } from './payload-shape.js';
import { startReview, type StartReviewDeps } from './start-review.js';

interface Rerun {
  readonly headSha: string;
  readonly pullRequests: readonly { number: number; head: { sha: string }; base: { sha: string } }[];
  readonly checkRunId?: number;
}

/**
 * Queues a re-run from the payload alone: the pull request the event names for this head, else a
 * `commit` job that looks the pull request up (fork PRs have none in the payload) when it runs.
 */
async function rerun(context: Context<'check_run.rerequested' | 'check_suite.rerequested'>, run: Rerun, deps: StartReviewDeps, log: Probot['log']): Promise<void> {
  const installationId = context.payload.installation?.id;
  if (installationId === undefined) return;
  const base = { installationId, owner: context.payload.repository.owner.login, repo: context.payload.repository.name, headSha: run.headSha };
  const pr = run.pullRequests.find((p) => p.head.sha === run.headSha);
  const data: ReviewJobData = pr ? { ...base, kind: 'pull_request', pullNumber: pr.number, baseSha: pr.base.sha } : { ...base, kind: 'commit' };
  await startReview(context.id, { ...data, ...(run.checkRunId !== undefined ? { checkRunId: run.checkRunId } : {}) }, deps, log);
}

/** The "Re-run" button on keyref's check run. */
export function onCheckRunRerequested(deps: StartReviewDeps): (context: Context<'check_run.rerequested'>) => Promise<void> {
  return async (context) => {
    assertPayload(context);
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    if (deps.appId !== undefined && run.app?.id !== undefined && run.app.id !== deps.appId) return;
    const log = context.log.child({ component: 'keyref', event: 'check_run.rerequested', headSha: run.head_sha });
    await rerun(context, { headSha: run.head_sha, pullRequests: run.pull_requests, checkRunId: run.id }, deps, log);
  };
}

/** "Re-run all checks" on the commit's check suite. */
export function onCheckSuiteRerequested(deps: StartReviewDeps): (context: Context<'check_suite.rerequested'>) => Promise<void> {
  return async (context) => {
    assertPayload(context);
    const suite = context.payload.check_suite;
    if (deps.appId !== undefined && suite.app?.id !== undefined && suite.app.id !== deps.appId) return;
    const log = context.log.child({ component: 'keyref', event: 'check_suite.rerequested', headSha: suite.head_sha });
    await rerun(context, { headSha: suite.head_sha, pullRequests: suite.pull_requests }, deps, log);
  };
}
