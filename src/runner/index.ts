/**
 * The engine runner: runs the pure engine in worker threads, off the caller's event loop, with a time
 * budget. A task over its budget has its worker terminated (the only way to stop a synchronous regex or
 * loop) and rejects with EngineBudgetExceeded naming the file the engine was on; the caller (App or CLI)
 * turns that into a neutral check run or a clear message, and keeps serving.
 *
 * Workers are kept warm between tasks (loading the engine in a fresh thread costs about 300 ms) and
 * replaced when one is terminated. Which module a worker runs and how it starts: engine-thread.ts.
 */
import type { Worker } from 'node:worker_threads';
import { defaultWorkerUrl, startEngineThread, type EngineThread } from './engine-thread.js';
import { progressSequence, readProgress, type ProgressCell } from './progress-cell.js';
import type { EngineOutput, EngineTask, FeedMessage, SupplyMessage, TaskMessage, WorkerMessage } from './protocol.js';
import type { PackedFiles } from './packed.js';

export type { EngineTask, EngineOutput } from './protocol.js';
export type { EngineThread } from './engine-thread.js';
export { decode, FilePacker, unpackFiles, type PackedFiles } from './packed.js';

/** Default budget: 20 s of engine time per review (App) or per file (CLI). */
export const DEFAULT_ENGINE_BUDGET_MS = 20_000;

/** The budget from `KEYREF_ENGINE_BUDGET_MS` (milliseconds, positive integer), else the default. */
export function engineBudgetFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const value = Number(env.KEYREF_ENGINE_BUDGET_MS);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_ENGINE_BUDGET_MS;
}

/** A task ran past its budget; `file` is the last file the engine reported working on. */
export class EngineBudgetExceeded extends Error {
  override readonly name = 'EngineBudgetExceeded';
  constructor(
    readonly budgetMs: number,
    readonly file: string | undefined,
    readonly scope: 'task' | 'file',
  ) {
    super(`the analysis took longer than its ${formatSeconds(budgetMs)} budget${scope === 'file' ? ' for one file' : ''}${file ? ` (on ${file})` : ''}`);
  }
}

