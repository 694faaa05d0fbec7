// How keyref's Octokit paces requests (src/app/octokit.ts): read-only GraphQL queries are not queued
// behind writes; writes are still spaced by the throttling plugin's write limiter; a secondary rate
// limit with retry-after is still waited out and retried. Order and counts only, no timed assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nock from 'nock';
import { API, strictNock } from './helpers.js';
import { KeyrefOctokit, isReadOnlyGraphql } from '../../src/app/octokit.js';

strictNock();

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const READ = 'query ($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { b0: object(oid: "abc") { ... on Blob { text } } } }';
const MUTATION = 'mutation m($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }';

// GitHub answers a secondary limit with 403 or 429 and a message saying so (documented; the throttling plugin keys on it).
const secondary = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };

function client(id: string, warnings: string[] = []) {
  const log = { ...quiet, warn: (m: string) => void warnings.push(m) };
  // A throttle id of its own per test: the plugin's limiters are per id and process-wide.
  return new KeyrefOctokit({ auth: { token: 'ghs_test' }, log, throttle: { id, fallbackSecondaryRateRetryAfter: 1 }, retry: { enabled: false } } as never);
}

test('isReadOnlyGraphql: only a plain query is a read; mutations, subscriptions, REST and odd bodies are paced as writes', () => {
  const post = (query: unknown, url = '/graphql') => ({ method: 'POST', url, query });
  assert.equal(isReadOnlyGraphql(post(READ)), true);
  assert.equal(isReadOnlyGraphql(post('{ viewer { login } }')), true);
  assert.equal(isReadOnlyGraphql(post(READ, 'https://ghe.example/api/graphql')), true);
  assert.equal(isReadOnlyGraphql(post(MUTATION)), false);
  assert.equal(isReadOnlyGraphql(post('subscription { x }')), false);
  assert.equal(isReadOnlyGraphql(post('query a { x } mutation b { y }')), false);
  assert.equal(isReadOnlyGraphql(post(undefined)), false);
  assert.equal(isReadOnlyGraphql(post(READ, '/repos/o/r/check-runs')), false);
  assert.equal(isReadOnlyGraphql({ method: 'GET', url: '/graphql', query: READ }), false);
});

test('a read-only GraphQL query is not queued behind writes; the second write still waits for the write limiter', async () => {
  const octokit = client('pacing-order');
  const seen: string[] = [];
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let readAnswered = false;
  let secondWriteSeenBeforeRead = false;
  nock(API)
    .post('/repos/o/r/check-runs', (b) => b.name === 'w1')
    .reply(async () => {
      seen.push('w1');
      await firstHeld; // the first write is still in flight when the read and the second write are sent
      return [201, { id: 1 }];
    })
    .post('/repos/o/r/check-runs', (b) => b.name === 'w2')
    .reply(() => {
      seen.push('w2');
      if (!readAnswered) secondWriteSeenBeforeRead = true;
      return [201, { id: 2 }];
    })
    .post('/graphql', (b) => b.query === READ)
    .reply(() => {
      seen.push('read');
      return [200, { data: { repository: { b0: { text: 'x' } } } }];
    });

  // Sent in the order write, write, read: with every /graphql request in the write queue (the plugin's
  // default), the read would reach GitHub after both writes.
  const w1 = octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'w1', head_sha: 'a' });
  const w2 = octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'w2', head_sha: 'a' });
  const read = await octokit.graphql<{ repository: { b0: { text: string } } }>(READ, { owner: 'o', name: 'r' });
  readAnswered = true;
  assert.equal(read.repository.b0.text, 'x');
  assert.deepEqual(seen, ['w1', 'read'], 'the read was answered while the first write was in flight and before the second write was sent');
  releaseFirst();
  await Promise.all([w1, w2]);
  assert.deepEqual(seen, ['w1', 'read', 'w2']);
  assert.equal(secondWriteSeenBeforeRead, false);
});

test('mutations are still paced as writes: a mutation sent after a write reaches GitHub after the write limiter lets it go', async () => {
  const octokit = client('pacing-mutation');
  const seen: string[] = [];
  nock(API)
    .post('/repos/o/r/check-runs')
    .reply(() => {
      seen.push('write');
      return [201, { id: 1 }];
    })
    .post('/graphql', (b) => typeof b.query === 'string' && b.query.startsWith('mutation'))
    .reply(() => {
      seen.push('mutation');
      return [200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } }];
    })
    .post('/graphql', (b) => b.query === READ)
    .reply(() => {
      seen.push('read');
      return [200, { data: { repository: { b0: null } } }];
    });
  const write = octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'w', head_sha: 'a' });
  const mutation = octokit.graphql(MUTATION, { id: 'n1' });
  const read = octokit.graphql(READ, { owner: 'o', name: 'r' });
  await Promise.all([write, mutation, read]);
  // The read overtakes the mutation, which waits its turn in the write queue.
  assert.deepEqual(seen, ['write', 'read', 'mutation']);
});

