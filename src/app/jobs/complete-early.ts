import type { Probot } from 'probot';
import { completeCheckRun } from '../check-run/complete-check-run.js';
import { findCheckRun } from '../check-run/find-or-create.js';
import { CHECK_NAME } from '../constants.js';
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

function supersededResult(bySha: string | undefined) {
  const by = bySha && /^[0-9a-f]{7,64}$/i.test(bySha) ? ` (${bySha.slice(0, 7)})` : '';
  return {
    conclusion: 'neutral',
    title: 'Superseded by a newer commit',
    summary: `The pull request moved on to a newer commit${by} before this review finished; keyref reviews the newest commit instead.`,
  } as const;
}

/** Completes a check run as superseded by the commit `bySha` when known (errors logged, never thrown). */
export async function completeSupersededRun(
  octokit: Octokit,
  target: RepoRef & { checkRunId: number },
  log: Probot['log'],
  bySha?: string,
): Promise<void> {
  try {
    await completeCheckRun(octokit, target, supersededResult(bySha));
    log.info('review superseded by a newer commit');
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not complete the superseded check run');
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
  checkRunId: number,
  signal: AbortSignal,
  log: Probot['log'],
  headMoved = false,
): Promise<boolean> {
  const reason = abortReason(signal);
  if (reason?.reason === 'shutdown') {
    if (reason.willRetry) return true;
    return false; // completed as an internal error by the caller: nothing will run it again
  }
  const by = reason?.by;
  // The newer job is for this same commit: it runs after this one (one at a time per commit) and finds this check run.
  let sameCommit: boolean;
  if (headMoved) sameCommit = false;
  else if (by) sameCommit = by.headSha === data.headSha;
  else sameCommit = (await stillHead(octokit, data)) === true && reason?.reason === 'superseded';
  if (sameCommit) {
    log.info('superseded by a newer review of the same commit');
    return true;
  }
  await completeSupersededRun(octokit, { owner: data.owner, repo: data.repo, checkRunId }, log, by?.headSha);
  return true;
}

/**
 * A job superseded by a review of another commit before it made a check run: an earlier review of this
 * commit may have left its run to this job (it was the newer one then), so the commit's run, if still in
 * progress, is completed as superseded.
 */
export async function completeLeftInProgress(
  octokit: Octokit,
  data: ReviewJobData,
  appId: number | undefined,
  bySha: string | undefined,
  log: Probot['log'],
): Promise<void> {
  try {
    const run = await findCheckRun(octokit, { owner: data.owner, repo: data.repo, headSha: data.headSha, appId });
    if (run && !run.wasCompleted) await completeSupersededRun(octokit, { owner: data.owner, repo: data.repo, checkRunId: run.id }, log, bySha);
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not read the check run of a superseded review');
  }
}

function internalErrorResult(conclusion: 'neutral' | 'failure', reason: string) {
  return {
    conclusion,
    title: 'keyref could not review this commit',
    summary: `${reason} This is a problem in keyref or in reaching GitHub, not in your manifests. Use **Re-run** to try again.\n\nThe conclusion is \`${conclusion}\` as set by \`app.conclusionOnInternalError\` (\`neutral\` = fail open, \`failure\` = fail closed).`,
  } as const;
}

/**
 * The last resort: complete the check run with the configured conclusion for internal errors. Without a
 * check run id (the job could not find or create it, or never ran), a check run is created already
 * completed, so the head SHA never lacks a conclusion.
 */
export async function completeAsInternalError(
  octokit: Octokit,
  target: RepoRef & { checkRunId: number | undefined; headSha: string },
  conclusion: 'neutral' | 'failure',
  reason: string,
  log: Probot['log'],
): Promise<void> {
  const result = internalErrorResult(conclusion, reason);
  try {
    if (target.checkRunId !== undefined) {
      await completeCheckRun(octokit, { owner: target.owner, repo: target.repo, checkRunId: target.checkRunId }, result);
    } else {
      const now = new Date().toISOString();
      await octokit.rest.checks.create({
        owner: target.owner,
        repo: target.repo,
        name: CHECK_NAME,
        head_sha: target.headSha,
        status: 'completed',
        conclusion,
        started_at: now,
        completed_at: now,
        output: { title: result.title, summary: result.summary },
      });
    }
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not complete the check run after an internal error');
  }
}
