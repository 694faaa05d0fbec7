/**
 * The messages between the engine runner (main thread) and an engine worker. Everything crosses
 * `postMessage` (structured clone): files in, results out, and the path of the file being worked on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ReviewInput, ReviewResult } from '../engine/review.js';
import type { ScanInput, ScanResult } from '../engine/scan.js';
import type { SourceFile } from '../engine/model.js';
import type { ParsedFile } from '../engine/parse/index.js';
import { byPath, fileOf, unpackFiles, type PackedFiles } from './packed.js';

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
    };

export type EngineOutput<T extends EngineTask> = T extends { op: 'review' } ? ReviewResult : ScanResult;

export type WorkerMessage =
  | { readonly type: 'started' }
  /** The worker is parsing fed files (the budget of the coming scan runs from here). */
  | { readonly type: 'feeding' }
  | { readonly type: 'progress'; readonly path: string }
  | { readonly type: 'done'; readonly result: ReviewResult | ScanResult }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

/**
 * The file the engine is on, shared with the runner instead of posted: a message per file cost about
 * a tenth of a corpus scan (two structured clones and a wake-up of each thread per file). Layout:
 * [sequence number, byte length, files finished] (Int32) then the path's UTF-8 bytes. The runner reads
 * it when a budget timer fires (the sequence number tells it whether the engine moved on meanwhile) and
 * while it shares out files between the engine and its parse helper (how far each has got).
 */
export interface ProgressCell {
  readonly buffer: SharedArrayBuffer;
}

const PROGRESS_HEAD = 12;
const PROGRESS_BYTES = 4096;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createProgressCell(): ProgressCell {
  return { buffer: new SharedArrayBuffer(PROGRESS_HEAD + PROGRESS_BYTES) };
}

const headOf = (cell: ProgressCell) => new Int32Array(cell.buffer, 0, 3);

export function writeProgress(cell: ProgressCell, path: string): void {
  const head = headOf(cell);
  const { written } = encoder.encodeInto(path, new Uint8Array(cell.buffer, PROGRESS_HEAD, PROGRESS_BYTES));
  Atomics.store(head, 1, written);
  Atomics.add(head, 0, 1);
}

/** The file the last writeProgress named is done (the parse helper says so: it is then idle, or on the next). */
export function finishProgress(cell: ProgressCell): void {
  Atomics.add(headOf(cell), 2, 1);
}

/** How many times the engine moved to another file. */
export function progressSequence(cell: ProgressCell): number {
  return Atomics.load(headOf(cell), 0);
}

/** How many files finishProgress counted. */
export function progressFinished(cell: ProgressCell): number {
  return Atomics.load(headOf(cell), 2);
}

/** The file the engine last moved to (undefined before the first). */
export function readProgress(cell: ProgressCell): string | undefined {
  const head = headOf(cell);
  for (;;) {
    const seq = Atomics.load(head, 0);
    if (seq === 0) return undefined;
    const length = Math.min(Atomics.load(head, 1), PROGRESS_BYTES);
    const path = decoder.decode(new Uint8Array(cell.buffer, PROGRESS_HEAD, length).slice());
    if (Atomics.load(head, 0) === seq) return path;
  }
}

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

/**
 * The parse helper (CLI scans on a machine with a second core): a worker that only parses, so that both
 * cores parse while the engine's worker is still loading the engine and the tree is still being read.
 * Both workers get every fed file, in the same order (the helper a copy of the bytes), and share out
 * the parsing by claiming the next file from one shared counter (`claims`, an Int32 in shared memory):
 * whichever is free takes the next file, so neither waits for the other by more than a file. The
 * helper posts what it parsed straight to the engine's worker over a MessageChannel, by file index
 * (one structured clone of the parsed values, about a tenth of the cost of parsing them).
 */
export type HelperMessage =
  /** To the engine worker: parse fed files by claiming them on `claims`; the helper's results arrive on `port`. */
  | { readonly op: 'helper'; readonly port: MessagePort; readonly claims: SharedArrayBuffer }
  /** To the engine worker: the helper died; parse here every fed file it had claimed and not sent. */
  | { readonly op: 'helper-lost' };

