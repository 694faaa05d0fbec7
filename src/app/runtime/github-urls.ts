/**
 * GitHub (.com or Enterprise Server) URLs the app talks to. Probot itself reads GHE_HOST and
 * GHE_PROTOCOL (probot/lib/bin/read-env-options.js: baseUrl = `${GHE_PROTOCOL || 'https'}://${GHE_HOST}/api/v3`)
 * and @octokit/graphql maps a `/api/v3` base URL to `/api/graphql`; this helper computes the same
 * URLs for logs, the health endpoint and tests.
 */
type Env = Readonly<Record<string, string | undefined>>;

export interface GitHubUrls {
  /** `github.com` or the GHES host. */
  readonly host: string;
  readonly enterprise: boolean;
  /** Web UI, e.g. for app settings links. */
  readonly web: string;
  /** REST API base URL (Octokit `baseUrl`). */
  readonly rest: string;
  /** GraphQL endpoint. */
  readonly graphql: string;
}

export function githubUrls(env: Env = process.env): GitHubUrls {
  const host = env.GHE_HOST?.trim().replace(/\/+$/, '');
  if (!host) {
    return {
      host: 'github.com',
      enterprise: false,
      web: 'https://github.com',
      rest: 'https://api.github.com',
      graphql: 'https://api.github.com/graphql',
    };
  }
  const protocol = env.GHE_PROTOCOL?.trim() || 'https';
  const web = `${protocol}://${host}`;
  return { host, enterprise: true, web, rest: `${web}/api/v3`, graphql: `${web}/api/graphql` };
}
