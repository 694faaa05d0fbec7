/**
 * The CLI bundle's first entry (dist/cli-bundle/prestart.js, see scripts/build-cli.mjs): bin/keyref.js
 * loads this small module and starts the engine's worker before it loads the command line itself
 * (main.js, 0.6 MB), so the thread boots while the main thread loads, and the engine is ready to parse
 * sooner. The worker is unreferenced: a command that ends early (bad usage) does not wait for it.
 */
import { startEngineThread, type EngineThread } from '../runner/engine-thread.js';

export type { EngineThread } from '../runner/engine-thread.js';

export function startEngine(): EngineThread {
  const started = startEngineThread();
  started.worker.unref();
  // Until the runner takes it, a worker that fails to start must not throw on this thread: the runner
  // then starts one of its own, whose failure the task reports.
  started.worker.on('error', () => {});
  return started;
}
