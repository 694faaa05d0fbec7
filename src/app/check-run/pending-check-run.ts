import { CHECK_NAME, MAX_ANNOTATIONS_PER_REQUEST, MAX_CHECK_SUMMARY_CHARS, MAX_CHECK_TITLE_CHARS } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';
import { truncateChars } from '../util/truncate.js';
import { completeCheckRun, type CheckRunResult } from './complete-check-run.js';
import type { CheckRunHandle } from './find-or-create.js';
import { markInProgress } from './mark-in-progress.js';

/**
 * Default wait before a review shows its check run as in progress. Most reviews finish well within it
 * (a warm re-push takes well under a second), and then the check run is written once, already
 * completed: one write instead of two (or three for a re-run), and writes are what GitHub's secondary
 * limits pace a second apart. A slower review shows "in progress" after this delay.
 */
export const IN_PROGRESS_AFTER_MS = 2000;

const IN_PROGRESS_OUTPUT = { title: 'Reviewing Kubernetes manifests…', summary: 'keyref is reading the manifests of this commit.' };

/**
 * A head SHA's `keyref` check run during a review, written as late and as rarely as possible:
 *  - `startAfter(ms)`: shown as in progress (created, or an existing completed run set back) only if
 *    the review is still running after `ms`; `ms <= 0` starts at once;
 *  - `resultReady()`: the result is known, no "in progress" write any more (one already sent stays);
 *  - `complete(result)`: one request when nothing was written yet (the run is created completed, or
 *    an existing run updated); a result with more annotations than one request carries is started
 *    first, then completed in batches as before;
 *  - `settle()`: stops the timer, waits for a creation in flight and returns the run's id, if any
 *    (for the error paths, which complete it or create it completed).
 */
export class PendingCheckRun {
  private id: number | undefined;
  private needsInProgress: boolean;
  private starting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly octokit: Octokit,
    private readonly target: RepoRef & { headSha: string },
    existing: CheckRunHandle | undefined,
  ) {
    this.id = existing?.id;
    // A new run, or a completed one being reviewed again, must be shown as in progress; one already in progress need not.
    this.needsInProgress = existing === undefined || existing.wasCompleted;
  }

  get checkRunId(): number | undefined {
    return this.id;
  }

  /** Shows the run as in progress now (at most once). */
  start(): Promise<void> {
    this.clearTimer();
    this.starting ??= this.writeInProgress();
    return this.starting;
  }

  /** Shows the run as in progress after `ms` if it is not completed by then. Errors of that write are left to `complete`/`settle`. */
  startAfter(ms: number): Promise<void> | undefined {
    if (ms <= 0) return this.start();
    this.clearTimer();
    this.timer = setTimeout(() => void this.start().catch(() => {}), ms);
    this.timer.unref?.();
    return undefined;
  }

  /**
   * The review's result is known; only writing it is left. A pending "in progress" write is not sent:
   * from here the review waits only for GitHub writes (the review, the completion), which the write
   * limiter sends a second apart, so in a burst an "in progress" write queued now would reach GitHub
   * just before the completion, as one more write (three a review instead of two).
   */
  resultReady(): void {
    this.clearTimer();
  }

  /** Stops the timer and waits for an in-progress write in flight; returns the run's id if it exists. */
  async settle(): Promise<number | undefined> {
    this.clearTimer();
    await this.starting?.catch(() => {});
    return this.id;
  }

  async complete(result: CheckRunResult): Promise<void> {
    this.clearTimer();
    // A failed in-progress write does not fail the review: the result is still written below.
    await this.starting?.catch(() => {});
    const annotations = result.annotations ?? [];
    if (this.id === undefined && annotations.length > MAX_ANNOTATIONS_PER_REQUEST) await this.start();
    if (this.id !== undefined) {
      await completeCheckRun(this.octokit, { owner: this.target.owner, repo: this.target.repo, checkRunId: this.id }, result);
      return;
    }
    const title = truncateChars(result.title, MAX_CHECK_TITLE_CHARS, '…');
    const summary = truncateChars(result.summary, MAX_CHECK_SUMMARY_CHARS);
    const created = await this.octokit.rest.checks.create({
      owner: this.target.owner,
      repo: this.target.repo,
      name: CHECK_NAME,
      head_sha: this.target.headSha,
      status: 'completed',
      conclusion: result.conclusion,
      started_at: this.startedAt,
      completed_at: new Date().toISOString(),
      output: annotations.length > 0 ? { title, summary, annotations: [...annotations] } : { title, summary },
    });
    this.id = created.data.id;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async writeInProgress(): Promise<void> {
    if (!this.needsInProgress) return;
    if (this.id !== undefined) {
      await markInProgress(this.octokit, { owner: this.target.owner, repo: this.target.repo, checkRunId: this.id });
    } else {
      const created = await this.octokit.rest.checks.create({
        owner: this.target.owner,
        repo: this.target.repo,
        name: CHECK_NAME,
        head_sha: this.target.headSha,
        status: 'in_progress',
        started_at: this.startedAt,
        output: IN_PROGRESS_OUTPUT,
      });
      this.id = created.data.id;
    }
    this.needsInProgress = false;
  }
}
