import type { Context, Probot } from 'probot';
import { CHECK_NAME } from '../constants.js';
import type { Octokit } from '../types.js';
import { describeError } from '../util/describe-error.js';
import { findPullRequest } from './find-pull-request.js';
import { startReview, type StartReviewDeps } from './start-review.js';

interface Rerun {
  readonly headSha: string;
  readonly pullRequests: readonly { number: number; head: { sha: string }; base: { sha: string } }[];
  readonly checkRunId?: number;
}

async function rerun(context: Context<'check_run.rerequested' | 'check_suite.rerequested'>, run: Rerun, deps: StartReviewDeps, log: Probot['log']): Promise<void> {
  const installationId = context.payload.installation?.id;
  if (installationId === undefined) return;
  const octokit = context.octokit as Octokit;
  const target = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
  const pr = await findPullRequest(octokit, { ...target, headSha: run.headSha }, run.pullRequests);
  let baseSha = pr?.baseSha;
  if (!pr) {
    // No open pull request has this head (a merge queue commit, a push): compare with its first parent, no inline review.
    const commit = await octokit.rest.git.getCommit({ ...target, commit_sha: run.headSha });
    baseSha = commit.data.parents[0]?.sha ?? run.headSha;
  }
  await startReview(
    octokit,
    {
      deliveryId: context.id,
      kind: pr ? 'pull_request' : 'merge_group',
      installationId,
      ...target,
      headSha: run.headSha,
      baseSha: baseSha as string,
      ...(pr ? { pullNumber: pr.number } : {}),
      ...(run.checkRunId !== undefined ? { checkRunId: run.checkRunId } : {}),
    },
    deps,
    log,
  );
}

/** The "Re-run" button on keyref's check run. */
export function onCheckRunRerequested(deps: StartReviewDeps): (context: Context<'check_run.rerequested'>) => Promise<void> {
  return async (context) => {
    const run = context.payload.check_run;
    if (run.name !== CHECK_NAME) return;
    if (deps.appId !== undefined && run.app?.id !== undefined && run.app.id !== deps.appId) return;
    const log = context.log.child({ component: 'keyref', event: 'check_run.rerequested', headSha: run.head_sha });
    try {
      await rerun(context, { headSha: run.head_sha, pullRequests: run.pull_requests, checkRunId: run.id }, deps, log);
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not start the review');
    }
  };
}

/** "Re-run all checks" on the commit's check suite. */
export function onCheckSuiteRerequested(deps: StartReviewDeps): (context: Context<'check_suite.rerequested'>) => Promise<void> {
  return async (context) => {
    const suite = context.payload.check_suite;
    if (deps.appId !== undefined && suite.app?.id !== undefined && suite.app.id !== deps.appId) return;
    const log = context.log.child({ component: 'keyref', event: 'check_suite.rerequested', headSha: suite.head_sha });
    try {
      await rerun(context, { headSha: suite.head_sha, pullRequests: suite.pull_requests }, deps, log);
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not start the review');
    }
  };
}
