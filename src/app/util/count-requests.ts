import type { Octokit } from '../types.js';

/** Counts the API requests an Octokit instance sends from now on (for the "review completed" log line). */
export function countRequests(octokit: Octokit): { readonly count: number } {
  const counter = { count: 0 };
  octokit.hook.before('request', () => {
    counter.count++;
  });
  return counter;
}