/** To the parse helper: where results go and the shared counter, then the fed files (copies), in order. */
export type ParseMessage =
  | { readonly op: 'connect'; readonly port: MessagePort; readonly claims: SharedArrayBuffer }
  | { readonly op: 'parse'; readonly packed: PackedFiles };

/** From the parse helper to the engine worker: fed files by index (in feeding order), and what parsing each gave. */
export interface ParsedMessage {
  readonly type: 'parsed';
  readonly results: readonly (readonly [index: number, parsed: ParsedFile])[];
}

/**
 * Claims fed files on a shared counter (see HelperMessage): `available` is how many files this side has
 * received. Returns the indexes to parse now, in order; a claim past `available` (the other side has
 * received more already) is kept in `ahead` and returned once that file has arrived here.
 */
export function claimFiles(claims: Int32Array, available: number, ahead: number[]): number[] {
  const now: number[] = [];
  while (ahead.length > 0 && ahead[0]! < available) now.push(ahead.shift()!);
  if (ahead.length > 0) return now;
  while (Atomics.load(claims, 0) < available) {
    const i = Atomics.add(claims, 0, 1);
    if (i >= available) {
      ahead.push(i);
      break;
    }
    now.push(i);
  }
  return now;
}

export interface EngineFunctions {
  review(input: ReviewInput): Promise<ReviewResult>;
  scan(input: ScanInput): Promise<ScanResult>;
  /** Parses one fed file ahead of its scan (optional: without it, fed files are parsed by the scan). */
  parse?(file: SourceFile): ParsedFile;
}

/**
 * Serves engine tasks in a worker thread, one at a time: reports each new file the engine moves to,
 * then the result. Errors are sent as name and message only (never a stack or any input text).
 */
export function serveEngine(engine: EngineFunctions): void {
  const port = parentPort;
  if (!port) throw new Error('serveEngine must run in a worker thread');
  const cell = (workerData as { progress?: ProgressCell } | undefined)?.progress;
  // Files fed ahead of the next scan, and what parsing them gave (by index when a helper shares the parsing).
  let fed: SourceFile[] = [];
  let parsed: (ParsedFile | undefined)[] = [];
  let missing = 0;
  // Sharing the parsing with a helper: the shared counter, claims past what has arrived, and the helper's state.
  let claims: Int32Array | undefined;
  const ahead: number[] = [];
  let helperLost = false;
  // The scan that waits for the helper's last results.
  let waiting: (() => void) | undefined;
  const parseAt = (i: number): void => {
    const file = fed[i]!;
    // The runner's budget timer reads this cell: a file that hangs the parse is named and stopped.
    if (cell) writeProgress(cell, file.path);
    parsed[i] = engine.parse!(file);
    missing--;
  };
  const ready = (): void => {
    if (missing > 0 || !waiting) return;
    const run = waiting;
    waiting = undefined;
    run();
  };
  const onParsed = (message: ParsedMessage): void => {
    for (const [i, result] of message.results) {
      if (parsed[i] !== undefined) continue;
      parsed[i] = result;
      missing--;
    }
    ready();
  };
  port.on('message', (task: TaskMessage | FeedMessage | HelperMessage) => {
    if (task.op === 'helper') {
      claims = new Int32Array(task.claims, 0, 1);
      helperLost = false;
      task.port.on('message', onParsed);
      task.port.unref();
      return;
    }
    if (task.op === 'helper-lost') {
      // Everything the helper had claimed and not sent is parsed here; no more claims are needed.
      helperLost = true;
      if (engine.parse) for (let i = 0; i < fed.length; i++) if (parsed[i] === undefined) parseAt(i);
      ready();
      return;
    }
    if (task.op === 'feed') {
      if (fed.length === 0) port.postMessage({ type: 'feeding' } satisfies WorkerMessage);
      const from = fed.length;
      for (const file of unpackFiles(task.packed)) {
        fed.push(file);
        parsed.push(undefined);
        missing++;
      }
      if (!engine.parse) return;
      if (claims && !helperLost) for (const i of claimFiles(claims, fed.length, ahead)) parseAt(i);
      else for (let i = from; i < fed.length; i++) parseAt(i);
      return;
    }
    const start = (): void => {
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
        const done = new Map<SourceFile, ParsedFile>();
        fed.forEach((file, i) => {
          const r = parsed[i];
          if (r !== undefined) done.set(file, r);
        });
        const all = [...fed, ...files, ...(packed ? unpackFiles(packed) : [])];
        if (fed.length > 0) all.sort(byPath);
        fed = [];
        parsed = [];
        missing = 0;
        claims = undefined;
        ahead.length = 0;
        return done.size > 0 ? { files: all, parsed: done } : { files: all };
      };
      const work =
        task.op === 'review'
          ? engine.review({ ...task.input, onProgress })
          : engine.scan({ ...task.input, ...scanFiles(task.input.files, task.packed), onProgress });
      work.then(
        (result) => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          port.postMessage({ type: 'failed', name: e.name, message: e.message } satisfies WorkerMessage);
        },
      );
    };
    // With a helper, files it claimed may still be on their way: the scan starts when every fed file is parsed.
    if (claims && engine.parse && missing > 0) waiting = start;
    else start();
  });
}

