/**
 * The contract checker itself: it must fire on what GitHub's descriptions forbid and stay quiet on what
 * they allow, or the checks wired into the stand-in and the nock tests prove nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { loadContract } from '../../src/standin/contract.js';
import { contractPlugin, takeRequestViolations } from './octokit-contract.js';

const contract = loadContract();
const SHA = 'a'.repeat(40);
const MINIMIZE = {
  query:
    'mutation keyrefMinimize($id0: ID!, $body0: String!) {\n  m0: minimizeComment(input: { subjectId: $id0, classifier: OUTDATED }) { minimizedComment { isMinimized } }\n  u0: updatePullRequestReviewComment(input: { pullRequestReviewCommentId: $id0, body: $body0 }) { pullRequestReviewComment { id } }\n}',
  variables: { id0: 'PRRC_1', body0: 'gone' },
};
const BLOBS = {
  query: `query ($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { b0: object(oid: "${SHA}") { ... on Blob { text isBinary byteSize isTruncated } } } }`,
  variables: { owner: 'acme', name: 'web' },
};

describe('GitHub contract: REST requests', () => {
  it('accepts what the app sends', () => {
    assert.deepEqual(contract.checkRequest('POST', '/repos/acme/web/check-runs', {}, { name: 'keyref', head_sha: SHA, status: 'in_progress', started_at: '2026-01-01T00:00:00Z' }), []);
    assert.deepEqual(contract.checkRequest('GET', `/repos/acme/web/commits/${SHA}/check-runs`, { check_name: 'keyref', filter: 'latest', app_id: '1', per_page: '100' }, undefined), []);
    assert.deepEqual(contract.checkRequest('GET', '/repos/acme/web/contents/.github%2Fkeyref.yml', {}, undefined), []);
  });

  it('rejects a missing required field, a wrong enum value, an unknown query parameter and an unknown route, in both descriptions', () => {
    const missing = contract.checkRequest('POST', '/repos/acme/web/check-runs', {}, { name: 'keyref' });
    assert.deepEqual(missing.map((p) => p.split(' ')[0]), ['api.github.com', 'ghes-3.17']);
    assert.match(missing[0]!, /must have required property 'head_sha'/);
    assert.match(contract.checkRequest('PATCH', '/repos/acme/web/check-runs/1', {}, { conclusion: 'passed' }).join('\n'), /conclusion must be equal to one of the allowed values/);
    assert.match(contract.checkRequest('GET', '/repos/acme/web/pulls/1/files', { per_page: 'many', sort: 'x' }, undefined).join('\n'), /per_page\/value must be integer[\s\S]*unknown query parameter sort/);
    assert.match(contract.checkRequest('GET', '/repos/acme/web/nope', {}, undefined).join('\n'), /no operation GET/);
    assert.match(contract.checkRequest('PATCH', '/repos/acme/web/check-runs/1', {}, { output: { title: 't', summary: 's', annotations: Array(51).fill({ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }) } }).join('\n'), /more than 50 items/);
  });
});

describe('GitHub contract: REST responses', () => {
  it('holds responses to the declared status and schema, with OpenAPI 3.0 `nullable`', () => {
    const run = {
      id: 1, node_id: 'CR_1', head_sha: SHA, name: 'keyref', url: 'http://x/r', html_url: null, details_url: null, status: 'completed', conclusion: 'success',
      started_at: null, completed_at: null, external_id: null, check_suite: null, output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: 'http://x/a' }, app: null, pull_requests: [],
    };
    assert.deepEqual(contract.checkResponse('GET', '/repos/acme/web/check-runs/1', 200, run), []);
    assert.match(contract.checkResponse('GET', '/repos/acme/web/check-runs/1', 200, { ...run, conclusion: 'passed' }).join('\n'), /conclusion must be equal to one of the allowed values/);
    assert.match(contract.checkResponse('GET', '/repos/acme/web/check-runs/1', 200, { ...run, name: null }).join('\n'), /name must be string/);
    assert.match(contract.checkResponse('POST', '/repos/acme/web/check-runs', 200, run).join('\n'), /status not declared/);
  });
});

describe('GitHub contract: GraphQL', () => {
  it("accepts keyref's blob batch and minimize mutation with their variables", () => {
    assert.deepEqual(contract.checkGraphqlRequest(BLOBS), []);
    assert.deepEqual(contract.checkGraphqlRequest(MINIMIZE), []);
  });

  it('rejects unknown fields, missing or mistyped variables and undeclared ones', () => {
    assert.match(contract.checkGraphqlRequest({ query: 'query { viewer { loginName } }' }).join('\n'), /Cannot query field "loginName"/);
    assert.match(contract.checkGraphqlRequest({ ...MINIMIZE, variables: { id0: 'x' } }).join('\n'), /\$body0/);
    assert.match(contract.checkGraphqlRequest({ ...MINIMIZE, variables: { id0: 'x', body0: 3 } }).join('\n'), /\$body0/);
    assert.match(contract.checkGraphqlRequest({ ...MINIMIZE, variables: { ...MINIMIZE.variables, extra: 1 } }).join('\n'), /\$extra is not declared/);
    assert.match(contract.checkGraphqlRequest({ query: 'mutation { minimizeComment(input: { subjectId: "x", classifier: STALE }) { clientMutationId } }' }).join('\n'), /STALE/);
  });

  it('holds answers to exactly the selected fields, with their types and nullability', () => {
    const blob = { text: 'a', isBinary: false, byteSize: 1, isTruncated: false };
    assert.deepEqual(contract.checkGraphqlResponse(BLOBS, { data: { repository: { b0: blob } } }), []);
    assert.deepEqual(contract.checkGraphqlResponse(BLOBS, { data: { repository: { b0: null } } }), []);
    assert.notDeepEqual(contract.checkGraphqlResponse(BLOBS, { data: { repository: { b0: { ...blob, isTruncated: null } } } }), []);
    assert.notDeepEqual(contract.checkGraphqlResponse(BLOBS, { data: { repository: { b0: { ...blob, oid: SHA } } } }), []);
    assert.notDeepEqual(contract.checkGraphqlResponse(MINIMIZE, { data: { m0: { minimizedComment: { isMinimized: true, minimizedReason: 'outdated' } }, u0: null } }), []);
    assert.deepEqual(contract.checkGraphqlResponse(MINIMIZE, { data: { m0: { minimizedComment: { isMinimized: true } }, u0: { pullRequestReviewComment: { id: 'PRRC_1' } } } }), []);
  });
});

describe('GitHub contract: webhooks', () => {
  it('checks payloads against the webhook schemas, and says when a description has no such webhook', () => {
    assert.match(contract.checkWebhook('pull_request', { action: 'opened', number: 1 }).join('\n'), /required property 'pull_request'/);
    assert.match(contract.checkWebhook('pull_request', { action: 'teleported' }).join('\n'), /no webhook pull_request.teleported/);
  });
});

describe('GitHub contract: the nock-based app tests', () => {
  it('records a request the app sends outside the contract (strictNock fails the test with it)', async () => {
    nock.disableNetConnect();
    try {
      nock('https://api.github.com').post('/repos/acme/web/check-runs').reply(201, { id: 1 });
      const octokit = new (Octokit.plugin(contractPlugin))({ auth: 'ghs_x' });
      await octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'web', name: 'keyref', status: 'running' } as never);
      const violations = takeRequestViolations();
      assert.equal(violations.length, 1);
      assert.match(violations[0]!, /POST \/repos\/acme\/web\/check-runs breaks GitHub's published contract[\s\S]*head_sha[\s\S]*status must be equal to one of the allowed values/);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});
