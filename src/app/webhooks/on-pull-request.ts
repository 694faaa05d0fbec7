import type { Context } from 'probot';
import { loadRepoConfig } from '../config/load-repo-config.js';
import type { Octokit } from '../types.js';
import { describeError } from '../util/describe-error.js';
import { startReview, type StartReviewDeps } from './start-review.js';

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited',
] as const;

/** Reviews a pull request's head commit; `edited` only when the base branch changed; drafts only with `app.reviewDrafts`. */
export function onPullRequest(deps: StartReviewDeps): (context: Context<(typeof PULL_REQUEST_EVENTS)[number]>) => Promise<void> {
  return async (context) => {
    const { payload } = context;
    const pr = payload.pull_request;
    const log = context.log.child({ component: 'keyref', event: `${context.name}.${payload.action}`, pullNumber: pr.number });
    if (payload.action === 'edited' && !('changes' in payload && payload.changes && 'base' in payload.changes && payload.changes.base)) return;
    if (pr.state !== 'open') return;
    const installationId = payload.installation?.id;
    if (installationId === undefined) return;
    const octokit = context.octokit as Octokit;
    const target = { owner: payload.repository.owner.login, repo: payload.repository.name };
    try {
      if (pr.draft) {
        const loaded = await loadRepoConfig(octokit, target);
        if (!(loaded.ok && loaded.config.app.reviewDrafts)) {
          log.debug('draft pull request skipped');
          return;
        }
      }
      await startReview(
        octokit,
        {
          deliveryId: context.id,
          kind: 'pull_request',
          installationId,
          ...target,
          headSha: pr.head.sha,
          baseSha: pr.base.sha,
          pullNumber: pr.number,
          ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
        },
        deps,
        log,
      );
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not start the review');
    }
  };
}
