import type { Probot } from 'probot';
import { coalesceKeyFor, serialKeyFor, type ReviewJobData } from '../jobs/job-data.js';
import type { ReviewQueue } from '../jobs/queue-types.js';
import { describeError } from '../util/describe-error.js';

export interface StartReviewDeps {
  readonly queue: ReviewQueue;
  readonly appId?: number | undefined;
}

/**
 * What every webhook does: build the review job from the payload alone and hand it to the queue, with
 * no GitHub API request, so the delivery is acknowledged at once even in a burst (GitHub expects an
 * answer within 10 seconds; the app's API writes are spaced out by the throttling plugin). The job,
 * on any replica, creates or finds the commit's `keyref` check run, reviews, and completes it.
 * The job id is the delivery id (a redelivery is not queued twice). Throws when the queue refuses the
 * job (e.g. Redis down), so the delivery is answered with an error and can be redelivered.
 */
export async function startReview(deliveryId: string, data: ReviewJobData, deps: StartReviewDeps, log: Probot['log']): Promise<void> {
  try {
    await deps.queue.enqueue({
      id: deliveryId,
      coalesceKey: coalesceKeyFor(data),
      serialKey: serialKeyFor(data),
      headSha: data.headSha,
      data: { ...data },
    });
  } catch (err) {
    log.error({ err: describeError(err) }, 'could not queue the review');
    throw err;
  }
  log.info({ kind: data.kind, pullNumber: data.pullNumber }, 'review queued');
}
