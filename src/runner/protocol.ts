/**
 * The messages between the engine runner (main thread) and an engine worker. Everything crosses
 * `postMessage` (structured clone): files in, results out, and the path of the file being worked on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ReviewInput, ReviewResult } from '../engine/review.js';
import type { ScanInput, ScanResult } from '../engine/scan.js';
import type { SourceFile } from '../engine/model.js';
import type { ParsedFile } from '../engine/parse/index.js';
import { writeProgress, type ProgressCell } from './progress-cell.js';
import { byPath, unpackFiles, type PackedFiles } from './packed.js';

/** What a worker runs: the engine's `review` (both trees) or `scan` (one tree), without callbacks. */
export type EngineTask =
  | { readonly op: 'review'; readonly input: Omit<ReviewInput, 'onProgress'> }
  | {
      readonly op: 'scan';
      readonly input: Omit<ScanInput, 'onProgress' | 'rules' | 'parsed'>;
      /**
       * Files as bytes, transferred rather than cloned (the CLI); appended to `input.files`, decoded in the
       * worker, with the files fed before the task (see FeedMessage), the whole sorted by path.
       */
      readonly packed?: PackedFiles;
      /**
       * The caller has not read the generator inputs (.env, .properties…) that the kustomizations among the
       * files name: the worker names those not among the files (a `need` message, once the files are parsed)
       * and waits for them (a SupplyMessage) before it scans. The CLI: its main thread does not parse the
       * kustomizations that the worker parses anyway.
       */
      readonly askForInputs?: boolean;
    };

export type EngineOutput<T extends EngineTask> = T extends { op: 'review' } ? ReviewResult : ScanResult;

export type WorkerMessage =
  | { readonly type: 'started' }
  /** The worker is parsing fed files (the budget of the coming scan runs from here). */
  | { readonly type: 'feeding' }
  | { readonly type: 'progress'; readonly path: string }
  /** The generator inputs a scan with `askForInputs` still needs (paths relative to the root). */
  | { readonly type: 'need'; readonly paths: readonly string[] }
  | { readonly type: 'done'; readonly result: ReviewResult | ScanResult }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

/** A task as sent to a worker: `postProgress` when the caller wants every file as a message. */
export type TaskMessage = EngineTask & { readonly postProgress?: boolean };

/**
 * Files of the next scan, sent while the caller is still reading the rest: the worker decodes and parses
 * them at once (the main thread reads while the worker parses), and the next `scan` task takes them.
 */
export interface FeedMessage {
  readonly op: 'feed';
  readonly packed: PackedFiles;
}

/** The answer to a `need` message: the inputs the caller could read (those it could not are its to report). */
export interface SupplyMessage {
  readonly op: 'supply';
  readonly packed: PackedFiles;
}

export interface EngineFunctions {
  review(input: ReviewInput): Promise<ReviewResult>;
  scan(input: ScanInput): Promise<ScanResult>;
  /** Parses one fed file ahead of its scan (optional: without it, fed files are parsed by the scan). */
  parse?(file: SourceFile): ParsedFile;
  /**
   * The generator inputs that the kustomizations among `files` name and that are not among them. Parses
   * those that could name one and are not in `parsed` (adding them: the scan takes them from there),
   * telling `onFile`.
   */
  generatorInputs?(files: readonly SourceFile[], parsed: Map<SourceFile, ParsedFile>, onFile: (path: string) => void): string[];
}

/** What the worker's entry point wants to know of the serving. */
export interface ServeHooks {
  /**
   * Called when a task's work is done, before its answer is posted: the process may end as soon as the
   * answer arrives (the CLI's entry saves V8's code cache here, once).
   */
  readonly afterWork?: () => void;
}

/**
 * Serves engine tasks in a worker thread, one at a time: reports each new file the engine moves to,
 * then the result. Errors are sent as name and message only (never a stack or any input text).
 */
export function serveEngine(engine: EngineFunctions, hooks: ServeHooks = {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveEngine must run in a worker thread');
  const cell = (workerData as { progress?: ProgressCell } | undefined)?.progress;
  // Files fed ahead of the next scan, and what parsing them gave.
  let fed: SourceFile[] = [];
  let parsed = new Map<SourceFile, ParsedFile>();
  // A scan waiting for the generator inputs it asked for.
  let supplied: ((packed: PackedFiles) => void) | undefined;
  port.on('message', (task: TaskMessage | FeedMessage | SupplyMessage) => {
    if (task.op === 'supply') {
      const resume = supplied;
      supplied = undefined;
      resume?.(task.packed);
      return;
    }
    if (task.op === 'feed') {
      if (fed.length === 0) port.postMessage({ type: 'feeding' } satisfies WorkerMessage);
      for (const file of unpackFiles(task.packed)) {
        fed.push(file);
        if (!engine.parse) continue;
        // The runner's budget timer reads this cell: a file that hangs the parse is named and stopped.
        if (cell) writeProgress(cell, file.path);
        parsed.set(file, engine.parse(file));
      }
      return;
    }
    port.postMessage({ type: 'started' } satisfies WorkerMessage);
    let last = '';
    const onProgress = (path: string): void => {
      if (path === last) return;
      last = path;
      if (cell) writeProgress(cell, path);
      if (!cell || task.postProgress === true) port.postMessage({ type: 'progress', path } satisfies WorkerMessage);
    };
    const scanFiles = (files: readonly SourceFile[], packed: PackedFiles | undefined): { files?: SourceFile[]; parsed?: Map<SourceFile, ParsedFile> } => {
      if (!packed && fed.length === 0) return {};
      const all = [...fed, ...files, ...(packed ? unpackFiles(packed) : [])];
      const ahead = parsed;
      if (fed.length > 0) all.sort(byPath);
      fed = [];
      parsed = new Map();
      return ahead.size > 0 ? { files: all, parsed: ahead } : { files: all };
    };
    /** The scan's files, with the generator inputs asked for and supplied when the task says so. */
    const scanInput = async (): Promise<{ files?: SourceFile[]; parsed?: Map<SourceFile, ParsedFile> }> => {
      if (task.op !== 'scan') return {};
      const input = scanFiles(task.input.files, task.packed);
      if (task.askForInputs !== true || !engine.generatorInputs) return input;
      const files = input.files ?? [...task.input.files];
      const ahead = input.parsed ?? new Map<SourceFile, ParsedFile>();
      const need = engine.generatorInputs(files, ahead, onProgress);
      if (need.length > 0) {
        const packed = await new Promise<PackedFiles>((resolve) => {
          supplied = resolve;
          port.postMessage({ type: 'need', paths: need } satisfies WorkerMessage);
        });
        files.push(...unpackFiles(packed));
        files.sort(byPath);
      }
      return ahead.size > 0 ? { files, parsed: ahead } : { files };
    };
    const work =
      task.op === 'review'
        ? engine.review({ ...task.input, onProgress })
        : scanInput().then((files) => engine.scan({ ...task.input, ...files, onProgress }));
    const settled = (): void => {
      try {
        hooks.afterWork?.();
      } catch {
        // a hook that fails changes nothing for the task
      }
    };
    work.then(
      (result) => {
        settled();
        port.postMessage({ type: 'done', result } satisfies WorkerMessage);
      },
      (err: unknown) => {
        settled();
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ type: 'failed', name: e.name, message: e.message } satisfies WorkerMessage);
      },
    );
  });
}
