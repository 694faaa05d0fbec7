import type { Probot } from 'probot';
import type { EngineConfig } from '../../engine/config/schema.js';
import type { SourceFile } from '../../engine/model.js';
import type { ReviewResult } from '../../engine/review.js';
import { MAX_LISTED_PR_FILES } from '../constants.js';
import { Superseded } from '../jobs/superseded.js';
import type { Octokit } from '../types.js';
import { throwIfAborted, untilAborted } from '../util/abort.js';
import { describeError } from '../util/describe-error.js';
import { listAppComments } from './list-app-comments.js';
import { listPullRequestFiles, type PullRequestDiff } from './list-pull-request-files.js';
import { runInlineReview } from './run-inline-review.js';

const NO_DIFF: PullRequestDiff = { commentable: new Map(), withoutPatch: [], listed: 0 };

/**
 * The pull-request part of a review: posts the inline review and minimizes outdated comments.
 * Returns notes for the check run summary. A failure here is a note, not a failed check: the check
 * run still carries every finding.
 *
 * Requests, frugally: the app's existing comments first (needed anyway to dedupe and to minimize);
 * the diff only for files that changed and hold a finding not commented yet; and the superseded check
 * (the pull request's head, one request) only right before keyref writes to the pull request, so a
 * review is never posted on a commit the pull request moved away from (throws Superseded). When the
 * job does not know the changed-file count (a re-run), the pull request is read first, as before.
 */
export async function reviewPullRequest(
  octokit: Octokit,
  target: { owner: string; repo: string; pullNumber: number; headSha: string; changedFiles?: number },
  input: { config: EngineConfig; result: ReviewResult; head: readonly SourceFile[]; base?: readonly SourceFile[] },
  signal: AbortSignal,
  log: Probot['log'],
): Promise<string[]> {
  const notes: string[] = [];
  const noteChangedFiles = (count: number): void => {
    if (count > MAX_LISTED_PR_FILES) {
      notes.push(`This pull request changes ${count} files; GitHub lists only the first ${MAX_LISTED_PR_FILES}, so findings in the others are annotations only.`);
    }
  };
  let headChecked = false;
  const checkHead = async (): Promise<void> => {
    if (headChecked) return;
    const pr = await untilAborted(octokit.rest.pulls.get({ owner: target.owner, repo: target.repo, pull_number: target.pullNumber }), signal);
    if (pr.data.head.sha !== target.headSha) throw new Superseded();
    headChecked = true;
    if (target.changedFiles === undefined) noteChangedFiles(pr.data.changed_files);
  };
  if (target.changedFiles === undefined) await checkHead();
  else noteChangedFiles(target.changedFiles);
  if (!input.config.app.inlineComments) return notes;

  const { findings } = input.result;
  const hasNew = findings.some((f) => f.introduced);
  try {
    const existing = await untilAborted(listAppComments(octokit, target), signal);
    throwIfAborted(signal);
    // A comment keyref marked outdated does not count as posted: if its finding comes back, it is commented again.
    const alreadyPosted = new Set(existing.filter((c) => !c.outdated).map((c) => c.fingerprint));
    // The diff is needed only for files with a finding to comment on: introduced, not a notice, not
    // commented yet, in a file this pull request changed (same text in base and head: not in its diff).
    const baseText = input.base ? new Map(input.base.map((f) => [f.path, f.text] as const)) : undefined;
    const headText = new Map(input.head.map((f) => [f.path, f.text] as const));
    const wanted = new Set(
      findings
        .filter((f) => f.introduced && f.severity !== 'notice' && !alreadyPosted.has(f.fingerprint))
        .filter((f) => !baseText || !headText.has(f.path) || baseText.get(f.path) !== headText.get(f.path))
        .map((f) => f.path),
    );
    const diff = wanted.size > 0 ? await untilAborted(listPullRequestFiles(octokit, target, wanted), signal) : NO_DIFF;
    if (diff.withoutPatch.length > 0) {
      notes.push(`GitHub sent no diff for ${diff.withoutPatch.length} file(s) (too large or binary), so their findings are annotations only.`);
    }
    throwIfAborted(signal);
    const outcome = await untilAborted(
      runInlineReview(octokit, target, { findings, head: input.head, diff, existing, settings: input.config.app, beforeWrite: checkHead }),
      signal,
    );
    log.info({ ...outcome }, 'inline review done');
  } catch (err) {
    if (signal.aborted || err instanceof Superseded) throw err;
    if (hasNew) notes.push('The inline review could not be posted; the findings are in this check run.');
    log.warn({ err: describeError(err) }, 'inline review failed');
  }
  return notes;
}
