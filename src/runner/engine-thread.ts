/**
 * Starting an engine worker thread: its module, its limits and the shared cell it reports its file in.
 * Small on purpose: the CLI starts its worker with this before it loads the rest of the command line
 * (bin/keyref.js → dist/cli-bundle/prestart.js), and the runner (index.ts) starts every other worker
 * with it, so both start the same thread.
 */
import { Worker } from 'node:worker_threads';
import { createProgressCell, type ProgressCell } from './progress-cell.js';

/**
 * Young generation of an engine worker (MB). A scan keeps most of what it parses to its end, so a larger
 * young generation only copies the same values more before promoting them. Node 24's V8 grows it much
 * larger than Node 22's while a big tree is parsed, for nothing: a 50,000-manifest scan in a worker peaked
 * at 467 MB on Node 24 by default and at 375–382 MB with a 48 MB limit. 16 MB (session 7, CLI scans, the
 * engine in this worker): corpus 1.69× against bare js-yaml, 1.74× at 48 MB (six interleaved rounds,
 * Node 22; 148–151 MB against 160–165 MB peak), Node 24 the same speed at 173–176 against 184–189 MB;
 * 50,000 manifests 360–363 against 367–369 MB (Node 22) and 362–364 against 379–380 MB (Node 24), time
 * within noise; 10,000 manifests 1.05–1.07 s against 1.18–1.27 s.
 */
const YOUNG_GENERATION_MB = 16;

/** `true` in the CLI's bundle (scripts/build-cli.mjs defines it), whose worker entry is worker.cjs. */
declare const __KEYREF_CLI_BUNDLE__: boolean | undefined;

/**
 * The engine worker's module next to this one: the `.ts` entry when running from the TypeScript sources
 * (tests, `tsx`), the CLI bundle's `worker.cjs`, or tsc's `worker.js` in dist/ (the App).
 */
export function defaultWorkerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./worker.ts', import.meta.url);
  const bundled = typeof __KEYREF_CLI_BUNDLE__ !== 'undefined' && __KEYREF_CLI_BUNDLE__;
  return new URL(bundled ? './worker.cjs' : './worker.js', import.meta.url);
}

/** A started engine worker and the cell it reports its file in. */
export interface EngineThread {
  readonly worker: Worker;
  readonly progress: ProgressCell;
}

/**
 * Starts an engine worker on `url`. A TypeScript worker (running from the sources under tsx) is started
 * through a bootstrap that registers tsx's loader in the worker first: `--import tsx` in a worker's
 * execArgv is not applied to its entry module on every supported Node version.
 * No execArgv: a worker inherits its parent's per-isolate options. Passing process.execArgv back breaks
 * under Node 24's test runner, whose children carry per-process flags a Worker refuses.
 */
export function startEngineThread(url: URL = defaultWorkerUrl(), maxHeapMb?: number): EngineThread {
  const progress = createProgressCell();
  const options = {
    workerData: { progress },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(maxHeapMb ? { maxOldGenerationSizeMb: maxHeapMb } : {}) },
  };
  if (!url.pathname.endsWith('.ts')) return { worker: new Worker(url, options), progress };
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return { worker: new Worker(bootstrap, { ...options, eval: true }), progress };
}
