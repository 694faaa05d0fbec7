import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbotOctokit } from 'probot';
import { githubUrls } from '../../src/app/runtime/index.js';

test('github.com by default', () => {
  assert.deepEqual(githubUrls({}), {
    host: 'github.com',
    enterprise: false,
    web: 'https://github.com',
    rest: 'https://api.github.com',
    graphql: 'https://api.github.com/graphql',
  });
});

test('GHE_HOST and GHE_PROTOCOL give the GHES layout', () => {
  assert.deepEqual(githubUrls({ GHE_HOST: 'ghe.example.com/', GHE_PROTOCOL: 'http' }), {
    host: 'ghe.example.com',
    enterprise: true,
    web: 'http://ghe.example.com',
    rest: 'http://ghe.example.com/api/v3',
    graphql: 'http://ghe.example.com/api/graphql',
  });
  assert.equal(githubUrls({ GHE_HOST: 'ghe.example.com:8443' }).rest, 'https://ghe.example.com:8443/api/v3');
});

test("Probot's Octokit, given the REST base URL, sends REST and GraphQL requests where githubUrls says", async () => {
  const urls = githubUrls({ GHE_HOST: 'ghe.example.com' });
  const seen: string[] = [];
  const fetch = async (url: string | URL) => {
    seen.push(String(url));
    const body = String(url).endsWith('/graphql') ? { data: { viewer: { login: 'x' } } } : { login: 'x' };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const octokit = new ProbotOctokit({ baseUrl: urls.rest, request: { fetch }, retry: { enabled: false }, throttle: { enabled: false } });
  await octokit.request('GET /user');
  await octokit.graphql('{ viewer { login } }');
  assert.deepEqual(seen, [`${urls.rest}/user`, urls.graphql]);
});
