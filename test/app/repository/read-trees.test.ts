import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBlobCache, readTrees } from '../../../src/app/repository/index.js';
import { startStandin, type Standin } from '../../../src/standin/index.js';
import { ProbotOctokit } from 'probot';
import { manifest, octokitFor } from './helpers.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function repoFiles(n: number): Record<string, string> {
  const files: Record<string, string> = { 'LICENSE': 'Apache-2.0\n', 'src/main.go': 'package main\n' };
  for (let i = 0; i < n; i++) files[`k8s/app-${i % 7}/cm-${i}.yaml`] = manifest(i);
  return files;
}

describe('readTrees against the stand-in', () => {
  let standin: Standin;
  before(async () => {
    standin = await startStandin();
  });
  after(async () => {
    await standin.close();
  });

  it('reads candidate manifests of base and head, sharing blobs, with few requests', async () => {
    const repo = standin.createRepo('acme', 'small');
    const files = repoFiles(10);
    const base = repo.commit(files);
    const head = repo.commit({ ...files, 'k8s/app-0/cm-0.yaml': manifest(0, '  extra: yes\n'), 'k8s/new.yml': manifest(99) });
    const octokit = octokitFor(standin.url);
    const cache = createBlobCache(1 << 20);
    standin.clearRequests();
    const cold = await readTrees(octokit, { owner: 'acme', repo: 'small', baseSha: base, headSha: head }, { cache });
    assert.equal(cold.base.length, 10);
    assert.equal(cold.head.length, 11);
    assert.ok(cold.head.every((f) => f.path !== 'LICENSE' && !f.path.endsWith('.go')));
    assert.match(cold.head.find((f) => f.path === 'k8s/app-0/cm-0.yaml')!.text, /extra: yes/);
    // two tree listings + one GraphQL batch (12 distinct blobs)
    assert.equal(cold.requestCount, 3);
    assert.equal(standin.count(), 3);
    assert.equal(standin.count('POST /graphql'), 1);
    assert.deepEqual(cold.notes, []);

    standin.clearRequests();
    const warm = await readTrees(octokit, { owner: 'acme', repo: 'small', baseSha: base, headSha: head }, { cache });
    assert.equal(warm.requestCount, 0);
    assert.equal(standin.count(), 0);
    assert.deepEqual(warm.head, cold.head);

    // next push: only the new tree and the changed blob
    const head2 = repo.commit({ ...files, 'k8s/new.yml': manifest(100) });
    standin.clearRequests();
    const next = await readTrees(octokit, { owner: 'acme', repo: 'small', baseSha: base, headSha: head2 }, { cache });
    assert.equal(next.requestCount, 2);
    const gql = standin.requests.find((r) => r.path === '/graphql')!;
    assert.equal(((gql.body as { query: string }).query.match(/object\(oid/g) ?? []).length, 1);
  });

  it('cold request count grows by about one per 100 manifests', async () => {
    const repo = standin.createRepo('acme', 'big');
    const files = repoFiles(1000);
    const sha = repo.commit(files);
    standin.clearRequests();
    const r = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'big', baseSha: sha, headSha: sha });
    assert.equal(r.base.length, 1000);
    assert.deepEqual(r.head, r.base);
    assert.equal(r.requestCount, 1 + 10);
    assert.equal(standin.count(), 11);
  });

  it('falls back to per-subtree listings when the recursive listing is truncated', async () => {
    const small = await startStandin({ truncateTreesAt: 20 });
    try {
      const repo = small.createRepo('acme', 'wide');
      const files = repoFiles(30);
      files['deep/a/b/c/d.yaml'] = manifest(500);
      const sha = repo.commit(files);
      const octokit = octokitFor(small.url);
      const cache = createBlobCache();
      const r = await readTrees(octokit, { owner: 'acme', repo: 'wide', baseSha: sha, headSha: sha }, { cache });
      assert.equal(r.base.length, 31);
      assert.ok(r.base.some((f) => f.path === 'deep/a/b/c/d.yaml'));
      assert.ok(r.notes.some((n) => /truncated/.test(n)));
      // every subtree listed, each at most once
      const treeReqs = small.requests.filter((q) => q.path.includes('/git/trees/'));
      assert.ok(treeReqs.length >= 3);
      // the next push changes one subtree: unchanged subtrees come from the cache
      files['deep/a/b/c/d.yaml'] = manifest(501);
      const sha2 = repo.commit(files);
      small.clearRequests();
      const r2 = await readTrees(octokit, { owner: 'acme', repo: 'wide', baseSha: sha, headSha: sha2 }, { cache });
      assert.equal(r2.head.find((f) => f.path === 'deep/a/b/c/d.yaml')?.text, manifest(501));
      assert.ok(r2.requestCount <= 4, `requests ${r2.requestCount}`);
    } finally {
      await small.close();
    }
  });

  it('reads blobs whose GraphQL text is truncated through the git blobs API, skips oversize and binary files', async () => {
    const limited = await startStandin({ graphqlTextLimit: 1000 });
    try {
      const repo = limited.createRepo('acme', 'sizes');
      const long = manifest(1, `  big: "${'x'.repeat(3000)}"\n`);
      const sha = repo.commit({
        'long.yaml': long,
        'huge.yaml': manifest(2, `  huge: "${'y'.repeat(5000)}"\n`),
        'bin.yaml': Buffer.from([0x61, 0x00, 0x62]),
        'latin1.json': Buffer.from([0x7b, 0xe9, 0x7d]),
        'ok.yaml': manifest(3),
      });
      const r = await readTrees(octokitFor(limited.url), { owner: 'acme', repo: 'sizes', baseSha: sha, headSha: sha }, { maxBlobBytes: 4096 });
      assert.deepEqual(r.base.map((f) => f.path), ['long.yaml', 'ok.yaml']);
      assert.equal(r.base[0]!.text, long);
      assert.equal(limited.count(/GET .*\/git\/blobs\//), 2); // long.yaml, latin1.json (invalid UTF-8 text is binary)
      assert.ok(r.notes.some((n) => /over 4096 bytes: huge\.yaml/.test(n)), r.notes.join('\n'));
      assert.ok(r.notes.some((n) => /binary.*bin\.yaml/.test(n)), r.notes.join('\n'));
      assert.ok(r.notes.some((n) => /latin1\.json/.test(n)), r.notes.join('\n'));
      assert.ok(!r.notes.join('\n').includes('xxxx'));
    } finally {
      await limited.close();
    }
  });

  it('reads kustomize generator inputs in a second batch, and notes the missing ones', async () => {
    const repo = standin.createRepo('acme', 'kustomize');
    const sha = repo.commit({
      'overlays/prod/kustomization.yaml':
        'configMapGenerator:\n  - name: app\n    envs: [app.env]\n    files: [nginx.conf, missing.conf]\nresources: [deploy.yaml]\n',
      'overlays/prod/app.env': 'LOG_LEVEL=info\n',
      'overlays/prod/nginx.conf': 'server {}\n',
      'overlays/prod/deploy.yaml': manifest(1),
      'overlays/prod/unrelated.conf': 'x\n',
    });
    standin.clearRequests();
    const r = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'kustomize', baseSha: sha, headSha: sha });
    assert.deepEqual(r.base.map((f) => f.path), ['overlays/prod/app.env', 'overlays/prod/deploy.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/nginx.conf']);
    assert.equal(r.requestCount, 3); // one tree listing (same commit), two GraphQL batches
    assert.equal(standin.count('POST /graphql'), 2);
    assert.ok(r.notes.some((n) => /not in the repository: overlays\/prod\/missing\.conf/.test(n)), r.notes.join('\n'));
  });

  it('shares blob texts across repositories but never tree listings', async () => {
    const files = repoFiles(20);
    const a = standin.createRepo('acme', 'twin-a').commit(files);
    const b = standin.createRepo('other', 'twin-b').commit(files);
    assert.equal(a, b);
    const octokit = octokitFor(standin.url);
    const cache = createBlobCache();
    await readTrees(octokit, { owner: 'acme', repo: 'twin-a', baseSha: a, headSha: a }, { cache });
    standin.clearRequests();
    const r = await readTrees(octokit, { owner: 'other', repo: 'twin-b', baseSha: b, headSha: b }, { cache });
    assert.equal(r.base.length, 20);
    assert.equal(r.requestCount, 1);
    assert.deepEqual(standin.requests.map((q) => `${q.method} ${q.path}`), [`GET /repos/other/twin-b/git/trees/${b}`]);
  });

  it('rides out a 5xx burst with the app client\'s retries', async () => {
    const repo = standin.createRepo('acme', 'flaky');
    const sha = repo.commit(repoFiles(3));
    const octokit = new ProbotOctokit({ auth: { token: 'ghs_x' }, baseUrl: standin.url, log: quiet, retry: { retryAfterBaseValue: 10 } });
    standin.fault({ match: 'POST /graphql', status: 502 });
    standin.fault({ match: '/git/trees/', status: 500 });
    const r = await readTrees(octokit, { owner: 'acme', repo: 'flaky', baseSha: sha, headSha: sha });
    assert.equal(r.base.length, 3);
    standin.clearFaults();
  });

  it('uses the partial data of a GraphQL answer with errors', async () => {
    const repo = standin.createRepo('acme', 'partial');
    const sha = repo.commit({ 'a.yaml': manifest(1) });
    standin.fault({ match: 'POST /graphql', status: 200, body: { data: { repository: { b0: null } }, errors: [{ type: 'NOT_FOUND', message: 'gone' }] } });
    const cache = createBlobCache();
    const r = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'partial', baseSha: sha, headSha: sha }, { cache });
    assert.deepEqual(r.base, []);
    assert.ok(r.notes.some((n) => /could not read 1 file\(s\): a\.yaml/.test(n)), r.notes.join('\n'));
    standin.clearFaults();
    // not remembered as missing: the next review reads it
    const again = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'partial', baseSha: sha, headSha: sha }, { cache });
    assert.equal(again.base.length, 1);
  });

  it('serves the GHES layout too', async () => {
    const repo = standin.createRepo('acme', 'ghes');
    const sha = repo.commit(repoFiles(5));
    standin.clearRequests();
    const r = await readTrees(octokitFor(standin.ghesUrl), { owner: 'acme', repo: 'ghes', baseSha: sha, headSha: sha });
    assert.equal(r.base.length, 5);
    assert.ok(standin.requests.every((q) => q.layout === 'ghes'));
  });

  it('fails loudly on an API error (the app turns it into a completed check run)', async () => {
    const repo = standin.createRepo('acme', 'faulty');
    const sha = repo.commit(repoFiles(3));
    standin.fault({ match: 'POST /graphql', status: 502 });
    await assert.rejects(readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'faulty', baseSha: sha, headSha: sha }), /502|stand-in/);
    standin.clearFaults();
  });
});

