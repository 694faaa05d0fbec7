import type { Probot } from 'probot';
import { findCheckRun } from '../check-run/find-or-create.js';
import type { Octokit } from '../types.js';
import { describeError } from '../util/describe-error.js';
import { completeAsInternalError, completeSupersededRun, stillHead } from './complete-early.js';
import { parseJobData } from './job-data.js';
import type { DropReason, NewerJob, ReviewJob } from './queue-types.js';

/**
 * For jobs the queue will never run (superseded while waiting, dropped at shutdown, failed for good):
 * completes their check run so that it never stays pending. The job may never have started, so its
 * check run may not exist: a dropped (shutdown, failed) job's commit gets one, completed; a job
 * superseded by a newer commit only completes a run left in progress (an old commit needs no new one);
 * a job superseded by a newer job for the same commit shares that job's check run and is left alone.
 */
export function createDroppedHandler(app: Probot, appId?: number): (job: ReviewJob, reason: DropReason, by?: NewerJob) => Promise<void> {
  return async (job, reason, by) => {
    const log = app.log.child({ component: 'keyref', jobId: job.id, headSha: job.headSha });
    const data = parseJobData(job.data);
    if (!data) return;
    // Superseded by a job for the same commit: that job runs after this one and reviews the commit's check run.
    if (reason === 'superseded' && by?.headSha === data.headSha) return;
    let octokit: Octokit;
    try {
      octokit = (await app.auth(data.installationId)) as Octokit;
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not authenticate as the installation');
      return;
    }
    const target = { owner: data.owner, repo: data.repo, headSha: data.headSha, appId };
    if (reason === 'superseded' && !by) {
      if (data.kind !== 'pull_request') return; // same key = same commit = same check run
      if ((await stillHead(octokit, data)) === true) return; // the newer job reviews this same commit
    }
    let run;
    try {
      run = await findCheckRun(octokit, target);
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not read the check run of a dropped review');
      return;
    }
    if (run?.wasCompleted) return; // already has a conclusion (a re-run that never started keeps the previous one)
    if (reason === 'superseded') {
      if (run) await completeSupersededRun(octokit, { owner: data.owner, repo: data.repo, checkRunId: run.id }, log, by?.headSha);
      return;
    }
    await completeAsInternalError(
      octokit,
      { owner: data.owner, repo: data.repo, headSha: data.headSha, checkRunId: run?.id },
      'neutral',
      reason === 'shutdown' ? 'keyref was restarted before it could review this commit.' : 'keyref could not finish this review.',
      log,
    );
  };
}
