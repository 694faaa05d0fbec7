/**
 * Runs a Probot app function behind a real HTTP server on loopback, pointed at a stand-in, with a
 * throwaway app key: webhooks in (signed, over HTTP), GitHub API requests out (to the stand-in).
 * Used by the demo, the API benchmark and the soak/end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, type ApplicationFunction } from 'probot';
import { KeyrefOctokit } from '../app/octokit.js';
import type { CheckRun, Standin, StandinRepo } from './server.js';
import { deliverWebhook, throwawayPrivateKey, type Delivery } from './webhook.js';

export interface AppHarnessOptions {
  readonly standin: Standin;
  readonly appFn: ApplicationFunction;
  /** Use the GitHub Enterprise Server layout (`/api/v3`, `/api/graphql`). */
  readonly ghes?: boolean;
  readonly appId?: number;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Octokit's request throttling (on in production; off makes timings measure keyref, not the throttle). Default true. */
  readonly throttle?: boolean;
  /** Octokit's retries on 5xx/rate limits. Default true. */
  readonly retry?: boolean;
}

export interface AppHarness {
  readonly probot: Probot;
  /** `http://127.0.0.1:PORT/api/github/webhooks` */
  readonly webhookUrl: string;
  readonly secret: string;
  deliver(event: { name: string; payload: unknown }, options?: { id?: string; signature?: string }): Promise<Delivery>;
  /** Waits until the newest `keyref` check run on `headSha` is completed (throws after `timeoutMs`). */
  waitForCheckRun(repo: StandinRepo, headSha: string, options?: { timeoutMs?: number; name?: string }): Promise<CheckRun>;
  close(): Promise<void>;
}

export async function startAppHarness(options: AppHarnessOptions): Promise<AppHarness> {
  const secret = randomBytes(16).toString('hex');
  const throttle = options.throttle ?? true;
  const retry = options.retry ?? true;
  // The production Octokit class (keyref's bounded rate-limit retries), as the runtime entry point uses.
  const Octokit = KeyrefOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    ...(throttle ? {} : { throttle: { enabled: false } }),
    ...(retry ? {} : { retry: { enabled: false } }),
  }));
  const probot = new Probot({
    appId: options.appId ?? options.standin.options.appId,
    privateKey: throwawayPrivateKey(),
    secret,
    baseUrl: options.ghes ? options.standin.ghesUrl : options.standin.url,
    logLevel: options.logLevel ?? 'warn',
    Octokit,
  });
  const middleware = await createNodeMiddleware(options.appFn, { probot, webhooksPath: '/api/github/webhooks' });
  const server: Server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  return {
    probot,
    webhookUrl,
    secret,
    deliver: (event, deliverOptions) => deliverWebhook(webhookUrl, secret, event, deliverOptions),
    async waitForCheckRun(repo, headSha, waitOptions = {}) {
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 60_000);
      const name = waitOptions.name ?? 'keyref';
      for (;;) {
        const run = repo.checkRuns.filter((c) => c.head_sha === headSha && c.name === name).at(-1);
        if (run?.status === 'completed') return run;
        if (Date.now() > deadline) throw new Error(`no completed ${name} check run on ${headSha.slice(0, 7)} (last status: ${run?.status ?? 'none'})`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