/** The worker died (out of memory, a crash in the engine) or could not start. */
export class EngineCrashed extends Error {
  override readonly name = 'EngineCrashed';
  constructor(
    message: string,
    readonly file: string | undefined,
  ) {
    super(message);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export interface EngineRunnerOptions {
  /** Wall-clock budget of the engine's work, in ms (default: KEYREF_ENGINE_BUDGET_MS or 20 s). */
  readonly budgetMs?: number;
  /**
   * `task` (App: the whole review, both trees, within the budget) or `file` (CLI: the budget restarts
   * each time the engine moves to another file, so only one file taking that long stops it).
   */
  readonly budgetScope?: 'task' | 'file';
  /** Idle workers kept warm (default 1). */
  readonly maxIdle?: number;
  /** The worker module (tests inject a deliberately slow engine); default the real engine worker. */
  readonly workerUrl?: URL;
  /** Heap limit of each worker (MB): an engine out of memory fails its task, not the process. */
  readonly maxHeapMb?: number;
  /**
   * A worker already started with startEngineThread on `workerUrl` (the CLI starts one before it loads the
   * rest of the command line): the runner takes it as its idle worker instead of starting one.
   */
  readonly started?: EngineThread;
}

export interface RunOptions {
  /** Aborting terminates the worker and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Told each file the engine moves to. */
  readonly onProgress?: (path: string) => void;
  /** This task's budget (default: the runner's). */
  readonly budgetMs?: number;
  /**
   * For a scan with `askForInputs`: reads the generator inputs the worker names (paths relative to the
   * root) and returns those it could read. Without it, the worker is told there are none.
   */
  readonly supply?: (paths: readonly string[]) => PackedFiles;
}

const NO_FILES: PackedFiles = { paths: [], buffers: [], where: new Int32Array(0) };

export interface EngineRunner {
  run<T extends EngineTask>(task: T, options?: RunOptions): Promise<EngineOutput<T>>;
  /**
   * Starts a worker now, if none is idle, so that it loads the engine while the caller is still
   * gathering the input (the CLI walks and reads the tree meanwhile): about 0.3 s of a scan's start-up.
   */
  prestart(): void;
  /**
   * Sends files of the next `scan` to the worker that will run it, which parses them at once, while the
   * caller reads the rest (the buffers are transferred). The next `run` must be that scan.
   */
  feed(packed: PackedFiles): void;
  /** Terminates every worker (running tasks reject). */
  close(): Promise<void>;
}

export function createEngineRunner(options: EngineRunnerOptions = {}): EngineRunner {
  const budgetMs = options.budgetMs ?? engineBudgetFromEnv();
  const scope = options.budgetScope ?? 'task';
  const maxIdle = Math.max(0, options.maxIdle ?? 1);
  const url = options.workerUrl ?? defaultWorkerUrl();
  const idle: Worker[] = [];
  const busy = new Set<Worker>();
  const cells = new WeakMap<Worker, ProgressCell>();
  let closed = false;
  // The worker holding fed files for the next scan, and whether it died holding them.
  let fed: Worker | undefined;
  let fedLost = false;
  const feeding = new WeakSet<Worker>();

  function spawn(): Worker {
    return track(startEngineThread(url, options.maxHeapMb));
  }

  function track({ worker, progress }: EngineThread): Worker {
    // An idle worker that dies (it should not) is simply forgotten.
    worker.on('error', () => {});
    worker.on('exit', () => {
      const i = idle.indexOf(worker);
      if (i >= 0) idle.splice(i, 1);
      if (worker === fed) {
        fed = undefined;
        fedLost = true;
      }
    });
    cells.set(worker, progress);
    return worker;
  }

  function release(worker: Worker): void {
    busy.delete(worker);
    if (!closed && idle.length < maxIdle) {
      worker.unref();
      idle.push(worker);
    } else {
      void worker.terminate();
    }
  }

  async function run<T extends EngineTask>(task: T, runOptions: RunOptions = {}): Promise<EngineOutput<T>> {
    if (closed) throw new Error('the engine runner is closed');
    const { signal, onProgress, supply } = runOptions;
    const budget = runOptions.budgetMs ?? budgetMs;
    signal?.throwIfAborted();
    if (fedLost) {
      // Files fed to a worker that died are gone: scanning without them would pass them silently.
      fedLost = false;
      throw new EngineCrashed('the analysis stopped unexpectedly while reading the files', undefined);
    }
    const wasFed = fed;
    fed = undefined;
    if (wasFed) idle.splice(idle.indexOf(wasFed), 1);
    const worker = wasFed ?? idle.pop() ?? spawn();
    worker.ref();
    busy.add(worker);
    const cell = cells.get(worker);
    let posted: string | undefined;
    // The file the engine is on: shared memory (exact even while the worker is stuck), or the last message.
    // A warm worker's cell still holds the previous task's last file until this task moves on.
    // A fed worker may be on a fed file already: its cell counts (the CLI feeds a fresh worker).
    const startSeq = cell && !wasFed ? progressSequence(cell) : 0;
    const current = (): string | undefined => (cell && progressSequence(cell) !== startSeq ? readProgress(cell) : undefined) ?? posted;
    return new Promise<EngineOutput<T>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      // Per file, the timer polls the shared sequence number (a quarter of the budget, at most a second):
      // a file that alone keeps the engine busy for the budget is stopped within that step of it.
      const step = Math.max(1, Math.min(budget / 4, 1000));
      const arm = () => {
        clearTimeout(timer);
        let seen = cell ? progressSequence(cell) : 0;
        let since = performance.now();
        const tick = () => {
          const now = performance.now();
          if (scope === 'file' && cell) {
            const seq = progressSequence(cell);
            if (seq !== seen) {
              seen = seq;
              since = now;
            }
          }
          const left = budget - (now - since);
          if (left <= 0) finish(new EngineBudgetExceeded(budget, current(), scope), true);
          else timer = setTimeout(tick, scope === 'file' && cell ? Math.min(left, step) : left);
        };
        timer = setTimeout(tick, scope === 'file' && cell ? Math.min(budget, step) : budget);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'feeding') {
          arm(); // a fed worker parses before the task starts: that counts
        } else if (message.type === 'started') {
          arm(); // the budget counts the engine's work, not the worker's start-up
        } else if (message.type === 'progress') {
          posted = message.path;
          if (scope === 'file') arm();
          onProgress?.(message.path);
        } else if (message.type === 'need') {
          let packed = NO_FILES;
          try {
            if (supply) packed = supply(message.paths);
          } catch (err) {
            finish(err instanceof Error ? err : new Error(String(err)), true);
            return;
          }
          worker.postMessage({ op: 'supply', packed } satisfies SupplyMessage, [...packed.buffers]);
        } else if (message.type === 'done') {
          finish(undefined, false, message.result as EngineOutput<T>);
        } else {
          const err = new Error(message.message);
          err.name = message.name;
          finish(err, false);
        }
      };
      const onError = (err: Error) => finish(new EngineCrashed(`the analysis failed: ${err.message}`, current()), true);
      const onExit = (code: number) => finish(new EngineCrashed(`the analysis stopped unexpectedly (exit code ${code})`, current()), false);
      const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'), true);
      let settled = false;
      function finish(error: Error | undefined, terminate: boolean, result?: EngineOutput<T>): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (terminate || error) {
          busy.delete(worker);
          void worker.terminate();
        } else {
          release(worker);
        }
        if (error) reject(error);
        else resolve(result as EngineOutput<T>);
      }
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // A fed worker may already be parsing (or stuck on) a fed file: the budget runs from then, not from 'started'.
      if (wasFed && feeding.has(wasFed)) arm();
      signal?.addEventListener('abort', onAbort, { once: true });
      // Packed file buffers move to the worker (the caller gives them up); everything else is cloned.
      const transfer = task.op === 'scan' && task.packed ? [...task.packed.buffers] : [];
      worker.postMessage(onProgress ? ({ ...task, postProgress: true } satisfies TaskMessage) : task, transfer);
    });
  }

  // A started worker that has already ended (it failed to load) is not taken: the first task starts one.
  if (options.started && options.started.worker.threadId !== -1) {
    const worker = track(options.started);
    worker.unref();
    idle.push(worker);
  }

  return {
    run,
    prestart() {
      if (closed || idle.length > 0) return;
      const worker = spawn();
      worker.unref();
      idle.push(worker);
    },
    feed(packed: PackedFiles) {
      if (closed) return;
      if (!fed) {
        const worker = idle[idle.length - 1] ?? spawn();
        fed = worker;
        if (!idle.includes(worker)) {
          worker.unref();
          idle.push(worker);
        }
        const onFeeding = (message: WorkerMessage) => {
          if (message.type !== 'feeding') return;
          feeding.add(worker);
          worker.off('message', onFeeding);
        };
        worker.on('message', onFeeding);
      }
      fed.postMessage({ op: 'feed', packed } satisfies FeedMessage, [...packed.buffers]);
    },
    async close() {
      closed = true;
      const all = [...idle, ...busy];
      idle.length = 0;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
