/**
 * The messages between the engine runner (main thread) and an engine worker. Everything crosses
 * `postMessage` (structured clone): files in, results out, and the path of the file being worked on.
 */
import { parentPort } from 'node:worker_threads';
import type { ReviewInput, ReviewResult } from '../engine/review.js';
import type { ScanInput, ScanResult } from '../engine/scan.js';

/** What a worker runs: the engine's `review` (both trees) or `scan` (one tree), without callbacks. */
export type EngineTask =
  | { readonly op: 'review'; readonly input: Omit<ReviewInput, 'onProgress'> }
  | { readonly op: 'scan'; readonly input: Omit<ScanInput, 'onProgress' | 'rules'> };

export type EngineOutput<T extends EngineTask> = T extends { op: 'review' } ? ReviewResult : ScanResult;

export type WorkerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'progress'; readonly path: string }
  | { readonly type: 'done'; readonly result: ReviewResult | ScanResult }
  | { readonly type: 'failed'; readonly name: string; readonly message: string };

export interface EngineFunctions {
  review(input: ReviewInput): Promise<ReviewResult>;
  scan(input: ScanInput): Promise<ScanResult>;
}

/**
 * Serves engine tasks in a worker thread, one at a time: reports each new file the engine moves to,
 * then the result. Errors are sent as name and message only (never a stack or any input text).
 */
export function serveEngine(engine: EngineFunctions): void {
  const port = parentPort;
  if (!port) throw new Error('serveEngine must run in a worker thread');
  port.on('message', (task: EngineTask) => {
    port.postMessage({ type: 'started' } satisfies WorkerMessage);
    let last = '';
    const onProgress = (path: string): void => {
      if (path === last) return;
      last = path;
      port.postMessage({ type: 'progress', path } satisfies WorkerMessage);
    };
    const work = task.op === 'review' ? engine.review({ ...task.input, onProgress }) : engine.scan({ ...task.input, onProgress });
    work.then(
      (result) => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ type: 'failed', name: e.name, message: e.message } satisfies WorkerMessage);
      },
    );
  });
}
