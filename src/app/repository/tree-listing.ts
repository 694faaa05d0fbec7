/**
 * Reads a git tree listing (`GET /repos/{o}/{r}/git/trees/{sha}`) from its JSON body as it streams in,
 * keeping only the entries a review can read. A 100,000-entry listing is ~20 MB of JSON; parsed whole
 * it is the text, 100,000 objects of six fields (each with its `url`) and the filtering copy — well over
 * 100 MB for a moment, and one 300–600 ms synchronous `JSON.parse` on the event loop. Streamed, it
 * costs one chunk of text at a time plus what is kept, and the event loop runs between chunks.
 *
 * The tokenizer is @streamparser/json (no regular expressions on the body, linear in its length).
 */
import { JSONParser } from '@streamparser/json';
import { isEvidenceCandidate, isKustomizationPath, isManifestCandidate } from '../../engine/candidates.js';
import type { TreeBlob } from './cache.js';

/** Which blob entries a listing keeps: all of them, or only those a review can read (see ListingCollector). */
export type ListingKeep = 'all' | 'readable';

/** A subtree named by a listing (non-recursive listings only). */
export interface ListedSubtree {
  readonly path: string;
  readonly sha: string;
}

export interface TreeListing {
  readonly sha: string | undefined;
  readonly truncated: boolean;
  /** Blob entries kept (submodules and symlinks are never kept), paths relative to the listed tree. */
  readonly blobs: TreeBlob[];
  /** Subtree entries, when asked for. */
  readonly subtrees: ListedSubtree[];
}

export interface ListingOptions {
  readonly keep: ListingKeep;
  /** Keep the `tree` entries too (a non-recursive listing whose subtrees are listed next). */
  readonly subtrees?: boolean;
}

/** One raw entry as GitHub lists it (only the fields read; anything may be missing or mistyped). */
interface RawEntry {
  readonly path?: unknown;
  readonly mode?: unknown;
  readonly type?: unknown;
  readonly sha?: unknown;
  readonly size?: unknown;
}

/**
 * Folder of a path with its trailing slash ('' for the root).
 */
function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * Collects the entries of one listing. In `readable` mode it keeps manifest candidates, docs and
 * scripts that may be evidence (isEvidenceCandidate), and every file under a folder holding a
 * kustomization (its generators may name any file there). A file whose kustomization is not listed yet
 * waits in `pending` (path, id and size only: the listing's other fields are dropped at once) and is
 * decided when the listing ends; files under a kustomization already seen are kept at once.
 */
export class ListingCollector {
  sha: string | undefined;
  truncated = false;
  readonly blobs: TreeBlob[] = [];
  readonly subtrees: ListedSubtree[] = [];
  private readonly pending: TreeBlob[] = [];
  private readonly roots = new Set<string>();

  constructor(private readonly options: ListingOptions) {}

  entry(raw: RawEntry): void {
    if (raw === null || typeof raw !== 'object') return;
    const { path, sha } = raw;
    if (typeof path !== 'string' || typeof sha !== 'string') return;
    if (raw.type === 'tree') {
      if (this.options.subtrees) this.subtrees.push({ path, sha });
      return;
    }
    // Blobs only: no submodules (type commit) and no symlinks (mode 120000, their text is a path).
    if (raw.type !== 'blob' || raw.mode === '120000') return;
    const size = typeof raw.size === 'number' && Number.isFinite(raw.size) ? raw.size : 0;
    const blob: TreeBlob = { path, sha, size };
    if (this.options.keep === 'all') {
      this.blobs.push(blob);
      return;
    }
    if (isKustomizationPath(path)) this.roots.add(folderOf(path));
    if (isManifestCandidate(path) || isEvidenceCandidate(path, size) || this.underRoot(path)) this.blobs.push(blob);
    else this.pending.push(blob);
  }

  private underRoot(path: string): boolean {
    if (this.roots.size === 0) return false;
    if (this.roots.has('')) return true;
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) if (this.roots.has(path.slice(0, i + 1))) return true;
    return false;
  }

  finish(): TreeListing {
    if (this.roots.size > 0) for (const e of this.pending) if (this.underRoot(e.path)) this.blobs.push(e);
    this.pending.length = 0;
    return { sha: this.sha, truncated: this.truncated, blobs: this.blobs, subtrees: this.subtrees };
  }
}

/** A listing already parsed (a stand-in Octokit in tests answers with the object itself). */
export function listingFromObject(data: unknown, options: ListingOptions): TreeListing {
  const collector = new ListingCollector(options);
  const object = (data ?? {}) as { sha?: unknown; truncated?: unknown; tree?: unknown };
  if (typeof object.sha === 'string') collector.sha = object.sha;
  collector.truncated = object.truncated === true;
  if (Array.isArray(object.tree)) for (const e of object.tree) collector.entry(e as RawEntry);
  return collector.finish();
}

/**
 * Reads a listing from its response body (bytes as they arrive). Only `sha`, `truncated` and the
 * entries of `tree` are taken; each entry is handed on as soon as it is complete and not kept by the
 * parser. Malformed JSON, or JSON that is not a listing (no `sha`), rejects.
 */
export async function readTreeListing(body: AsyncIterable<Uint8Array>, options: ListingOptions): Promise<TreeListing> {
  const collector = new ListingCollector(options);
  const parser = new JSONParser({ paths: ['$.sha', '$.truncated', '$.tree.*'], keepStack: false });
  let failed: unknown;
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 1) {
      if (key === 'sha' && typeof value === 'string') collector.sha = value;
      else if (key === 'truncated') collector.truncated = value === true;
    } else if (stack.length === 2 && typeof key === 'number') {
      collector.entry(value as RawEntry);
    }
  };
  parser.onError = (err) => {
    failed ??= err;
  };
  for await (const chunk of body) {
    // The parser ends by itself after the top-level object; what follows (whitespace) is drained.
    if (!parser.isEnded) parser.write(chunk);
    if (failed) throw failed;
  }
  if (!parser.isEnded) parser.end();
  if (failed) throw failed;
  // Not a listing (an empty body, another JSON value): an error, never an empty tree that passes silently.
  if (collector.sha === undefined) throw new Error('the tree listing has no sha: not a git tree listing');
  return collector.finish();
}
