// Which configuration files a review reads (src/app/config/load-repo-config.ts through Probot's config
// plugin and keyref's conditional reads in src/app/octokit.ts): the owner's `.github` repository only when
// it can change the result, re-reads conditional (ETag), a missing owner-wide file remembered for a minute.
// Every request is mocked; an unexpected one fails the test (strictNock).
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import { API, strictNock } from './helpers.js';
import { forgetConditionalReads, KeyrefOctokit } from '../../src/app/octokit.js';
import { loadRepoConfig } from '../../src/app/config/load-repo-config.js';
import type { Octokit } from '../../src/app/types.js';

strictNock();
beforeEach(() => forgetConditionalReads());

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const octokit = () => new KeyrefOctokit({ auth: { token: 'ghs_test' }, log: quiet, throttle: { enabled: false }, retry: { enabled: false } } as never) as unknown as Octokit;
const repoFile = (repo: string) => `/repos/acme/${repo}/contents/.github%2Fkeyref.yml`;
const ORG_FILE = '/repos/acme/.github/contents/.github%2Fkeyref.yml';
const yaml = { 'content-type': 'text/plain; charset=utf-8' };

test("a repository with its own configuration: the owner's .github repository is not read", async () => {
  const scope = nock(API).get(repoFile('web')).reply(200, 'app:\n  conclusionOnWarnings: neutral\n', yaml);
  const loaded = await loadRepoConfig(octokit(), { owner: 'acme', repo: 'web' });
  assert.ok(loaded.ok);
  assert.equal(loaded.config.app.conclusionOnWarnings, 'neutral');
  assert.deepEqual(scope.pendingMocks(), []);
});

test("a repository configuration that extends the owner's: both are read, the repository's top-level settings win (shallow merge)", async () => {
  const scope = nock(API)
    .get(repoFile('web'))
    .reply(200, '_extends: .github\napp:\n  conclusionOnWarnings: neutral\n', yaml)
    .get(ORG_FILE)
    .reply(200, 'app:\n  conclusionOnWarnings: failure\nexclude: ["vendor/**"]\n', yaml);
  const loaded = await loadRepoConfig(octokit(), { owner: 'acme', repo: 'web' });
  assert.ok(loaded.ok);
  assert.equal(loaded.config.app.conclusionOnWarnings, 'neutral');
  assert.deepEqual(loaded.config.exclude, ['vendor/**']);
  assert.deepEqual(scope.pendingMocks(), []);
});

test("no repository configuration: the owner's is read; its absence is remembered for the owner's next reviews", async () => {
  const scope = nock(API)
    .get(repoFile('web'))
    .reply(404, { message: 'Not Found' })
    .get(ORG_FILE)
    .reply(404, { message: 'Not Found' })
    .get(repoFile('api'))
    .reply(404, { message: 'Not Found' })
    .get(repoFile('web'))
    .reply(404, { message: 'Not Found' });
  const client = octokit();
  for (const repo of ['web', 'api', 'web']) {
    const loaded = await loadRepoConfig(client, { owner: 'acme', repo });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.app.inlineComments, true); // the defaults
  }
  // One read of the owner's file for three reviews; each repository's own file on every review.
  assert.deepEqual(scope.pendingMocks(), []);
});

test("the owner's configuration, when it exists, is re-read conditionally: a 304 costs no rate limit and gives the same settings", async () => {
  const seen: (string | undefined)[] = [];
  const scope = nock(API)
    .get(repoFile('web'))
    .times(2)
    .reply(404, { message: 'Not Found' })
    .get(ORG_FILE)
    .reply(function () {
      seen.push(this.req.headers['if-none-match'] as string | undefined);
      return [200, 'app:\n  inlineComments: false\n', { ...yaml, etag: '"org-1"' }];
    })
    .get(ORG_FILE)
    .reply(function () {
      seen.push(this.req.headers['if-none-match'] as string | undefined);
      return [304, '', { etag: '"org-1"' }];
    });
  const client = octokit();
  for (let i = 0; i < 2; i++) {
    const loaded = await loadRepoConfig(client, { owner: 'acme', repo: 'web' });
    assert.ok(loaded.ok);
    assert.equal(loaded.config.app.inlineComments, false);
  }
  assert.deepEqual(seen, [undefined, '"org-1"']);
  assert.deepEqual(scope.pendingMocks(), []);
});
