#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (Node 20 has no glob support in --test).
// Usage: node scripts/test.mjs [path-substring ...]   (filters test files)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}
const filters = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const reporter = process.env.CI ? ['--test-reporter=spec'] : [];
// Each test process appends what it checked against GitHub's published contract (src/standin/contract.ts) here.
const reportDir = mkdtempSync(join(tmpdir(), 'keyref-contract-'));
const report = join(reportDir, 'counts.jsonl');
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...reporter, ...files], {
  stdio: 'inherit',
  env: { ...process.env, KEYREF_CONTRACT_REPORT: report },
});
const total = { requests: 0, responses: 0, graphql: 0, webhooks: 0 };
try {
  for (const line of readFileSync(report, 'utf8').split('\n').filter(Boolean)) {
    const counts = JSON.parse(line);
    for (const k of Object.keys(total)) total[k] += counts[k] ?? 0;
  }
} catch {
  // no test process checked anything
}
rmSync(reportDir, { recursive: true, force: true });
console.log(
  `contract: ${total.requests} requests, ${total.responses} responses, ${total.graphql} GraphQL documents, ${total.webhooks} webhook payloads validated ` +
    '(OpenAPI: api.github.com + GHES 3.17; GraphQL: @octokit/graphql-schema)',
);
process.exit(result.status ?? 1);
