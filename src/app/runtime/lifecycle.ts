/**
 * Process lifecycle: readiness, and what happens on SIGTERM. One registry per process.
 *
 * Shutdown sequence (SIGTERM or SIGINT):
 *   1. /readyz answers 503 so load balancers stop routing webhooks here;
 *   2. after KEYREF_SHUTDOWN_DELAY_MS (let endpoints update; default 0, the Kubernetes manifests use 5 s),
 *      the HTTP server stops taking connections (in-flight requests finish);
 *   3. the onShutdown hooks run in registration order: the app closes its review queue (drains running
 *      reviews; in Redis mode hands unfinished ones back to other replicas) and completes check runs;
 *   4. the process exits 0 — or 1 if everything did not finish within KEYREF_SHUTDOWN_TIMEOUT_MS (default 30 s).
 */
export type ShutdownHook = () => unknown;

interface LogLike {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

type State = 'starting' | 'ready' | 'stopping' | 'stopped';

const hooks: { name: string; fn: ShutdownHook }[] = [];
let state: State = 'starting';
let running: Promise<boolean> | undefined;

let signalsManaged = false;
let fallbackInstalled = false;

/** Without the runtime entry point (plain `probot run`), a signal still runs the hooks, then exits. */
function fallbackSignalHandler(): void {
  void shutdown({ timeoutMs: Number(process.env.KEYREF_SHUTDOWN_TIMEOUT_MS) || 30_000 }).then((ok) => process.exit(ok ? 0 : 1));
}

function ensureSignalHandling(): void {
  if (signalsManaged || fallbackInstalled) return;
  fallbackInstalled = true;
  process.once('SIGTERM', fallbackSignalHandler);
  process.once('SIGINT', fallbackSignalHandler);
}

/** The runtime entry point handles signals itself (with the HTTP server and readiness); drops the fallback. */
export function takeOverSignals(): void {
  signalsManaged = true;
  if (fallbackInstalled) {
    process.removeListener('SIGTERM', fallbackSignalHandler);
    process.removeListener('SIGINT', fallbackSignalHandler);
    fallbackInstalled = false;
  }
}

/**
 * Registers work to do on shutdown (e.g. `onShutdown(() => queue.close(), 'review queue')`); hooks run
 * in registration order and are awaited. Works under the runtime entry point (dist/app/runtime/main.js)
 * and under plain `probot run` (then SIGTERM/SIGINT run the hooks and exit). Returns an unregister function.
 */
export function onShutdown(fn: ShutdownHook, name = fn.name || 'shutdown hook'): () => void {
  const entry = { name, fn };
  hooks.push(entry);
  ensureSignalHandling();
  return () => {
    const i = hooks.indexOf(entry);
    if (i >= 0) hooks.splice(i, 1);
  };
}

export function isShuttingDown(): boolean {
  return state === 'stopping' || state === 'stopped';
}

export function isReady(): boolean {
  return state === 'ready';
}

/** Called once the server listens. */
export function markReady(): void {
  if (state === 'starting') state = 'ready';
}

export interface ShutdownOptions {
  /** Stops the HTTP server (no new webhooks). */
  stopServer?: () => Promise<void>;
  /** Wait this long after turning unready before stopping the server. */
  delayMs?: number;
  /** Give up (resolve false) after this long. */
  timeoutMs?: number;
  log?: LogLike;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the shutdown sequence once (later calls get the same promise). Resolves true when everything finished in time. */
export function shutdown(options: ShutdownOptions = {}): Promise<boolean> {
  running ??= (async () => {
    const log = options.log;
    state = 'stopping';
    const timeoutMs = options.timeoutMs ?? 30_000;
    const work = (async () => {
      log?.info({ delayMs: options.delayMs ?? 0, hooks: hooks.map((h) => h.name) }, 'shutting down');
      if (options.delayMs) await sleep(options.delayMs);
      if (options.stopServer) {
        try {
          await options.stopServer();
          log?.info('stopped taking webhooks');
        } catch (err) {
          log?.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'stopping the HTTP server failed');
        }
      }
      for (const hook of [...hooks]) {
        try {
          await hook.fn();
          log?.info({ hook: hook.name }, 'shutdown hook done');
        } catch (err) {
          log?.error({ hook: hook.name, err: { message: err instanceof Error ? err.message : String(err) } }, 'shutdown hook failed');
        }
      }
    })();
    const finished = await within(timeoutMs, work);
    state = 'stopped';
    if (!finished) log?.error({ timeoutMs }, 'shutdown timed out');
    return finished;
  })();
  return running;
}

/** For tests only: forget hooks and state. */
export function resetLifecycleForTests(): void {
  takeOverSignals();
  signalsManaged = false;
  hooks.length = 0;
  state = 'starting';
  running = undefined;
}
