import type { Probot } from 'probot';
import type { Octokit } from '../types.js';
import { describeError } from '../util/describe-error.js';
import { completeAsInternalError, completeAsSuperseded, stillHead } from './complete-early.js';
import { parseJobData } from './job-data.js';
import type { DropReason, ReviewJob } from './queue-types.js';

/**
 * For jobs the queue will never run (superseded while waiting, dropped at shutdown, failed for good):
 * completes their check run so that it never stays pending. A job superseded by a newer job for the
 * same commit shares that job's check run and is left alone.
 */
export function createDroppedHandler(app: Probot): (job: ReviewJob, reason: DropReason) => Promise<void> {
  return async (job, reason) => {
    const log = app.log.child({ component: 'keyref', jobId: job.id, headSha: job.headSha });
    const data = parseJobData(job.data);
    if (!data) return;
    let octokit: Octokit;
    try {
      octokit = (await app.auth(data.installationId)) as Octokit;
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not authenticate as the installation');
      return;
    }
    if (reason === 'superseded') {
      if (data.kind === 'merge_group') return; // same key = same commit = same check run
      if ((await stillHead(octokit, data)) === true) return; // the newer job reviews this same commit
      await completeAsSuperseded(octokit, data, AbortSignal.abort(), log, true);
      return;
    }
    const target = { owner: data.owner, repo: data.repo, checkRunId: data.checkRunId };
    await completeAsInternalError(
      octokit,
      target,
      'neutral',
      reason === 'shutdown' ? 'keyref was restarted before it could review this commit.' : 'keyref could not finish this review.',
      log,
    );
  };
}
