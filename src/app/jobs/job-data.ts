/** What a review job carries (JSON: it may be stored in Redis and run by another replica). No secrets, no file content. */
export interface ReviewJobData {
  readonly kind: 'pull_request' | 'merge_group';
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** Pull request number (kind pull_request). */
  readonly pullNumber?: number;
  /** The pull request's changed-file count from the webhook payload (kind pull_request; absent when the event did not carry it). */
  readonly changedFiles?: number;
  readonly checkRunId: number;
  /** The check run existed and was completed: set it back to in progress first. */
  readonly resetCheckRun?: boolean;
}

export function coalesceKeyFor(data: Pick<ReviewJobData, 'kind' | 'owner' | 'repo' | 'pullNumber' | 'headSha'>): string {
  const repo = `${data.owner}/${data.repo}`.toLowerCase();
  return data.kind === 'pull_request' ? `${repo}#${data.pullNumber}` : `${repo}@merge_group:${data.headSha}`;
}

/** Reads job data back (it crossed a queue, maybe Redis): undefined when malformed. */
export function parseJobData(value: Record<string, unknown>): ReviewJobData | undefined {
  const v = value as Partial<Record<keyof ReviewJobData, unknown>>;
  const str = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
  const int = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
  if (v.kind !== 'pull_request' && v.kind !== 'merge_group') return undefined;
  if (!int(v.installationId) || !str(v.owner) || !str(v.repo) || !str(v.headSha) || !str(v.baseSha) || !int(v.checkRunId)) return undefined;
  if (v.kind === 'pull_request' && !int(v.pullNumber)) return undefined;
  return {
    kind: v.kind,
    installationId: v.installationId,
    owner: v.owner,
    repo: v.repo,
    headSha: v.headSha,
    baseSha: v.baseSha,
    checkRunId: v.checkRunId,
    ...(int(v.pullNumber) ? { pullNumber: v.pullNumber } : {}),
    ...(typeof v.changedFiles === 'number' && Number.isSafeInteger(v.changedFiles) && v.changedFiles >= 0 ? { changedFiles: v.changedFiles } : {}),
    ...(v.resetCheckRun === true ? { resetCheckRun: true } : {}),
  };
}
