/**
 * The JSON shapes the stand-in answers with, complete as GitHub's OpenAPI description requires them
 * (every required property, with its type): users, repositories, pull requests, check runs, review
 * comments, reviews, issue comments. Values are made up but consistent (URLs point at the stand-in).
 */

/** `api`: the REST base (with `/api/v3` on GHES); `web`: the web base. */
export interface Bases {
  readonly api: string;
  readonly web: string;
}

type Json = Record<string, unknown>;

/** A fixed creation time: the stand-in's objects have no history. */
export const STANDIN_EPOCH = '2026-01-01T00:00:00Z';

/** A stable numeric id for a login (GitHub ids are integers). */
function idOf(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
  return h;
}

export function userJson(b: Bases, login: string, type: 'User' | 'Bot' | 'Organization' = 'User'): Json {
  const url = `${b.api}/users/${encodeURIComponent(login)}`;
  const id = idOf(login);
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${b.web}/avatars/${id}`,
    gravatar_id: '',
    url,
    html_url: `${b.web}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

/** The organization object of webhook payloads. */
export function organizationJson(b: Bases, login: string): Json {
  const url = `${b.api}/orgs/${encodeURIComponent(login)}`;
  const id = idOf(login);
  return {
    login,
    id,
    node_id: `O_${id}`,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${b.web}/avatars/${id}`,
    description: null,
  };
}

export interface RepositoryFacts {
  readonly id: number;
  readonly owner: string;
  readonly ownerType: 'User' | 'Organization';
  readonly name: string;
  readonly defaultBranch: string;
  readonly fork: boolean;
}

export function repositoryJson(b: Bases, r: RepositoryFacts): Json {
  const fullName = `${r.owner}/${r.name}`;
  const url = `${b.api}/repos/${fullName}`;
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: fullName,
    private: false,
    owner: userJson(b, r.owner, r.ownerType),
    html_url: `${b.web}/${fullName}`,
    description: null,
    fork: r.fork,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://${new URL(b.web).host}/${fullName}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@${new URL(b.web).hostname}:${fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${b.web}/${fullName}.git`,
    mirror_url: null,
    svn_url: `${b.web}/${fullName}`,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: r.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    license: null,
    pushed_at: STANDIN_EPOCH,
    created_at: STANDIN_EPOCH,
    updated_at: STANDIN_EPOCH,
  };
}

export interface PullRequestFacts {
  readonly number: number;
  readonly id: number;
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly draft: boolean;
  readonly head: { readonly ref: string; readonly sha: string; readonly repo: RepositoryFacts };
  readonly base: { readonly ref: string; readonly sha: string; readonly repo: RepositoryFacts };
  readonly changedFiles: number;
  readonly additions: number;
  readonly deletions: number;
  readonly comments: number;
  readonly reviewComments: number;
}

export function pullRequestJson(b: Bases, pr: PullRequestFacts): Json {
  const repo = `${pr.base.repo.owner}/${pr.base.repo.name}`;
  const url = `${b.api}/repos/${repo}/pulls/${pr.number}`;
  const issue = `${b.api}/repos/${repo}/issues/${pr.number}`;
  const html = `${b.web}/${repo}/pull/${pr.number}`;
  const side = (s: PullRequestFacts['head']): Json => ({
    label: `${s.repo.owner}:${s.ref}`,
    ref: s.ref,
    sha: s.sha,
    user: userJson(b, s.repo.owner, s.repo.ownerType),
    repo: repositoryJson(b, s.repo),
  });
  return {
    url,
    id: pr.id,
    node_id: `PR_${pr.id}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${b.api}/repos/${repo}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${b.api}/repos/${repo}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(b, 'octocat'),
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: STANDIN_EPOCH,
    updated_at: STANDIN_EPOCH,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pr.head),
    base: side(pr.base),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${b.api}/repos/${repo}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${b.api}/repos/${repo}/statuses/${pr.head.sha}` },
    },
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    draft: pr.draft,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: pr.comments,
    review_comments: pr.reviewComments,
    maintainer_can_modify: false,
    commits: 1,
    additions: pr.additions,
    deletions: pr.deletions,
    changed_files: pr.changedFiles,
  };
}

/** A GitHub App (`integration`), as check runs and `GET /app` show it. */
export function appJson(b: Bases, app: { id: number; slug: string; owner: string }): Json {
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_${app.id}`,
    owner: userJson(b, app.owner, 'Organization'),
    name: app.slug,
    description: null,
    external_url: `${b.web}/apps/${app.slug}`,
    html_url: `${b.web}/apps/${app.slug}`,
    created_at: STANDIN_EPOCH,
    updated_at: STANDIN_EPOCH,
    permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' },
    events: ['pull_request', 'check_run', 'check_suite', 'merge_group'],
  };
}

export function reviewCommentJson(
  b: Bases,
  repo: string,
  pull: number,
  c: { id: number; node_id: string; pull_request_review_id: number | null; path: string; line: number; start_line?: number; side: string; body: string; commit_id: string; user: { login: string; type: string } },
): Json {
  const url = `${b.api}/repos/${repo}/pulls/comments/${c.id}`;
  const html = `${b.web}/${repo}/pull/${pull}#discussion_r${c.id}`;
  const pullUrl = `${b.api}/repos/${repo}/pulls/${pull}`;
  return {
    url,
    id: c.id,
    node_id: c.node_id,
    pull_request_review_id: c.pull_request_review_id,
    diff_hunk: `@@ -1,1 +${c.line},1 @@`,
    path: c.path,
    commit_id: c.commit_id,
    original_commit_id: c.commit_id,
    user: userJson(b, c.user.login, c.user.type as 'User' | 'Bot'),
    body: c.body,
    created_at: STANDIN_EPOCH,
    updated_at: STANDIN_EPOCH,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: 'NONE',
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: c.start_line ?? null,
    original_start_line: c.start_line ?? null,
    start_side: c.start_line === undefined ? null : c.side,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: 'line',
  };
}

export function reviewJson(
  b: Bases,
  repo: string,
  pull: number,
  r: { id: number; node_id: string; body: string; state: string; commit_id: string },
  user: { login: string; type: string },
): Json {
  const html = `${b.web}/${repo}/pull/${pull}#pullrequestreview-${r.id}`;
  const pullUrl = `${b.api}/repos/${repo}/pulls/${pull}`;
  return {
    id: r.id,
    node_id: r.node_id,
    user: userJson(b, user.login, user.type as 'User' | 'Bot'),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: STANDIN_EPOCH,
    commit_id: r.commit_id,
    author_association: 'NONE',
  };
}

export function issueCommentJson(b: Bases, repo: string, issue: number, c: { id: number; node_id: string; body: string; user: { login: string; type: string } }): Json {
  return {
    id: c.id,
    node_id: c.node_id,
    url: `${b.api}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `${b.web}/${repo}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${b.api}/repos/${repo}/issues/${issue}`,
    body: c.body,
    user: userJson(b, c.user.login, c.user.type as 'User' | 'Bot'),
    created_at: STANDIN_EPOCH,
    updated_at: STANDIN_EPOCH,
    author_association: 'NONE',
  };
}
