import type { AppSettings } from '../../engine/config/schema.js';
import type { Finding, SourceFile } from '../../engine/model.js';
import type { Octokit, RepoRef } from '../types.js';
import { listAppComments, type AppComment } from './list-app-comments.js';
import { listAppReviews } from './list-app-reviews.js';
import type { PullRequestDiff } from './list-pull-request-files.js';
import { minimizeComments } from './minimize-comments.js';
import { planReview } from './plan-review.js';
import { postReview } from './post-review.js';
import { reviewBody } from './review-body.js';

export interface InlineReviewOutcome {
  readonly posted: number;
  readonly listedInBody: number;
  readonly minimized: number;
  /** Minimizing outdated comments failed (they are retried on the next run). */
  readonly minimizeFailed?: boolean;
  /** Why nothing was posted although something was new (a review for this SHA exists). */
  readonly skippedReason?: string;
}

/**
 * The inline review of a pull request: new findings on diff lines become comments (one review per
 * head SHA, nothing when nothing is new), and the app's comments whose finding is gone are minimized.
 */
export async function runInlineReview(
  octokit: Octokit,
  target: RepoRef & { pullNumber: number; headSha: string },
  input: {
    findings: readonly Finding[];
    head: readonly SourceFile[];
    diff: PullRequestDiff;
    settings: Pick<AppSettings, 'maxInlineComments'>;
    /** The app's comments when the caller already listed them. */
    existing?: readonly AppComment[];
    /** Called before each write to the pull request (posting, minimizing); throws to stop it (e.g. the head moved on). */
    beforeWrite?: () => Promise<void>;
  },
): Promise<InlineReviewOutcome> {
  const existing = input.existing ?? (await listAppComments(octokit, target));
  // A comment keyref marked outdated does not count as posted: if its finding comes back, it is commented again.
  const alreadyPosted = new Set(existing.filter((c) => !c.outdated).map((c) => c.fingerprint));
  let plan = planReview({
    findings: input.findings,
    head: input.head,
    commentable: input.diff.commentable,
    alreadyPosted,
    existingComments: alreadyPosted,
    maxComments: input.settings.maxInlineComments,
  });

  let posted = 0;
  let listedInBody = 0;
  let skippedReason: string | undefined;
  if (plan.comments.length > 0 || plan.overflow.length > 0) {
    const reviews = await listAppReviews(octokit, target);
    if (reviews.shas.has(target.headSha)) {
      skippedReason = 'keyref already reviewed this commit';
    } else {
      if (reviews.fingerprints.size > 0) {
        plan = planReview({
          findings: input.findings,
          head: input.head,
          commentable: input.diff.commentable,
          alreadyPosted: new Set([...alreadyPosted, ...reviews.fingerprints]),
          existingComments: alreadyPosted,
          maxComments: input.settings.maxInlineComments,
        });
      }
      if (plan.comments.length > 0 || plan.overflow.length > 0) {
        await input.beforeWrite?.();
        await postReview(octokit, target, {
          body: reviewBody({ headSha: target.headSha, commentCount: plan.comments.length, overflow: plan.overflow, outsideDiff: outsideDiff(input.findings, input.diff.commentable) }),
          comments: plan.comments,
        });
        posted = plan.comments.length;
        listedInBody = plan.overflow.length;
      }
    }
  }

  const stale = new Map<string, { nodeId: string; body: string }>();
  for (const c of existing) if (!c.outdated && plan.gone.has(c.fingerprint)) stale.set(c.nodeId, { nodeId: c.nodeId, body: c.body });
  let minimized = 0;
  let minimizeFailed = false;
  if (stale.size > 0) {
    await input.beforeWrite?.();
    try {
      await minimizeComments(octokit, [...stale.values()]);
      minimized = stale.size;
    } catch {
      minimizeFailed = true; // cosmetic: the review and the check run are still right; retried on the next run
    }
  }
  return { posted, listedInBody, minimized, ...(minimizeFailed ? { minimizeFailed } : {}), ...(skippedReason ? { skippedReason } : {}) };
}

/** Introduced findings on lines the diff does not show (untouched files, unchanged lines): the review cannot comment on them. */
function outsideDiff(findings: readonly Finding[], commentable: ReadonlyMap<string, ReadonlySet<number>>): number {
  return findings.filter((f) => f.introduced && !commentable.get(f.path)?.has(f.line)).length;
}
