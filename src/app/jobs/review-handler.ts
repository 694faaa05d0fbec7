import type { Probot } from 'probot';
import type { ReviewInput, ReviewResult } from '../../engine/review.js';
import type { SourceFile } from '../../engine/model.js';
import { notAnalysedSummary } from '../../engine/coverage/index.js';
import { buildAnnotations } from '../check-run/annotations.js';
import { conclusionFor } from '../check-run/conclusion.js';
import { findCheckRun, type CheckRunHandle } from '../check-run/find-or-create.js';
import { IN_PROGRESS_AFTER_MS, PendingCheckRun } from '../check-run/pending-check-run.js';
import { buildSummary } from '../check-run/summary.js';
import { buildTitle } from '../check-run/title.js';
import { loadRepoConfig } from '../config/load-repo-config.js';
import { CONFIG_PATH, REVIEW_TIMEOUT_MS } from '../constants.js';
import { reviewPullRequest } from '../review/review-pull-request.js';
import type { Octokit } from '../types.js';
import { throwIfAborted, untilAborted } from '../util/abort.js';
import { countRequests } from '../util/count-requests.js';
import { describeError } from '../util/describe-error.js';
import { findPullRequest } from '../webhooks/find-pull-request.js';
import { stoppedEngineResult } from './engine.js';
import { Superseded } from './superseded.js';
import { parseJobData, type ReviewJobData } from './job-data.js';
import { abortReason, type ReviewHandler, type ReviewJob } from './queue-types.js';
import { completeAsInternalError, completeAsSuperseded, completeLeftInProgress } from './complete-early.js';

export type ReadTrees = (
  octokit: Octokit,
  target: { owner: string; repo: string; baseSha: string; headSha: string },
) => Promise<{ base: SourceFile[]; head: SourceFile[]; requestCount: number; notes: string[] }>;

/** Runs the engine's review; aborting `signal` stops it (the default engine terminates its worker thread). */
export type ReviewEngine = (input: ReviewInput, signal: AbortSignal) => Promise<ReviewResult>;

export interface ReviewHandlerDeps {
  readonly app: Probot;
  readonly readTrees: ReadTrees;
  readonly engine: ReviewEngine;
  readonly timeoutMs?: number;
  /** This app's id, to find its own check run for the head SHA. */
  readonly appId?: number | undefined;
  /** This app's slug, to find its own check run where its id is unknown (the Action: `github-actions`). */
  readonly appSlug?: string | undefined;
  /** How long a review runs before its check run is shown in progress (default IN_PROGRESS_AFTER_MS; 0 = at once). */
  readonly inProgressAfterMs?: number;
}

/**
 * The head SHA's one `keyref` check run: the run a re-run event named, else the existing one (a
 * redelivery, or this job retried on another replica), else none yet (PendingCheckRun creates it).
 * `wasCompleted`: it must be set back to in progress if the review takes a while.
 */
async function findCheckRunFor(octokit: Octokit, data: ReviewJobData, appId: number | undefined, appSlug: string | undefined): Promise<CheckRunHandle | undefined> {
  if (data.checkRunId !== undefined) return { id: data.checkRunId, wasCompleted: true };
  return findCheckRun(octokit, { owner: data.owner, repo: data.repo, headSha: data.headSha, appId, appSlug });
}

type Resolved = ReviewJobData & { kind: 'pull_request' | 'merge_group'; baseSha: string };

/** A `commit` job (a re-run without a pull request in its event): the open pull request whose head it is, else its first parent. */
async function resolveCommit(octokit: Octokit, data: ReviewJobData): Promise<Resolved> {
  if (data.kind !== 'commit' && data.baseSha !== undefined) return data as Resolved;
  const target = { owner: data.owner, repo: data.repo };
  const pr = await findPullRequest(octokit, { ...target, headSha: data.headSha }, []);
  if (pr) return { ...data, kind: 'pull_request', pullNumber: pr.number, baseSha: pr.baseSha };
  // No open pull request has this head (a merge queue commit, a push): compare with its first parent, no inline review.
  const commit = await octokit.rest.git.getCommit({ ...target, commit_sha: data.headSha });
  return { ...data, kind: 'merge_group', baseSha: commit.data.parents[0]?.sha ?? data.headSha };
}

/** Runs one review job with an installation-authenticated Octokit. Never throws; always completes the check run (or leaves it to the job that superseded it). */
export function createReviewHandler(deps: ReviewHandlerDeps): ReviewHandler {
  return async (job: ReviewJob, signal: AbortSignal): Promise<void> => {
    const log = deps.app.log.child({ component: 'keyref', jobId: job.id, headSha: job.headSha });
    const data = parseJobData(job.data);
    if (!data) {
      log.error('malformed review job, ignored');
      return;
    }
    let octokit: Octokit;
    try {
      octokit = (await deps.app.auth(data.installationId)) as Octokit;
    } catch (err) {
      log.error({ err: describeError(err) }, 'could not authenticate as the installation');
      return;
    }
    await runJob(octokit, data, signal, deps, log);
  };
}

