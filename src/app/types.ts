import type { ProbotOctokit } from 'probot';
import type { Logger } from 'probot';

/** An installation-authenticated Octokit as Probot hands it out (`context.octokit`, `await app.auth(id)`). */
export type Octokit = InstanceType<typeof ProbotOctokit>;
export type Log = Logger;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}
