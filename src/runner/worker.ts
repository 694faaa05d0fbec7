/**
 * The engine worker's entry point (a worker thread started by the engine runner). It turns on Node's
 * on-disk compile cache for this thread first (a worker does not inherit the main thread's, and the cache
 * only helps code compiled after it is on), then loads the engine (engine-worker.ts). From the second run
 * on, the CLI's worker compiles the 1 MB engine bundle from the cache (docs/architecture.md › A CLI scan
 * is a pipeline). Where the cache folder cannot be written, Node carries on without it.
 */
import module from 'node:module';

module.enableCompileCache?.();
await import('./engine-worker.js');