async function runJob(octokit: Octokit, job: ReviewJobData, queueSignal: AbortSignal, deps: ReviewHandlerDeps, log: Probot['log']): Promise<void> {
  let data: ReviewJobData = job;
  let checkRunId: number | undefined;
  let run: PendingCheckRun | undefined;
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? REVIEW_TIMEOUT_MS);
  const signal = AbortSignal.any([queueSignal, timeout]);
  let done = false;
  let onInternalError: 'neutral' | 'failure' = 'neutral';
  let failure = 'keyref could not finish this review.';
  const started = Date.now();
  const requests = countRequests(octokit);
  try {
    let loaded: Awaited<ReturnType<typeof loadRepoConfig>> | undefined;
    if (data.draft) {
      // A draft is reviewed only when configured so: read the configuration before making a check run for it.
      loaded = await untilAborted(loadRepoConfig(octokit, data), signal);
      if (!(loaded.ok && loaded.config.app.reviewDrafts)) {
        log.debug('draft pull request skipped');
        done = true;
        return;
      }
    }
    // Not cut short by an abort: a check run created here must be known, so that it is completed below.
    run = new PendingCheckRun(octokit, data, await findCheckRunFor(octokit, data, deps.appId, deps.appSlug));
    await run.startAfter(deps.inProgressAfterMs ?? IN_PROGRESS_AFTER_MS);
    throwIfAborted(signal);
    const resolved = await untilAborted(resolveCommit(octokit, data), signal);
    data = resolved;
    throwIfAborted(signal);

    loaded ??= await untilAborted(loadRepoConfig(octokit, data), signal);
    if (!loaded.ok) {
      onInternalError = loaded.conclusionOnInternalError ?? 'neutral';
      await run.complete({
        conclusion: onInternalError,
        title: `Configuration error in ${CONFIG_PATH}`,
        summary: `keyref could not use its configuration, so it did not review this commit. Fix the file on the default branch and re-run the check.\n\n${loaded.message}`,
      });
      done = true;
      log.warn('configuration error reported on the check run');
      return;
    }
    const config = loaded.config;
    onInternalError = config.app.conclusionOnInternalError;
    throwIfAborted(signal);

    const trees = await untilAborted(deps.readTrees(octokit, { owner: data.owner, repo: data.repo, baseSha: resolved.baseSha, headSha: data.headSha }), signal);
    throwIfAborted(signal);
    const result = await untilAborted(deps.engine({ base: trees.base, head: trees.head, config }, signal), signal);
    throwIfAborted(signal);
    // Only writes are left (review, completion): no "in progress" write from here, it would only queue behind them.
    run.resultReady();

    const notes = [...trees.notes];
    for (const s of result.skipped.slice(0, 20)) notes.push(s.kind === 'file' ? `${s.path}: not read (${s.reason})` : `${s.path}${s.line ? ` line ${s.line}` : ''}: not analysed — ${s.reason}`);
    if (data.kind === 'pull_request' && data.pullNumber !== undefined) {
      const prTarget = {
        owner: data.owner,
        repo: data.repo,
        pullNumber: data.pullNumber,
        headSha: data.headSha,
        ...(data.changedFiles !== undefined ? { changedFiles: data.changedFiles } : {}),
      };
      notes.push(...(await reviewPullRequest(octokit, prTarget, { config, result, head: trees.head, base: trees.base }, signal, log)));
    }

    const headLines = new Map(trees.head.map((f) => [f.path, f.text.replace(/\r?\n$/, '').split(/\r?\n/).length] as const));
    const { annotations, omitted } = buildAnnotations(result.findings, (path) => headLines.get(path));
    if (omitted > 0) notes.push(`${omitted} more annotations were not sent (keyref sends at most ${annotations.length}).`);
    throwIfAborted(signal);
    await run.complete({
      conclusion: conclusionFor(result.findings, config.app),
      title: buildTitle(result.findings),
      summary: buildSummary({ findings: result.findings, notes, fixedCount: result.fixed.length, notAnalysed: notAnalysedSummary(result.skipped) }),
      annotations,
    });
    done = true;
    log.info(
      {
        findings: result.findings.length,
        introduced: result.findings.filter((f) => f.introduced).length,
        requests: requests.count,
        treeRequests: trees.requestCount,
        ms: Date.now() - started,
      },
      'review completed',
    );
  } catch (err) {
    checkRunId = await run?.settle();
    // The head moved on while no check run was written yet: this commit still gets its one run, as superseded.
    if (err instanceof Superseded && checkRunId === undefined && run) checkRunId = await run.start().then(() => run!.checkRunId, () => undefined);
    if (err instanceof Superseded || (queueSignal.aborted && !timeout.aborted)) {
      if (checkRunId !== undefined) {
        done = await completeAsSuperseded(octokit, data, checkRunId, queueSignal, log, err instanceof Superseded);
        return;
      }
      // Aborted before any check run was made: the newer job (or the replica that retries this one) makes its own.
      const reason = abortReason(queueSignal);
      if (reason?.reason === 'superseded' || reason?.willRetry) {
        if (reason.by && reason.by.headSha !== data.headSha) await completeLeftInProgress(octokit, data, deps.appId, reason.by.headSha, log);
        done = true;
        return;
      }
    }
    const stopped = stoppedEngineResult(err);
    if (stopped && run) {
      try {
        await run.complete(stopped);
        done = true;
        log.warn({ err: describeError(err) }, 'review stopped by the engine budget');
        return;
      } catch (completeErr) {
        log.error({ err: describeError(completeErr) }, 'could not complete the check run of a stopped review');
      }
    }
    if (timeout.aborted) failure = `keyref did not finish within ${Math.round((deps.timeoutMs ?? REVIEW_TIMEOUT_MS) / 1000)} seconds.`;
    log.error({ err: describeError(err) }, 'review failed');
  } finally {
    if (!done) {
      const target = { owner: data.owner, repo: data.repo, headSha: data.headSha, checkRunId };
      await completeAsInternalError(octokit, target, onInternalError, failure, log);
    }
  }
}
