import type { Probot } from 'probot';
import { findOrCreateCheckRun } from '../check-run/find-or-create.js';
import { completeAsInternalError } from '../jobs/complete-early.js';
import { coalesceKeyFor, type ReviewJobData } from '../jobs/job-data.js';
import type { ReviewQueue } from '../jobs/queue-types.js';
import type { Octokit } from '../types.js';
import { describeError } from '../util/describe-error.js';

export interface StartReviewDeps {
  readonly queue: ReviewQueue;
  readonly appId?: number | undefined;
}

export interface StartReviewInput {
  readonly deliveryId: string;
  readonly kind: ReviewJobData['kind'];
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  readonly baseSha: string;
  readonly pullNumber?: number;
  /** The pull request's changed-file count, when the event carries it (saves reading the pull request again). */
  readonly changedFiles?: number;
  /** A check run the event names (check_run.rerequested): reuse it. */
  readonly checkRunId?: number;
}

/**
 * What every webhook does, quickly: make sure the commit's `keyref` check run exists and shows as
 * in progress, hand the review to the queue, return. Any replica's job handler does the rest.
 */
export async function startReview(octokit: Octokit, input: StartReviewInput, deps: StartReviewDeps, log: Probot['log']): Promise<void> {
  const target = { owner: input.owner, repo: input.repo };
  const handle =
    input.checkRunId !== undefined
      ? { id: input.checkRunId, wasCompleted: true }
      : await findOrCreateCheckRun(octokit, { ...target, headSha: input.headSha, appId: deps.appId });
  const data: ReviewJobData = {
    kind: input.kind,
    installationId: input.installationId,
    owner: input.owner,
    repo: input.repo,
    headSha: input.headSha,
    baseSha: input.baseSha,
    checkRunId: handle.id,
    ...(input.pullNumber !== undefined ? { pullNumber: input.pullNumber } : {}),
    ...(input.changedFiles !== undefined ? { changedFiles: input.changedFiles } : {}),
    ...(handle.wasCompleted ? { resetCheckRun: true } : {}),
  };
  try {
    await deps.queue.enqueue({
      id: input.deliveryId,
      coalesceKey: coalesceKeyFor(data),
      headSha: input.headSha,
      data: { ...data },
    });
    log.info({ checkRunId: handle.id, kind: input.kind, pullNumber: input.pullNumber }, 'review queued');
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not queue the review');
    if (!handle.wasCompleted) {
      await completeAsInternalError(octokit, { ...target, checkRunId: handle.id }, 'neutral', 'keyref could not queue this review.', log);
    }
  }
}