test('a secondary rate limit on a read-only GraphQL query is waited out (retry-after) and retried', async () => {
  const warnings: string[] = [];
  const octokit = client('pacing-secondary-read', warnings);
  nock(API)
    .post('/graphql')
    .reply(403, secondary, { 'retry-after': '1' })
    .post('/graphql')
    .reply(200, { data: { repository: { b0: { text: 'ok' } } } });
  const data = await octokit.graphql<{ repository: { b0: { text: string } } }>(READ, { owner: 'o', name: 'r' });
  assert.equal(data.repository.b0.text, 'ok');
  assert.deepEqual(warnings, ['Secondary rate limit on POST /graphql: retrying in 1 s (retry 1 of 2)']);
});

test('a secondary rate limit on a write is waited out (retry-after) and retried', async () => {
  const warnings: string[] = [];
  const octokit = client('pacing-secondary-write', warnings);
  nock(API)
    .post('/repos/o/r/check-runs')
    .reply(403, secondary, { 'retry-after': '1' })
    .post('/repos/o/r/check-runs')
    .reply(201, { id: 9 });
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'w', head_sha: 'a' });
  assert.equal(data.id, 9);
  assert.deepEqual(warnings, ['Secondary rate limit on POST /repos/{owner}/{repo}/check-runs: retrying in 1 s (retry 1 of 2)']);
});

test('conditional re-reads of a file: If-None-Match with the kept ETag, a 304 answered from the kept response', async () => {
  const octokit = client('conditional');
  const path = '/repos/o/r/contents/.github%2Fkeyref.yml';
  const headers: (string | undefined)[] = [];
  nock(API)
    .get(path)
    .reply(function () {
      headers.push(this.req.headers['if-none-match'] as string | undefined);
      return [200, 'rules: {}\n', { etag: '"v1"', 'content-type': 'text/plain' }];
    })
    .get(path)
    .reply(function () {
      headers.push(this.req.headers['if-none-match'] as string | undefined);
      return [304, '', { etag: '"v1"' }];
    })
    .get(path)
    .reply(function () {
      headers.push(this.req.headers['if-none-match'] as string | undefined);
      return [200, 'rules: {a: 1}\n', { etag: '"v2"', 'content-type': 'text/plain' }];
    });
  const read = () => octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: 'o', repo: 'r', path: '.github/keyref.yml', mediaType: { format: 'raw' } });
  assert.equal((await read()).data, 'rules: {}\n');
  const second = await read();
  assert.equal(second.status, 200);
  assert.equal(second.data, 'rules: {}\n');
  // The file changed: GitHub answers 200 with the new text (the kept ETag no longer matches).
  assert.equal((await read()).data, 'rules: {a: 1}\n');
  assert.deepEqual(headers, [undefined, '"v1"', '"v1"']);
});

test('a 429 secondary rate limit with retry-after is waited out and retried; past the retries the error reaches the caller', async () => {
  const warnings: string[] = [];
  const octokit = client('pacing-429', warnings);
  nock(API)
    .post('/repos/o/r/pulls/1/reviews')
    .reply(429, secondary, { 'retry-after': '1' })
    .post('/repos/o/r/pulls/1/reviews')
    .reply(200, { id: 3 });
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: 'o', repo: 'r', pull_number: 1, event: 'COMMENT' });
  assert.equal(data.id, 3);
  assert.deepEqual(warnings, ['Secondary rate limit on POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews: retrying in 1 s (retry 1 of 2)']);

  // Three answers in a row: two retries, then the caller gets the 429 (the review handler then completes the check run as an error).
  const giveUp: string[] = [];
  const limited = client('pacing-429-give-up', giveUp);
  nock(API).post('/repos/o/r/pulls/1/reviews').times(3).reply(429, secondary, { 'retry-after': '1' });
  await assert.rejects(
    limited.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner: 'o', repo: 'r', pull_number: 1, event: 'COMMENT' }),
    (error: { status?: number }) => error.status === 429,
  );
  assert.equal(giveUp.length, 3);
  assert.match(giveUp[2]!, /giving up after 2 retries/);
});

test('a retry-after longer than MAX_RATE_LIMIT_WAIT_SECONDS is not waited for', async () => {
  const warnings: string[] = [];
  const octokit = client('pacing-long-wait', warnings);
  nock(API).post('/graphql').reply(403, secondary, { 'retry-after': '3600' });
  await assert.rejects(octokit.graphql(READ, { owner: 'o', name: 'r' }), (error: { status?: number }) => error.status === 403);
  assert.deepEqual(warnings, ['Secondary rate limit on POST /graphql: giving up after 0 retries (retry-after 3600 s)']);
});
