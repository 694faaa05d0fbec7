import type { Probot } from 'probot';
import type { EngineConfig } from '../../engine/config/schema.js';
import type { SourceFile } from '../../engine/model.js';
import type { ReviewResult } from '../../engine/review.js';
import { MAX_LISTED_PR_FILES } from '../constants.js';
import { Superseded } from '../jobs/superseded.js';
import type { Octokit } from '../types.js';
import { throwIfAborted, untilAborted } from '../util/abort.js';
import { describeError } from '../util/describe-error.js';
import { listPullRequestFiles, type PullRequestDiff } from './list-pull-request-files.js';
import { runInlineReview } from './run-inline-review.js';

const NO_DIFF: PullRequestDiff = { commentable: new Map(), withoutPatch: [], listed: 0 };

/**
 * The pull-request part of a review: re-checks that the head has not moved on (throws Superseded),
 * then posts the inline review and minimizes outdated comments. Returns notes for the check run
 * summary. A failure here is a note, not a failed check: the check run still carries every finding.
 */
export async function reviewPullRequest(
  octokit: Octokit,
  target: { owner: string; repo: string; pullNumber: number; headSha: string },
  input: { config: EngineConfig; result: ReviewResult; head: readonly SourceFile[] },
  signal: AbortSignal,
  log: Probot['log'],
): Promise<string[]> {
  const notes: string[] = [];
  const pr = await untilAborted(octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.pullNumber }), signal);
  if (pr.data.head.sha !== target.headSha) throw new Superseded();
  if (pr.data.changed_files > MAX_LISTED_PR_FILES) {
    notes.push(`This pull request changes ${pr.data.changed_files} files; GitHub lists only the first ${MAX_LISTED_PR_FILES}, so findings in the others are annotations only.`);
  }
  if (!input.config.app.inlineComments) return notes;

  const { findings } = input.result;
  // Nothing introduced: skip listing the diff; only the app's old comments may need minimizing.
  const hasNew = findings.some((f) => f.introduced);
  const wanted = new Set(findings.filter((f) => f.introduced && f.severity !== 'notice').map((f) => f.path));
  try {
    const diff = hasNew ? await untilAborted(listPullRequestFiles(octokit, target, wanted), signal) : NO_DIFF;
    if (diff.withoutPatch.length > 0) {
      notes.push(`GitHub sent no diff for ${diff.withoutPatch.length} file(s) (too large or binary), so their findings are annotations only.`);
    }
    throwIfAborted(signal);
    const outcome = await untilAborted(
      runInlineReview(octokit, target, { findings, head: input.head, diff, settings: input.config.app }),
      signal,
    );
    log.info({ ...outcome }, 'inline review done');
  } catch (err) {
    if (signal.aborted) throw err;
    if (hasNew) notes.push('The inline review could not be posted; the findings are in this check run.');
    log.warn({ err: describeError(err) }, 'inline review failed');
  }
  return notes;
}
