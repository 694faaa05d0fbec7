/**
 * Files as raw bytes in a few large buffers, for handing to the engine's worker by transfer instead of
 * by structured clone. The CLI reads a tree straight into these buffers (no string per file on the main
 * thread); `postMessage` moves the buffers to the worker without copying them, and the worker decodes
 * each file there. On the corpus (3,600 files, 27 MB) the clone of the decoded strings cost the main
 * thread about 0.15 s and the worker as much again to rebuild them.
 */
import { decodeBytes } from '../engine/decode.js';
import type { SourceFile } from '../engine/model.js';

export interface PackedFiles {
  readonly paths: readonly string[];
  /** Transferred with the message: the main thread no longer holds them afterwards. */
  readonly buffers: readonly ArrayBuffer[];
  /** Three numbers per path: buffer index, start, end (bytes). */
  readonly where: Int32Array;
}

/** A new buffer holds at least this much (a larger file gets a buffer of its own size). */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Buffer size when streaming to the worker: a batch per megabyte read keeps the worker busy meanwhile. */
export const STREAM_CHUNK_BYTES = 1024 * 1024;

/**
 * Collects files into large buffers; `reserve` + `commit` let a reader read straight into them. With
 * `onBatch`, each buffer, once full, is handed over with its files (to be transferred to the worker
 * while the reader goes on), and `finish` returns only the files not handed over yet.
 */
export class FilePacker {
  private paths: string[] = [];
  private buffers: ArrayBuffer[] = [];
  private where: number[] = [];
  private current = new Uint8Array(0);
  private used = 0;

  constructor(
    private readonly onBatch?: (batch: PackedFiles) => void,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Room for `bytes` bytes at the current end (valid until the next reserve). */
  reserve(bytes: number): Uint8Array {
    if (this.buffers.length === 0 || this.current.length - this.used < bytes) {
      if (this.onBatch && this.paths.length > 0) this.onBatch(this.take());
      // The tail of the previous buffer stays unused: it is freed with the buffer in the worker.
      const buffer = new ArrayBuffer(Math.max(this.chunkBytes, bytes));
      this.buffers.push(buffer);
      this.current = new Uint8Array(buffer);
      this.used = 0;
    }
    return this.current.subarray(this.used, this.used + bytes);
  }

  /** The first `length` bytes of the last reserve are the file `path`. */
  commit(path: string, length: number): void {
    this.paths.push(path);
    this.where.push(this.buffers.length - 1, this.used, this.used + length);
    this.used += length;
  }

  /** The files committed since the last batch, and their buffers (the current one included: it is not written to again). */
  private take(): PackedFiles {
    const batch = { paths: this.paths, buffers: this.buffers, where: Int32Array.from(this.where) };
    this.paths = [];
    this.buffers = [];
    this.where = [];
    this.current = new Uint8Array(0);
    this.used = 0;
    return batch;
  }

  /** The files not handed over yet, in `order` (paths not among them are ignored). */
  finish(order?: readonly string[]): PackedFiles {
    if (!order) return this.take();
    const index = new Map(this.paths.map((p, i) => [p, i] as const));
    const paths: string[] = [];
    const where: number[] = [];
    for (const p of order) {
      const i = index.get(p);
      if (i === undefined) continue;
      paths.push(p);
      where.push(this.where[3 * i]!, this.where[3 * i + 1]!, this.where[3 * i + 2]!);
    }
    const buffers = this.buffers;
    this.take();
    return { paths, buffers, where: Int32Array.from(where) };
  }
}

/** The engine's one decoder of file bytes (UTF-8, or UTF-16 with a byte order mark), shared with the App. */
export const decode = decodeBytes;

/** The packed files as the engine takes them, in their packed order. */
export function unpackFiles(packed: PackedFiles): SourceFile[] {
  const files: SourceFile[] = [];
  const { paths, buffers, where } = packed;
  for (let i = 0; i < paths.length; i++) {
    const start = where[3 * i + 1]!;
    files.push({ path: paths[i]!, text: decode(new Uint8Array(buffers[where[3 * i]!]!, start, where[3 * i + 2]! - start)) });
  }
  return files;
}

/** Compares paths as the CLI sorts them (code units), so files fed in parts end in one order. */
export function byPath(a: SourceFile, b: SourceFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