/** Results are posted to the engine worker after about this many bytes of files (and whenever nothing is left to claim). */
const HELPER_POST_BYTES = 256 * 1024;

/**
 * Serves the parse helper (see HelperMessage): claims fed files on the shared counter, parses each,
 * marking the file it is on in its progress cell (the runner's budget names a file that hangs it), and
 * posts the results to the engine worker's port. `parse` (parseSourceFile) never throws on a file.
 */
export function serveParser(parse: (file: SourceFile) => ParsedFile): void {
  const port = parentPort;
  if (!port) throw new Error('serveParser must run in a worker thread');
  const cell = (workerData as { progress?: ProgressCell } | undefined)?.progress;
  let out: MessagePort | undefined;
  let claims: Int32Array | undefined;
  // The fed files (as bytes, decoded only when claimed), in feeding order; a batch whose files have all
  // been claimed (by either side) is let go, so the helper holds about one batch at a time.
  const batches: { packed: PackedFiles | undefined; first: number; end: number }[] = [];
  let available = 0;
  const ahead: number[] = [];
  const fileAt = (i: number): SourceFile => {
    let lo = 0;
    while (lo + 1 < batches.length && batches[lo + 1]!.first <= i) lo++;
    const { packed, first } = batches[lo]!;
    return fileOf(packed!, i - first);
  };
  port.on('message', (message: ParseMessage) => {
    if (message.op === 'connect') {
      out = message.port;
      claims = new Int32Array(message.claims, 0, 1);
      return;
    }
    batches.push({ packed: message.packed, first: available, end: available + message.packed.paths.length });
    available += message.packed.paths.length;
    if (!claims || !out) return;
    let results: (readonly [number, ParsedFile])[] = [];
    let bytes = 0;
    for (;;) {
      const now = claimFiles(claims, available, ahead);
      if (now.length === 0) break;
      for (const i of now) {
        const file = fileAt(i);
        if (cell) writeProgress(cell, file.path);
        results.push([i, parse(file)]);
        if (cell) finishProgress(cell);
        bytes += file.text.length;
        if (bytes >= HELPER_POST_BYTES) {
          out.postMessage({ type: 'parsed', results } satisfies ParsedMessage);
          results = [];
          bytes = 0;
        }
      }
    }
    if (results.length > 0) out.postMessage({ type: 'parsed', results } satisfies ParsedMessage);
    const claimed = Atomics.load(claims, 0);
    for (const b of batches) if (b.end <= claimed) b.packed = undefined;
  });
}
