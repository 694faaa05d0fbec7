import { MAX_ANNOTATIONS_PER_REQUEST, MAX_CHECK_SUMMARY_CHARS, MAX_CHECK_TITLE_CHARS } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';
import { truncateChars } from '../util/truncate.js';
import type { Annotation } from './annotations.js';

export interface CheckRunResult {
  readonly conclusion: 'success' | 'neutral' | 'failure';
  readonly title: string;
  readonly summary: string;
  readonly annotations?: readonly Annotation[];
}

/**
 * Publishes a check run's result. Annotations go in batches of at most 50 (the API's limit per
 * request): every batch but the last while the run is still in progress, the last one with the
 * conclusion, so the check never shows as completed with half its annotations.
 */
export async function completeCheckRun(
  octokit: Octokit,
  target: RepoRef & { checkRunId: number },
  result: CheckRunResult,
): Promise<void> {
  const title = truncateChars(result.title, MAX_CHECK_TITLE_CHARS, '…');
  const summary = truncateChars(result.summary, MAX_CHECK_SUMMARY_CHARS);
  const annotations = result.annotations ?? [];
  const batches: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST));
  }
  const last = batches.pop() ?? [];
  for (const batch of batches) {
    await octokit.rest.checks.update({
      owner: target.owner,
      repo: target.repo,
      check_run_id: target.checkRunId,
      output: { title, summary, annotations: batch },
    });
  }
  await octokit.rest.checks.update({
    owner: target.owner,
    repo: target.repo,
    check_run_id: target.checkRunId,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: last.length > 0 ? { title, summary, annotations: last } : { title, summary },
  });
}
