import type { Context } from 'probot';
import { assertPayload } from './payload-shape.js';
import { startReview, type StartReviewDeps } from './start-review.js';

/** A merge queue asks for checks: report the `keyref` check run on the merge group's head commit (no inline review). */
export function onMergeGroup(deps: StartReviewDeps): (context: Context<'merge_group.checks_requested'>) => Promise<void> {
  return async (context) => {
    assertPayload(context);
    const group = context.payload.merge_group;
    const installationId = context.payload.installation?.id;
    const repository = context.payload.repository;
    if (installationId === undefined || !repository) return;
    const log = context.log.child({ component: 'keyref', event: 'merge_group.checks_requested', headSha: group.head_sha });
    await startReview(
      context.id,
      {
        kind: 'merge_group',
        installationId,
        owner: repository.owner.login,
        repo: repository.name,
        headSha: group.head_sha,
        baseSha: group.base_sha,
      },
      deps,
      log,
    );
  };
}
