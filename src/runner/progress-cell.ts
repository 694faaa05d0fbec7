/**
 * The file the engine is on, shared with the runner instead of posted: a message per file cost about
 * a tenth of a corpus scan (two structured clones and a wake-up of each thread per file). Layout:
 * [sequence number, byte length] (Int32) then the path's UTF-8 bytes. The runner reads it when a
 * budget timer fires; the sequence number tells it whether the engine moved on meanwhile.
 */
export interface ProgressCell {
  readonly buffer: SharedArrayBuffer;
}

const PROGRESS_BYTES = 4096;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createProgressCell(): ProgressCell {
  return { buffer: new SharedArrayBuffer(8 + PROGRESS_BYTES) };
}

export function writeProgress(cell: ProgressCell, path: string): void {
  const head = new Int32Array(cell.buffer, 0, 2);
  const { written } = encoder.encodeInto(path, new Uint8Array(cell.buffer, 8, PROGRESS_BYTES));
  Atomics.store(head, 1, written);
  Atomics.add(head, 0, 1);
}

/** How many times the engine moved to another file. */
export function progressSequence(cell: ProgressCell): number {
  return Atomics.load(new Int32Array(cell.buffer, 0, 2), 0);
}

/** The file the engine last moved to (undefined before the first). */
export function readProgress(cell: ProgressCell): string | undefined {
  const head = new Int32Array(cell.buffer, 0, 2);
  for (;;) {
    const seq = Atomics.load(head, 0);
    if (seq === 0) return undefined;
    const length = Math.min(Atomics.load(head, 1), PROGRESS_BYTES);
    const path = decoder.decode(new Uint8Array(cell.buffer, 8, length).slice());
    if (Atomics.load(head, 0) === seq) return path;
  }
}
