/**
 * The engine worker's entry point (a worker thread started by the engine runner). It turns on Node's
 * on-disk compile cache for this thread first (a worker does not inherit the main thread's, and the cache
 * only helps code compiled after it is on), then loads the engine (engine-worker.ts). From the second run
 * on, the App's workers compile the engine's modules from the cache. (The CLI's bundle has an entry of its
 * own, bundle-worker.ts.) Where the cache folder cannot be written, Node carries on without it.
 */
import module from 'node:module';

module.enableCompileCache?.();
const { startEngineWorker } = await import('./engine-worker.js');
startEngineWorker();
