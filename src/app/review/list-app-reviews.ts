import { PER_PAGE } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';
import { fingerprintsIn, reviewShaIn } from './markers.js';

export interface AppReviews {
  /** Head SHAs the app already posted a review for. */
  readonly shas: ReadonlySet<string>;
  /** Fingerprints listed in review bodies (findings that did not fit as inline comments). */
  readonly fingerprints: ReadonlySet<string>;
}

/** The app's earlier reviews on the pull request (all pages), read only when there is something new to post. */
export async function listAppReviews(octokit: Octokit, target: RepoRef & { pullNumber: number }): Promise<AppReviews> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: target.owner,
    repo: target.repo,
    pull_number: target.pullNumber,
    per_page: PER_PAGE,
  });
  const shas = new Set<string>();
  const fingerprints = new Set<string>();
  for (const r of reviews) {
    if (r.user?.type !== 'Bot') continue;
    const sha = reviewShaIn(r.body);
    if (!sha) continue;
    shas.add(sha);
    for (const fp of fingerprintsIn(r.body)) fingerprints.add(fp);
  }
  return { shas, fingerprints };
}
