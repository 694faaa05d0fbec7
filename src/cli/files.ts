import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isEvidenceCandidate, isManifestCandidate } from '../engine/candidates.js';
import { listGeneratorInputs } from '../engine/kustomize/index.js';
import type { FileProblem, SourceFile } from '../engine/model.js';
import type { Progress } from './io.js';

/** Files larger than this are not read at all (the engine skips large files anyway). */
export const MAX_READ_BYTES = 32 * 1024 * 1024;
/** Folders never walked into. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

const decoder = new TextDecoder('utf-8', { fatal: false });
const utf16le = new TextDecoder('utf-16le', { fatal: false });
const utf16be = new TextDecoder('utf-16be', { fatal: false });

/**
 * UTF-8 with U+FFFD for invalid bytes (the engine skips files holding NUL or U+FFFD as binary / not UTF-8),
 * or UTF-16 when the file starts with its byte order mark: kubectl reads UTF-16 manifests with a BOM
 * (Windows editors write them), so their Secrets are applied and must be checked like any other.
 */
export function decode(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes);
  return decoder.decode(bytes);
}

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

function readMany(root: string, paths: readonly string[], result: ReadResult, progress?: Progress, total?: number, onlyIf?: (path: string, size: number) => boolean): void {
  let done = 0;
  for (const path of paths) {
    const abs = join(root, path);
    try {
      const info = statSync(abs);
      if (!info.isFile()) continue;
      if (onlyIf && !onlyIf(path, info.size)) continue;
      if (info.size > MAX_READ_BYTES) {
        result.skipped.push({ path, kind: 'skipped', reason: `larger than ${MAX_READ_BYTES / 1024 / 1024} MB, not read` });
        continue;
      }
      result.files.push({ path, text: decode(readFileSync(abs)) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.skipped.push({ path, kind: 'skipped', reason: `could not be read${code ? ` (${code})` : ''}` });
    }
    done++;
    progress?.update(`keyref: reading files… ${done}${total ? `/${total}` : ''}`);
  }
}

/** The manifest candidates under `root`, plus the generator inputs (.env, .properties…) their kustomizations name. */
export function readDirectory(root: string, progress?: Progress, fs?: ReaderFs): ReadResult {
  const result: ReadResult = { files: [], skipped: [] };
  const all = walk(root, progress, result.skipped, fs);
  const candidates = all.filter((p) => isManifestCandidate(p) || isEvidenceCandidate(p));
  // A large doc or script is not evidence worth reading (manifests are always read; the engine bounds them).
  readMany(root, candidates, result, progress, candidates.length, (p, size) => isManifestCandidate(p) || isEvidenceCandidate(p, size));
  const have = new Set(result.files.map((f) => f.path));
  const inputs = [...new Set(listGeneratorInputs(result.files))].filter((p) => insideRoot(p) && !have.has(p));
  if (inputs.length > 0) {
    // Generator inputs that do not exist are left out: the engine then treats their keys as unknown.
    const exists = new Set(all);
    readMany(root, inputs.filter((p) => exists.has(p)), result, progress);
  }
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return result;
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
