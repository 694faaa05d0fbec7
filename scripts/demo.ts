/**
 * `npm run demo` — replays a bundled pull request (fixtures/demo-pr) through the real keyref app:
 * a signed `pull_request.opened` webhook is POSTed to the app's HTTP endpoint, and the app talks to a
 * local stand-in for the GitHub API (no GitHub account, app or network needed; the app key is a
 * throwaway RSA key made in-process). Prints the check run and the review the app posted.
 *
 *   npm run demo               github.com API layout
 *   npm run demo -- --ghes     GitHub Enterprise Server layout (/api/v3, /api/graphql)
 *   npm run demo -- --requests also list every API request the app made
 */
import { fileURLToPath } from 'node:url';
import { createKeyrefApp } from '../src/app/index.js';
import { startAppHarness } from '../src/standin/app-harness.js';
import { startStandin, type CheckRun, type Review } from '../src/standin/index.js';

const args = new Set(process.argv.slice(2));
const ghes = args.has('--ghes');
const showRequests = args.has('--requests');
const fixture = (side: string): string => fileURLToPath(new URL(`../fixtures/demo-pr/${side}`, import.meta.url));

// The demo never talks to Redis or a real GitHub, whatever the shell exports.
delete process.env.REDIS_URL;
delete process.env.GHE_HOST;

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const indent = (s: string, by = '    '): string => s.replace(/^/gm, by);

const standin = await startStandin();
const repo = standin.createRepo('acme', 'shop', { installationId: 1 });
const base = repo.commit(fixture('base'), { message: 'shop manifests' });
const head = repo.commit(fixture('head'), { branch: 'worker-db', message: 'worker: read the database host and password' });
repo.openPullRequest({ base, head, number: 42, title: 'worker: read the database host and password', headRef: 'worker-db' });

let closeQueue: () => Promise<void> = async () => {};
const harness = await startAppHarness({
  standin,
  ghes,
  appFn: createKeyrefApp({
    appId: standin.options.appId,
    onQueue: (queue) => {
      closeQueue = () => queue.close();
    },
  }),
  logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'warn',
});

let exitCode = 0;
try {
  console.log(bold(`keyref demo — acme/shop pull request #42 (${ghes ? 'GitHub Enterprise Server' : 'github.com'} API layout, local stand-in)`));
  console.log(dim(`  base ${base.slice(0, 7)}  head ${head.slice(0, 7)}  fixtures/demo-pr/{base,head}`));
  const started = performance.now();
  const delivery = await harness.deliver(repo.pullRequestEvent(42, 'opened'));
  console.log(dim(`  webhook pull_request.opened → HTTP ${delivery.status} in ${delivery.ms.toFixed(0)} ms`));
  const run = await harness.waitForCheckRun(repo, head, { timeoutMs: 60_000 });
  const ms = performance.now() - started;
  // The review is posted after the check run completes in some orders; give it a moment to land.
  await new Promise((r) => setTimeout(r, 300));
  printCheckRun(run);
  printReviews(repo.pulls.get(42)?.reviews ?? []);

  const apiRequests = standin.requests;
  console.log(bold('\nGitHub API'));
  const ghesCount = apiRequests.filter((r) => r.layout === 'ghes').length;
  console.log(`  ${apiRequests.length} requests, check run completed ${ms.toFixed(0)} ms after the webhook`);
  console.log(dim(`  ${ghesCount} of ${apiRequests.length} requests used the GHES paths (/api/v3, /api/graphql)`));
  const byRoute = standin.routeSummary();
  for (const [route, n] of byRoute) console.log(dim(`  ${String(n).padStart(3)} × ${route}`));
  if (showRequests) for (const r of apiRequests) console.log(dim(`      ${r.status} ${r.method} ${r.path}`));

  // The product's promise: never repeat a secret value (nor its base64) in anything it sends.
  const secretValue = 'demo-only-Xq7vR2pLm9TzK4wB';
  const leaks = apiRequests.filter((r) => {
    const body = JSON.stringify(r.body ?? '');
    return body.includes(secretValue) || body.includes(Buffer.from(secretValue).toString('base64'));
  });
  console.log(`  the demo Secret's value appears in ${leaks.length} request bodies ${leaks.length === 0 ? '✓' : '✗'}`);
  if (leaks.length > 0) exitCode = 1;
} catch (error) {
  console.error(`demo failed: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  await closeQueue();
  await harness.close();
  await standin.close();
}
process.exit(exitCode);

function printCheckRun(run: CheckRun): void {
  console.log(bold(`\nCheck run "${run.name}" — ${run.status}, conclusion: ${run.conclusion}`));
  console.log(`  title: ${run.output.title ?? ''}`);
  console.log('  summary:');
  console.log(indent(run.output.summary ?? ''));
  if (run.output.text) {
    console.log('  text:');
    console.log(indent(run.output.text));
  }
  console.log(`  annotations (${run.annotations.length}):`);
  for (const a of run.annotations) {
    const lines = a.start_line === a.end_line ? `${a.start_line}` : `${a.start_line}-${a.end_line}`;
    console.log(`    ${String(a.annotation_level).padEnd(7)} ${a.path}:${lines}  [${a.title ?? ''}]`);
    console.log(dim(indent(String(a.message), '              ')));
  }
}

function printReviews(reviews: readonly Review[]): void {
  if (reviews.length === 0) {
    console.log(bold('\nReview: none posted'));
    return;
  }
  for (const review of reviews) {
    console.log(bold(`\nReview (${review.event}) on ${review.commit_id.slice(0, 7)}`));
    console.log(indent(review.body || '(no body)'));
    console.log(`  inline comments (${review.comments.length}):`);
    for (const c of review.comments) {
      console.log(`    ${c.path}:${c.start_line !== undefined ? `${c.start_line}-` : ''}${c.line}`);
      console.log(indent(c.body, '      '));
    }
  }
}