describe('createBlobCache', () => {
  it('is bounded by bytes and evicts the least recently used', () => {
    const cache = createBlobCache(8000);
    cache.setBlob('a', { text: 'x'.repeat(1500) });
    cache.setBlob('b', { text: 'y'.repeat(1500) });
    assert.ok(cache.getBlob('a'));
    cache.setBlob('c', { text: 'z'.repeat(1500) });
    assert.ok(cache.bytes <= 8000);
    assert.equal(cache.getBlob('b'), undefined);
    assert.ok(cache.getBlob('a'));
    cache.setBlob('huge', { text: 'h'.repeat(10000) });
    assert.equal(cache.getBlob('huge'), undefined);
    assert.ok(cache.bytes <= 8000);
  });
});

it('a large listing keeps only what a review can read: candidates, docs and scripts (out-of-band evidence), and files under kustomization folders', async () => {
  const { keepReadable } = await import('../../../src/app/repository/index.js');
  const e = (path: string) => ({ path, sha: 'a'.repeat(40), size: 1 });
  const kept = keepReadable([
    e('src/main.go'),
    e('docs/readme.md'),
    e('deploy/web.yaml'),
    e('apps/api/kustomization.yaml'),
    e('apps/api/app.env'),
    e('apps/api/config/nginx.conf'),
    e('apps/apiary/logo.png'),
    e('node_modules/x/package.json'),
  ]).map((x) => x.path);
  assert.deepEqual(kept, ['docs/readme.md', 'deploy/web.yaml', 'apps/api/kustomization.yaml', 'apps/api/app.env', 'apps/api/config/nginx.conf']);
  // A kustomization at the root may read any file: everything is kept.
  assert.equal(keepReadable([e('kustomization.yaml'), e('src/main.go')]).length, 2);
});
