/**
 * The production entry point's logic: proxy, Probot server (`probot run` semantics: configuration from
 * the environment only), health endpoints, and SIGTERM handling.
 */
import { run, type ApplicationFunction, type Server } from 'probot';
import { KeyrefOctokit } from '../octokit.js';
import { githubUrls } from './github-urls.js';
import { healthHandler } from './health.js';
import { captureHttpServer, DEFAULT_MAX_WEBHOOK_BYTES, guardRequests } from './http-guard.js';
import { markReady, shutdown, takeOverSignals } from './lifecycle.js';
import { createLog } from './log.js';
import { collectProcessMetrics, githubRequestMetrics, metricsHandler } from './metrics.js';
import { installHttpDispatcher } from './proxy.js';
import { payloadProblem } from '../webhooks/payload-shape.js';
import { createWebhookIntake, DEFAULT_MAX_UNVERIFIED_BYTES } from './webhook-intake.js';
import { warmHttpClient } from './warm-up.js';

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export interface StartOptions {
  env?: Env;
  /** Called with the exit code after shutdown; default process.exit. */
  exit?: (code: number) => void;
}

export async function startServer(appFn: ApplicationFunction, options: StartOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const http = installHttpDispatcher(env);

  let log: { info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void } = {
    info: () => {},
    warn: (...a) => console.warn(...a),
    error: (...a) => console.error(...a),
  };
  takeOverSignals();
  const appListeners = new Set<unknown>();
  const sigintBefore = new Set(process.listeners('SIGINT'));
  const probotLog = await createLog(env);
  const { result: server, httpServer } = await captureHttpServer(() => run(async (app, appOptions) => {
    log = app.log.child({ name: 'keyref-runtime' });
    appOptions.addHandler(healthHandler);
    appOptions.addHandler(metricsHandler);
    collectProcessMetrics();
    const before = new Set(process.listeners('SIGINT'));
    await appFn(app, appOptions);
    for (const l of process.listeners('SIGINT')) if (!before.has(l)) appListeners.add(l);
  }, { Octokit: KeyrefOctokit.plugin(githubRequestMetrics), log: probotLog })); // bounded retries on secondary/primary rate limits (src/app/octokit.ts)
  if (httpServer) {
    const secret = env.WEBHOOK_SECRET;
    const intake = secret
      ? createWebhookIntake({
          path: env.WEBHOOK_PATH || '/api/github/webhooks',
          secret,
          maxUnverifiedBytes: intFrom(env.KEYREF_MAX_UNVERIFIED_BYTES, DEFAULT_MAX_UNVERIFIED_BYTES),
          validate: payloadProblem,
          log,
        })
      : undefined; // no secret yet: Probot's setup flow registers the app
    guardRequests(httpServer, {
      maxBodyBytes: intFrom(env.KEYREF_MAX_WEBHOOK_BYTES, DEFAULT_MAX_WEBHOOK_BYTES),
      ...(intake ? { webhook: { path: env.WEBHOOK_PATH || '/api/github/webhooks', intake } } : {}),
    });
  } else {
    log.warn('could not find the HTTP server: webhook body size limit not installed');
  }
  // `run` exits on SIGINT without draining; our handler below replaces it. (Probot adds it after
  // loading the app; an app's own signal listeners, added during load, are left alone.)
  const probotSigint = process.listeners('SIGINT').filter((l) => !sigintBefore.has(l) && !appListeners.has(l));
  for (const listener of probotSigint) process.removeListener('SIGINT', listener as () => void);
  if (httpServer) await warmHttpClient(httpServer);
  markReady();
  const urls = githubUrls(env);
  log.info(
    { github: { rest: urls.rest, graphql: urls.graphql }, proxy: http.proxy ?? 'none', httpTimeoutMs: http.timeoutMs, extraCaCerts: Boolean(env.NODE_EXTRA_CA_CERTS) },
    'keyref ready',
  );

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    log.info({ signal }, 'received signal');
    void shutdown({
      stopServer: async () => {
        // Idle keep-alive connections are closed by server.close(); busy ones get a few seconds.
        const forced = setTimeout(() => httpServer?.closeAllConnections(), 5_000);
        try {
          await server.stop();
        } finally {
          clearTimeout(forced);
        }
      },
      delayMs: intFrom(env.KEYREF_SHUTDOWN_DELAY_MS, 0),
      timeoutMs: intFrom(env.KEYREF_SHUTDOWN_TIMEOUT_MS, 30_000),
      log,
    }).then((finished) => exit(finished ? 0 : 1));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return server;
}
