import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import { ProbotOctokit } from 'probot';
import { commentableLines, githubPatch, OTHER_APP, signWebhook, startStandin, throwawayPrivateKey, type Standin } from '../../src/standin/index.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const client = (baseUrl: string): Octokit => new Octokit({ auth: 'ghs_test', baseUrl, log: quiet });

const BASE = {
  'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  A: "1"\n  B: "2"\n',
  'deploy/deploy.yaml': 'kind: Deployment\n',
  '.github/keyref.yml': 'rules:\n  secret-plaintext: warning\n',
};
const HEAD = {
  'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  A: "1"\n',
  'deploy/deploy.yaml': 'kind: Deployment\n',
  'deploy/new.yaml': 'kind: Secret\n',
  '.github/keyref.yml': 'rules:\n  secret-plaintext: warning\n',
};

describe('GitHub stand-in', () => {
  let standin: Standin;
  let base: string;
  let head: string;
  before(async () => {
    standin = await startStandin({ otherApps: 'same-name' });
    const repo = standin.createRepo('acme', 'web', { installationId: 77 });
    base = repo.commit(BASE);
    head = repo.commit(HEAD, { branch: 'feature' });
    repo.openPullRequest({ base, head, number: 5, headRef: 'feature' });
  });
  after(async () => {
    await standin.close();
  });

  it('authenticates a Probot app with a throwaway key and serves installation requests', async () => {
    const app = new ProbotOctokit({ auth: { appId: 1, privateKey: throwawayPrivateKey() }, baseUrl: standin.url, log: quiet });
    const { data: inst } = await app.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'web' });
    assert.equal(inst.id, 77);
    const octokit = new ProbotOctokit({ auth: { appId: 1, privateKey: throwawayPrivateKey(), installationId: 77 }, baseUrl: standin.url, log: quiet });
    const { data: pr } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 });
    assert.equal(pr.head.sha, head);
    assert.equal(pr.base.sha, base);
    assert.ok(standin.requests.some((r) => r.method === 'POST' && r.path === '/app/installations/77/access_tokens'));
  });

  it('lists pull request files with GitHub-style patches, paginated', async () => {
    const octokit = client(standin.url);
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: 'acme', repo: 'web', pull_number: 5, per_page: 1 });
    assert.deepEqual(files.map((f) => [f.filename, f.status]), [['deploy/cm.yaml', 'modified'], ['deploy/new.yaml', 'added']]);
    assert.match(files[0]!.patch!, /^@@ -4,4 \+4,3 @@\n/);
    assert.match(files[0]!.patch!, /\n- {2}B: "2"/);
    assert.equal(files[1]!.additions, 1);
    const listed = standin.requests.filter((r) => r.path === '/repos/acme/web/pulls/5/files');
    assert.deepEqual(listed.map((r) => r.query.page ?? '1'), ['1', '2']);
  });

  it('caps the listed files and leaves out large patches, as GitHub does', async () => {
    const capped = await startStandin({ maxPullFiles: 3, maxPatchBytes: 40 });
    try {
      const repo = capped.createRepo('acme', 'many');
      const files: Record<string, string> = {};
      for (let i = 0; i < 5; i++) files[`f${i}.yaml`] = `a: ${i}\n`;
      const b = repo.commit(files);
      const h = repo.commit({ ...files, 'f0.yaml': 'a: 0\nb: 1\n', 'f1.yaml': `a: 1\n${'x: 1\n'.repeat(20)}`, 'f2.yaml': 'a: 3\n', 'f3.yaml': 'z: 1\n' });
      repo.openPullRequest({ base: b, head: h, number: 1 });
      const octokit = client(capped.url);
      const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: 'acme', repo: 'many', pull_number: 1, per_page: 100 });
      assert.deepEqual(listed.map((f) => f.filename), ['f0.yaml', 'f1.yaml', 'f2.yaml']);
      assert.ok(listed[0]!.patch);
      assert.equal(listed[1]!.patch, undefined);
      const { data: pr } = await octokit.rest.pulls.get({ owner: 'acme', repo: 'many', pull_number: 1 });
      assert.equal(pr.changed_files, 4);
    } finally {
      await capped.close();
    }
  });

  it('knows which lines a review comment may target', () => {
    const { patch } = githubPatch('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nE\nf\ng\nh\n');
    assert.deepEqual([...commentableLines(patch)], [2, 3, 4, 5, 6, 7, 8]);
  });

  it('creates reviews, rejects comments outside the diff, lists comments', async () => {
    const octokit = client(standin.url);
    await assert.rejects(
      octokit.rest.pulls.createReview({ owner: 'acme', repo: 'web', pull_number: 5, commit_id: head, event: 'COMMENT', body: 'x', comments: [{ path: 'deploy/deploy.yaml', line: 1, body: 'no' }] }),
      (e: { status?: number }) => e.status === 422,
    );
    const { data: review } = await octokit.rest.pulls.createReview({
      owner: 'acme', repo: 'web', pull_number: 5, commit_id: head, event: 'COMMENT', body: 'keyref found 1 problem',
      comments: [{ path: 'deploy/new.yaml', line: 1, side: 'RIGHT', body: 'plaintext <!-- keyref:abc -->' }],
    });
    assert.equal(review.state, 'COMMENTED');
    const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: 'acme', repo: 'web', pull_number: 5, per_page: 100 });
    // Others' comments come first: another app's and a person's quoting a keyref marker.
    assert.deepEqual(all.map((c) => [c.user?.login, c.user?.type]), [[OTHER_APP.bot, 'Bot'], ['octocat', 'User'], ['keyref[bot]', 'Bot']]);
    const comments = all.filter((c) => c.user?.login === 'keyref[bot]');
    const res = await octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } } }>(
      'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
      { id: comments[0]!.node_id },
    );
    assert.equal(res.minimizeComment.minimizedComment.isMinimized, true);
    assert.equal(standin.repo('acme', 'web')!.reviewComments(5)[0]!.minimized, true);
    // The update half of keyref's minimize request: only the app's own comments can be edited.
    const update = 'mutation($id: ID!, $body: String!) { updatePullRequestReviewComment(input: { pullRequestReviewCommentId: $id, body: $body }) { pullRequestReviewComment { id } } }';
    const updated = await octokit.graphql<{ updatePullRequestReviewComment: { pullRequestReviewComment: { id: string } } }>(update, { id: comments[0]!.node_id, body: 'gone <!-- keyref:outdated -->' });
    assert.equal(updated.updatePullRequestReviewComment.pullRequestReviewComment.id, comments[0]!.node_id);
    assert.equal(standin.repo('acme', 'web')!.reviewComments(5)[0]!.body, 'gone <!-- keyref:outdated -->');
    await assert.rejects(octokit.graphql(update, { id: all[1]!.node_id, body: 'x' }), /Resource not accessible by integration/);
  });

  it('creates, updates and lists check runs; enforces 50 annotations per request', async () => {
    const octokit = client(standin.url);
    const { data: run } = await octokit.rest.checks.create({ owner: 'acme', repo: 'web', name: 'keyref', head_sha: head, status: 'in_progress' });
    const annotation = { path: 'deploy/new.yaml', start_line: 1, end_line: 1, annotation_level: 'failure' as const, message: 'm', title: 'secret-plaintext' };
    await assert.rejects(
      octokit.rest.checks.update({ owner: 'acme', repo: 'web', check_run_id: run.id, output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } }),
      (e: { status?: number }) => e.status === 422,
    );
    // GitHub's description says so too: the request breaks the contract (taken, so `close()` does not fail).
    assert.match(standin.takeContractViolations().flatMap((v) => v.problems).join('\n'), /annotations must NOT have more than 50 items/);
    await octokit.rest.checks.update({ owner: 'acme', repo: 'web', check_run_id: run.id, output: { title: 't', summary: 's', annotations: Array(50).fill(annotation) } });
    await octokit.rest.checks.update({ owner: 'acme', repo: 'web', check_run_id: run.id, conclusion: 'failure', output: { title: '1 error', summary: 's', annotations: [annotation] } });
    // Another app's `keyref` run on the same commit is listed too, unless the app asks for its own.
    const { data: both } = await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head, check_name: 'keyref' });
    assert.deepEqual(both.check_runs.map((c) => c.app?.id).sort(), [standin.options.appId, OTHER_APP.id].sort());
    const { data } = await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head, check_name: 'keyref', app_id: standin.options.appId });
    assert.equal(data.total_count, 1);
    assert.equal(data.check_runs[0]!.status, 'completed');
    assert.equal(data.check_runs[0]!.conclusion, 'failure');
    assert.equal(data.check_runs[0]!.output.annotations_count, 51);
    assert.equal(data.check_runs[0]!.output.title, '1 error');
    assert.equal(data.check_runs[0]!.app?.id, standin.options.appId);
    // filter=latest (default) shows the newest run of a name; filter=all every run
    await octokit.rest.checks.create({ owner: 'acme', repo: 'web', name: 'keyref', head_sha: head, status: 'in_progress' });
    // (another app's `keyref` and `lint` runs are on the same commit: 3 latest runs, 4 in all)
    assert.equal((await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head })).data.total_count, 3);
    assert.equal((await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head, filter: 'all' })).data.total_count, 4);
    assert.equal((await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head, app_id: standin.options.appId, filter: 'all' })).data.total_count, 2);
    assert.equal((await octokit.rest.checks.listForRef({ owner: 'acme', repo: 'web', ref: head, app_id: 1 })).data.total_count, 0);
  });

  it('serves .github/keyref.yml through context.config-style raw requests and 404s elsewhere', async () => {
    const octokit = new ProbotOctokit({ auth: { token: 'ghs_x' }, baseUrl: standin.url, log: quiet });
    const { config } = await octokit.config.get({ owner: 'acme', repo: 'web', path: '.github/keyref.yml' });
    assert.deepEqual(config, { rules: { 'secret-plaintext': 'warning' } });
    const cfg = standin.requests.filter((r) => r.path.includes('/contents/'));
    assert.equal(cfg.at(-1)!.path, '/repos/acme/web/contents/.github%2Fkeyref.yml');
    const other = standin.createRepo('acme', 'bare');
    other.commit({ 'a.yaml': 'x: 1\n' });
    const { config: none } = await octokit.config.get({ owner: 'acme', repo: 'bare', path: '.github/keyref.yml' });
    assert.deepEqual(none, {});
    // asked the repository, then the org's .github repository
    assert.ok(standin.requests.some((r) => r.path === '/repos/acme/.github/contents/.github%2Fkeyref.yml' && r.status === 404));
  });

  it('serves the GHES layout (REST under /api/v3, GraphQL under /api/graphql)', async () => {
    standin.clearRequests();
    const octokit = client(standin.ghesUrl);
    await octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 });
    await octokit.graphql('query { repository(owner: "acme", name: "web") { x: object(oid: "0000000000000000000000000000000000000000") { ... on Blob { text } } } }');
    assert.deepEqual(standin.requests.map((r) => [r.layout, r.path]), [['ghes', '/repos/acme/web/pulls/5'], ['ghes', '/graphql']]);
    const only = await startStandin({ layouts: ['ghes'] });
    try {
      only.createRepo('acme', 'web');
      await assert.rejects(client(only.url).rest.repos.get({ owner: 'acme', repo: 'web' }), (e: { status?: number }) => e.status === 404);
      await client(only.ghesUrl).rest.repos.get({ owner: 'acme', repo: 'web' });
    } finally {
      await only.close();
    }
  });

  it('injects faults: status N times, delay, connection reset; records requests', async () => {
    const octokit = client(standin.url);
    standin.clearRequests();
    const f = standin.fault({ match: /GET \/repos\/acme\/web\/pulls\/5$/, status: 503, times: 2 });
    await assert.rejects(octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 }), (e: { status?: number }) => e.status === 503);
    await assert.rejects(octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 }), (e: { status?: number }) => e.status === 503);
    await octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 });
    assert.equal(f.hits, 2);
    standin.fault({ match: 'pulls/5', status: 429, headers: { 'retry-after': '1' } });
    await assert.rejects(octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 }), (e: { status?: number; response?: { headers: Record<string, string> } }) => e.status === 429 && e.response?.headers['retry-after'] === '1');
    standin.fault({ match: 'pulls/5', delayMs: 150 });
    const t = performance.now();
    await octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 });
    assert.ok(performance.now() - t >= 140);
    standin.fault({ match: 'pulls/5', reset: true });
    await assert.rejects(octokit.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: 5 }));
    assert.deepEqual(standin.requests.map((r) => r.fault ?? r.status), ['status 503', 'status 503', 200, 'status 429', 'delay 150ms', 'reset']);
    assert.deepEqual([...standin.routeSummary()], [['GET /repos/acme/web/pulls/{n}', 6]]);
    standin.clearFaults();
  });

  it('rejects unauthenticated requests and unknown routes', async () => {
    const res = await fetch(`${standin.url}/repos/acme/web/pulls/5`);
    assert.equal(res.status, 401);
    await assert.rejects(client(standin.url).request('GET /repos/{o}/{r}/nope', { o: 'acme', r: 'web' }), (e: { status?: number }) => e.status === 404);
    assert.deepEqual(standin.takeContractViolations(), [
      { what: 'GET /repos/acme/web/nope', problems: ['api.github.com: no operation GET /repos/acme/web/nope', 'ghes-3.17: no operation GET /repos/acme/web/nope'] },
    ]);
  });

  it('builds pull_request webhook payloads and signs them as GitHub does', async () => {
    const event = standin.repo('acme', 'web')!.pullRequestEvent(5, 'opened');
    const payload = event.payload as { pull_request: { head: { sha: string } }; installation: { id: number } };
    assert.equal(payload.pull_request.head.sha, head);
    assert.equal(payload.installation.id, 77);
    const body = JSON.stringify(event.payload);
    assert.equal(await verify('s3cret', body, signWebhook('s3cret', body)), true);
  });
});
