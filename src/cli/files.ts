import { closeSync, fstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isEvidenceCandidate, isManifestCandidate } from '../engine/candidates.js';
import { listGeneratorInputs } from '../engine/kustomize/index.js';
import type { FileProblem, SourceFile } from '../engine/model.js';
import { byPath, FilePacker, STREAM_CHUNK_BYTES, unpackFiles, type PackedFiles } from '../runner/packed.js';
import type { Progress } from './io.js';

/** Files larger than this are not read at all (the engine skips large files anyway). */
export const MAX_READ_BYTES = 32 * 1024 * 1024;
/** Why a file over MAX_READ_BYTES was not read (disk and git readers alike). */
export const TOO_LARGE_TO_READ = `larger than ${MAX_READ_BYTES / 1024 / 1024} MB, not read`;
/** Folders never walked into. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

// One decoder for the CLI, the engine's worker (which decodes the files the CLI reads as bytes) and the App.
export { decode } from '../runner/packed.js';

/** The file-system calls the CLI's reader makes (tests inject failures that root never sees). */
export interface ReaderFs {
  readdirSync(path: string, options: { withFileTypes: true }): Dirent[];
}
const nodeFs: ReaderFs = { readdirSync: (path, options) => readdirSync(path, options) };

export interface ReadResult {
  readonly files: SourceFile[];
  /** Files the CLI did not read (too large), in the engine's FileProblem shape. */
  readonly skipped: FileProblem[];
}

/**
 * Every file path under `root` (POSIX, relative), not following symbolic links (as git stores
 * them: not as files), skipping .git and node_modules. Synchronous on purpose: for thousands of
 * small files, sync fs calls beat the libuv thread pool by 2-3x, and the CLI has nothing else to do.
 */
export function walk(root: string, progress?: Progress, skipped?: FileProblem[], fs: ReaderFs = nodeFs): string[] {
  const out: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(rel === '' ? root : join(root, rel), { withFileTypes: true });
    } catch (error) {
      // Named in the output: a folder left out silently would pass as "nothing found".
      const code = (error as NodeJS.ErrnoException).code;
      skipped?.push({ path: rel === '' ? '.' : `${rel}/`, kind: 'skipped', reason: `folder could not be read${code ? ` (${code})` : ''}; nothing in it was scanned` });
      continue;
    }
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) pending.push(path);
      } else if (e.isFile()) {
        out.push(path);
      }
    }
    progress?.update(`keyref: looking for manifests… ${out.length} files`);
  }
  return out.sort();
}

/** A path from a kustomization that stays inside the scanned root. */
function insideRoot(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.split('/').some((s) => s === '..') && !/^[A-Za-z]:/.test(path);
}

/**
 * Reads `abs` straight into the packer: one open, fstat, read(s) and close per file (no separate stat
 * call, no Buffer or string per file on this thread). Returns why it was not read, or undefined.
 */
function readInto(packer: FilePacker, abs: string, path: string, onlyIf?: (path: string, size: number) => boolean): string | false | undefined {
  const fd = openSync(abs, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || (onlyIf && !onlyIf(path, info.size))) return false;
    if (info.size > MAX_READ_BYTES) return TOO_LARGE_TO_READ;
    const room = packer.reserve(info.size);
    let length = 0;
    // A file that shrinks meanwhile ends early; one that grows is read as it was when opened.
    while (length < room.length) {
      const n = readSync(fd, room, length, room.length - length, null);
      if (n === 0) break;
      length += n;
    }
    packer.commit(path, length);
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readMany(root: string, paths: readonly string[], packer: FilePacker, read: string[], skipped: FileProblem[], progress?: Progress, total?: number, onlyIf?: (path: string, size: number) => boolean): void {
  let done = 0;
  for (const path of paths) {
    try {
      const why = readInto(packer, join(root, path), path, onlyIf);
      if (why === false) continue;
      if (why !== undefined) {
        skipped.push({ path, kind: 'skipped', reason: why });
        continue;
      }
      read.push(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      skipped.push({ path, kind: 'skipped', reason: `could not be read${code ? ` (${code})` : ''}` });
    }
    done++;
    progress?.update(`keyref: reading files… ${done}${total ? `/${total}` : ''}`);
  }
}

export interface StreamedReadResult {
  /** The files as bytes not handed to `onBatch`, sorted by path, for the engine's worker (see runner/packed.ts). */
  readonly packed: PackedFiles;
  /** Files and folders that could not be read, by path (readInputs adds to it). */
  readonly skipped: FileProblem[];
  /**
   * Reads generator inputs (.env, .properties…) named after the walk: those inside the root that the walk
   * found and that were not read yet.
   */
  readInputs(paths: readonly string[]): PackedFiles;
}

/**
 * The manifest candidates under `root` as bytes, handed over a megabyte at a time as they are read
 * (`onBatch`: the CLI feeds them to the engine's worker, which parses them meanwhile). The generator inputs
 * their kustomizations name are read when the worker names them (`readInputs`, see the scan task's
 * `askForInputs`): the main thread neither decodes nor parses kustomizations.
 */
export function readDirectoryStreamed(root: string, progress: Progress | undefined, onBatch: (batch: PackedFiles) => void): StreamedReadResult {
  return readTree(root, progress, undefined, onBatch);
}

/** Every manifest candidate under `root` and the generator inputs their kustomizations name, decoded (tests, the kustomize parity script). */
export function readDirectory(root: string, progress?: Progress, fs?: ReaderFs): ReadResult {
  const read = readTree(root, progress, fs);
  const files = unpackFiles(read.packed);
  const inputs = unpackFiles(read.readInputs(listGeneratorInputs(files)));
  return { files: inputs.length > 0 ? [...files, ...inputs].sort(byPath) : files, skipped: read.skipped };
}

/** Walks `root` and reads its candidates into a packer (see StreamedReadResult). */
function readTree(root: string, progress: Progress | undefined, fs: ReaderFs | undefined, onBatch?: (batch: PackedFiles) => void): StreamedReadResult {
  const skipped: FileProblem[] = [];
  const packer = onBatch ? new FilePacker(onBatch, STREAM_CHUNK_BYTES) : new FilePacker();
  const read: string[] = [];
  const all = walk(root, progress, skipped, fs);
  const candidates = all.filter((p) => isManifestCandidate(p) || isEvidenceCandidate(p));
  // A large doc or script is not evidence worth reading (manifests are always read; the engine bounds them).
  readMany(root, candidates, packer, read, skipped, progress, candidates.length, (p, size) => isManifestCandidate(p) || isEvidenceCandidate(p, size));
  read.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bySkippedPath = (a: FileProblem, b: FileProblem) => (a.path < b.path ? -1 : 1);
  skipped.sort(bySkippedPath);
  return {
    packed: packer.finish(read),
    skipped,
    readInputs: (paths) => {
      // Generator inputs that do not exist are left out: the engine then treats their keys as unknown.
      const exists = new Set(all);
      const have = new Set(read);
      const inputs = [...new Set(paths)].filter((p) => insideRoot(p) && exists.has(p) && !have.has(p)).sort();
      const got: string[] = [];
      const inputPacker = new FilePacker();
      readMany(root, inputs, inputPacker, got, skipped);
      read.push(...got);
      skipped.sort(bySkippedPath);
      return inputPacker.finish(got);
    },
  };
}

/** Whether `path` is an existing directory (without following a final symlink being a problem). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
