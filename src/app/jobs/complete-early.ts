import type { Probot } from 'probot';
import { completeCheckRun } from '../check-run/complete-check-run.js';
import type { Octokit, RepoRef } from '../types.js';
import { describeError } from '../util/describe-error.js';
import type { ReviewJobData } from './job-data.js';
import { abortReason } from './queue-types.js';

/** Whether the pull request's head is still `data.headSha` (undefined when it could not be read). */
export async function stillHead(octokit: Octokit, data: ReviewJobData): Promise<boolean | undefined> {
  if (data.kind !== 'pull_request' || data.pullNumber === undefined) return true;
  try {
    const pr = await octokit.rest.pulls.get({ owner: data.owner, repo: data.repo, pull_number: data.pullNumber });
    return pr.data.head.sha === data.headSha;
  } catch {
    return undefined;
  }
}

/**
 * Ends a review that a newer one replaced. Returns true when the check run is taken care of: completed
 * as neutral "superseded", or left to the newer job when that job reviews the same commit (same check
 * run) or another replica will run this job again.
 */
export async function completeAsSuperseded(
  octokit: Octokit,
  data: ReviewJobData,
  signal: AbortSignal,
  log: Probot['log'],
  headMoved = false,
): Promise<boolean> {
  const reason = abortReason(signal);
  if (reason?.reason === 'shutdown') {
    if (reason.willRetry) return true;
    return false; // completed as an internal error by the caller: nothing will run it again
  }
  const head = headMoved ? false : await stillHead(octokit, data);
  if (head === true && reason?.reason === 'superseded') {
    log.info('superseded by a newer review of the same commit');
    return true;
  }
  try {
    await completeCheckRun(octokit, { owner: data.owner, repo: data.repo, checkRunId: data.checkRunId }, {
      conclusion: 'neutral',
      title: 'Superseded by a newer commit',
      summary: 'The pull request moved on to a newer commit before this review finished; keyref reviews the newest commit instead.',
    });
    log.info('review superseded by a newer commit');
    return true;
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not complete the superseded check run');
    return true;
  }
}

/** The last resort: complete the check run with the configured conclusion for internal errors. */
export async function completeAsInternalError(
  octokit: Octokit,
  target: RepoRef & { checkRunId: number },
  conclusion: 'neutral' | 'failure',
  reason: string,
  log: Probot['log'],
): Promise<void> {
  try {
    await completeCheckRun(octokit, target, {
      conclusion,
      title: 'keyref could not review this commit',
      summary: `${reason} This is a problem in keyref or in reaching GitHub, not in your manifests. Use **Re-run** to try again.\n\nThe conclusion is \`${conclusion}\` as set by \`app.conclusionOnInternalError\` (\`neutral\` = fail open, \`failure\` = fail closed).`,
    });
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not complete the check run after an internal error');
  }
}
