import { Octokit } from '@octokit/rest';

/** An Octokit against the stand-in (token auth, no retries), like the app's installation client. */
export function octokitFor(baseUrl: string): Octokit {
  return new Octokit({ auth: 'ghs_test', baseUrl, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

export function manifest(i: number, extra = ''): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n${extra}`;
}
