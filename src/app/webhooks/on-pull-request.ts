import type { Context } from 'probot';
import { assertPayload } from './payload-shape.js';
import { startReview, type StartReviewDeps } from './start-review.js';

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited',
] as const;

/**
 * Reviews a pull request's head commit; `edited` only when the base branch changed. Drafts are queued
 * flagged as such: the job reads the configuration and reviews them only with `app.reviewDrafts`.
 */
export function onPullRequest(deps: StartReviewDeps): (context: Context<(typeof PULL_REQUEST_EVENTS)[number]>) => Promise<void> {
  return async (context) => {
    assertPayload(context);
    const { payload } = context;
    const pr = payload.pull_request;
    const log = context.log.child({ component: 'keyref', event: `${context.name}.${payload.action}`, pullNumber: pr.number });
    if (payload.action === 'edited' && !('changes' in payload && payload.changes && 'base' in payload.changes && payload.changes.base)) return;
    if (pr.state !== 'open') return;
    const installationId = payload.installation?.id;
    if (installationId === undefined) return;
    await startReview(
      context.id,
      {
        kind: 'pull_request',
        installationId,
        owner: payload.repository.owner.login,
        repo: payload.repository.name,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        pullNumber: pr.number,
        ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
        ...(pr.draft ? { draft: true } : {}),
      },
      deps,
      log,
    );
  };
}
