import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createKeyrefApp } from '../../src/app/index.js';
import { startAppHarness, type AppHarness } from '../../src/standin/app-harness.js';
import { readFileSync } from 'node:fs';
import { filesFromDir, startStandin, type Standin } from '../../src/standin/index.js';

const fixture = (side: string): string => fileURLToPath(new URL(`../../fixtures/demo-pr/${side}`, import.meta.url));
const SECRET_VALUE = 'demo-only-Xq7vR2pLm9TzK4wB';

delete process.env.REDIS_URL;

for (const ghes of [false, true]) {
  describe(`demo pull request through the real app over HTTP (${ghes ? 'GHES' : 'github.com'} layout)`, () => {
    let standin: Standin;
    let harness: AppHarness;
    let closeQueue: () => Promise<void> = async () => {};
    after(async () => {
      await closeQueue();
      await harness?.close();
      await standin?.close();
    });

    it('posts a failing check run with the untouched-file breakage and an inline review; never sends the secret', async () => {
      // Another app's completed `keyref` run sits on the head too: the app must find and complete its own.
      standin = await startStandin({ layouts: [ghes ? 'ghes' : 'dotcom'], otherApps: 'same-name' });
      const repo = standin.createRepo('acme', 'shop');
      const base = repo.commit(fixture('base'));
      const head = repo.commit(fixture('head'), { branch: 'worker-db' });
      repo.openPullRequest({ base, head, number: 42, headRef: 'worker-db' });
      harness = await startAppHarness({
        standin,
        ghes,
        throttle: false,
        logLevel: 'fatal',
        appFn: createKeyrefApp({ appId: standin.options.appId, onQueue: (q) => (closeQueue = () => q.close()) }),
      });

      const bad = await harness.deliver(repo.pullRequestEvent(42, 'opened'), { signature: 'sha256=' + '0'.repeat(64) });
      assert.ok(bad.status >= 400 && bad.status < 500, `bad signature answered ${bad.status}`);
      assert.equal(standin.requests.length, 0);

      const delivery = await harness.deliver(repo.pullRequestEvent(42, 'opened'));
      assert.equal(delivery.status, 200);
      const run = await harness.waitForCheckRun(repo, head, { timeoutMs: 30_000 });
      assert.equal(run.conclusion, 'failure');
      const at = run.annotations.map((a) => `${a.path}:${a.start_line} ${a.title}`);
      assert.ok(at.includes('deploy/web.yaml:29 missing-key'), at.join('\n'));
      assert.ok(at.includes('deploy/worker.yaml:29 missing-key'), at.join('\n'));
      // web.yaml is not part of the diff: annotation only, no inline comment there
      for (let i = 0; i < 50 && (repo.pulls.get(42)?.reviews.length ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const comments = repo.reviewComments(42);
      assert.ok(comments.some((c) => c.path === 'deploy/worker.yaml' && c.line === 29 && c.body.includes('```suggestion')));
      assert.ok(!comments.some((c) => c.path === 'deploy/web.yaml'));

      const b64 = Buffer.from(SECRET_VALUE).toString('base64');
      for (const r of standin.requests) {
        const body = JSON.stringify(r.body ?? '');
        assert.ok(!body.includes(SECRET_VALUE) && !body.includes(b64), `${r.method} ${r.path} carries the secret value`);
      }
      assert.ok(standin.requests.every((r) => r.layout === (ghes ? 'ghes' : 'dotcom')));
      if (ghes) return;

      // A redelivery (same delivery id) adds nothing.
      const runs = repo.checkRuns.length;
      const reviews = repo.pulls.get(42)!.reviews.length;
      await harness.deliver(repo.pullRequestEvent(42, 'opened'), { id: delivery.id });
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(repo.checkRuns.length, runs);
      assert.equal(repo.pulls.get(42)!.reviews.length, reviews);

      // The next push fixes the typo: its check run completes, the old comment is minimized, nothing new is posted.
      const files = filesFromDir(fixture('head'));
      files['deploy/worker.yaml'] = readFileSync(`${fixture('head')}/deploy/worker.yaml`, 'utf8').replace('DATABSE_HOST', 'DATABASE_HOST');
      const head2 = repo.commit(files, { branch: 'worker-db' });
      repo.openPullRequest({ base, head: head2, number: 42 });
      await harness.deliver(repo.pullRequestEvent(42, 'synchronize'));
      const run2 = await harness.waitForCheckRun(repo, head2, { timeoutMs: 30_000 });
      assert.equal(run2.conclusion, 'failure'); // the untouched web.yaml breakage and the Secret remain
      for (let i = 0; i < 50 && !repo.reviewComments(42).some((c) => c.minimized); i++) await new Promise((r) => setTimeout(r, 20));
      const after2 = repo.reviewComments(42);
      assert.ok(after2.find((c) => c.path === 'deploy/worker.yaml')?.minimized, 'the fixed finding\'s comment is minimized');
      assert.ok(!after2.find((c) => c.path === 'deploy/worker-db-secret.yaml')?.minimized);
      assert.equal(repo.pulls.get(42)!.reviews.length, reviews);
      // ... and marked as such in the same GraphQL request (the updatePullRequestReviewComment half).
      for (let i = 0; i < 50 && !after2.find((c) => c.path === 'deploy/worker.yaml')?.body.includes('keyref:outdated'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(after2.find((c) => c.path === 'deploy/worker.yaml')!.body, /<!-- keyref:outdated -->/);
      const mutations = (): number => standin.requests.filter((r) => r.path === '/graphql' && /\bmutation\b/.test(JSON.stringify(r.body))).length;
      assert.equal(mutations(), 1);

      // A later push sends nothing about that comment: it is marked, so no second minimize.
      files['deploy/worker.yaml'] = `# touched again\n${files['deploy/worker.yaml'] as string}`;
      const head3 = repo.commit(files, { branch: 'worker-db' });
      repo.openPullRequest({ base, head: head3, number: 42 });
      await harness.deliver(repo.pullRequestEvent(42, 'synchronize'));
      await harness.waitForCheckRun(repo, head3, { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(mutations(), 1, 'no GraphQL mutation on the push after the fix');

      // Others' comments (another app's; a person's quoting a keyref marker) are never minimized or edited.
      const others = repo.pulls.get(42)!.otherComments;
      assert.equal(others.length, 2);
      assert.ok(others.every((c) => !c.minimized && !c.body.includes('keyref:outdated')));
      // Another app's completed `keyref` run on the head is left alone: keyref made and completed its own.
      assert.ok(repo.otherAppsCheckRuns.every((c) => c.updates === 1));
      assert.equal(repo.checkRuns.filter((c) => c.head_sha === head3).length, 1);
    });
  });
}
