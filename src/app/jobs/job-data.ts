/** What a review job carries (JSON: it may be stored in Redis and run by another replica). No secrets, no file content. */
export interface ReviewJobData {
  /**
   * `pull_request`: review the pull request `pullNumber` at `headSha` against `baseSha`.
   * `merge_group`: check `headSha` against `baseSha`, no inline review.
   * `commit`: a re-run whose event named no pull request (fork PRs, merge queue commits): the job looks
   * up the open pull request whose head is `headSha`, else compares the commit with its first parent.
   */
  readonly kind: 'pull_request' | 'merge_group' | 'commit';
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  /** Required for kinds pull_request and merge_group; a `commit` job finds it. */
  readonly baseSha?: string;
  /** Pull request number (kind pull_request). */
  readonly pullNumber?: number;
  /** The pull request's changed-file count from the webhook payload (kind pull_request; absent when the event did not carry it). */
  readonly changedFiles?: number;
  /** The pull request was a draft when the event came: reviewed only when the configuration says `app.reviewDrafts`. */
  readonly draft?: boolean;
  /**
   * The check run the event named (check_run.rerequested): the job sets it back to in progress and reuses it.
   * Otherwise the job finds the head SHA's `keyref` check run or creates it (webhooks make no API call).
   */
  readonly checkRunId?: number;
}

export function coalesceKeyFor(data: Pick<ReviewJobData, 'kind' | 'owner' | 'repo' | 'pullNumber' | 'headSha'>): string {
  const repo = `${data.owner}/${data.repo}`.toLowerCase();
  if (data.kind === 'pull_request') return `${repo}#${data.pullNumber}`;
  return data.kind === 'merge_group' ? `${repo}@merge_group:${data.headSha}` : `${repo}@commit:${data.headSha}`;
}

/**
 * Reviews of one commit (whatever the event: opened, reopened, a re-run, a redelivery burst) run one
 * after another, on any replica: the commit has one `keyref` check run, found by the next review.
 */
export function serialKeyFor(data: Pick<ReviewJobData, 'owner' | 'repo' | 'headSha'>): string {
  return `${data.owner}/${data.repo}@${data.headSha}`.toLowerCase();
}

/** Reads job data back (it crossed a queue, maybe Redis): undefined when malformed. */
export function parseJobData(value: Record<string, unknown>): ReviewJobData | undefined {
  const v = value as Partial<Record<keyof ReviewJobData, unknown>>;
  const str = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
  if (v.kind !== 'pull_request' && v.kind !== 'merge_group' && v.kind !== 'commit') return undefined;
  if (!int(v.installationId) || !str(v.owner) || !str(v.repo) || !str(v.headSha)) return undefined;
  if (v.kind !== 'commit' && !str(v.baseSha)) return undefined;
  if (v.kind === 'pull_request' && !int(v.pullNumber)) return undefined;
  return {
    kind: v.kind,
    installationId: v.installationId,
    owner: v.owner,
    repo: v.repo,
    headSha: v.headSha,
    ...(str(v.baseSha) ? { baseSha: v.baseSha } : {}),
    ...(int(v.checkRunId) ? { checkRunId: v.checkRunId } : {}),
    ...(int(v.pullNumber) ? { pullNumber: v.pullNumber } : {}),
    ...(typeof v.changedFiles === 'number' && Number.isSafeInteger(v.changedFiles) && v.changedFiles >= 0 ? { changedFiles: v.changedFiles } : {}),
    ...(v.draft === true ? { draft: true } : {}),
  };
}
