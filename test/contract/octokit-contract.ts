/**
 * An Octokit plugin for the nock-based app tests: every request the app sends (REST and GraphQL, the
 * installation token exchange included) is checked against GitHub's published contract before nock
 * answers it. Violations are collected here and fail the test in `strictNock()`'s afterEach. The
 * answers are nock's (test fixtures), not checked: the stand-in's answers are (src/standin/contract.ts).
 */
import { describeProblems, loadContract } from '../../src/standin/contract.js';

/** Violations since the last `takeRequestViolations()`. */
const violations: string[] = [];

export function takeRequestViolations(): string[] {
  return violations.splice(0);
}

interface EndpointOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}

interface PluggableOctokit {
  hook: { before(name: 'request', fn: (options: EndpointOptions) => void): void };
  request: { endpoint: { parse(options: EndpointOptions): { method: string; url: string; body?: unknown } } };
}

/** `Octokit.plugin(contractPlugin)`. */
export function contractPlugin(octokit: unknown): void {
  const o = octokit as PluggableOctokit;
  o.hook.before('request', (options) => {
    const contract = loadContract();
    const { method, url, body } = o.request.endpoint.parse(options);
    const u = new URL(url);
    const path = u.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
    const problems =
      path === '/graphql' && method === 'POST'
        ? contract.checkGraphqlRequest(body)
        : contract.checkRequest(method, path, Object.fromEntries(u.searchParams), body);
    if (problems.length > 0) violations.push(describeProblems(`${method} ${path}`, problems));
  });
}

/** A webhook payload a test delivers (`probot.receive`), against the webhook schemas. */
export function checkWebhookPayload(name: string, payload: unknown): void {
  const problems = loadContract().checkWebhook(name, payload);
  if (problems.length > 0) violations.push(describeProblems(`webhook ${name}.${String((payload as { action?: unknown })?.action)}`, problems));
}
