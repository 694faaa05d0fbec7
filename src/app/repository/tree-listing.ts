/**
 * Reads a git tree listing (`GET /repos/{o}/{r}/git/trees/{sha}`) from its JSON body as it streams in,
 * keeping only the entries a review can read. A 100,000-entry listing is ~20 MB of JSON; parsed whole
 * it is the text, 100,000 objects of six fields (each with its `url`) and the filtering copy — well over
 * 100 MB for a moment, and one 300–600 ms synchronous `JSON.parse` on the event loop. Streamed, it
 * costs one chunk of text at a time plus what is kept, and the event loop runs every few milliseconds.
 *
 * A streaming JSON tokenizer written in JavaScript (@streamparser/json was tried) costs 3-4x a native
 * JSON.parse of the same bytes, all of it on the event loop; ListingSplitter below only finds where the
 * entries are and lets the native parser read them, a chunk at a time.
 */
import { isEvidenceCandidate, isKustomizationPath, isManifestCandidate } from '../../engine/candidates.js';
import type { TreeBlob } from './cache.js';

/** Parsing time after which the reader lets the event loop run (ms). */
const YIELD_EVERY_MS = 10;

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

/** A byte of JSON structure (all ASCII: never part of a multi-byte UTF-8 sequence). */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Splits a listing's JSON as it streams in, in one linear pass over the bytes (no regular expression, no
 * backtracking): the elements of the top-level `tree` array are cut at their separating commas and
 * parsed a run at a time with the native JSON.parse (one call per chunk, not per entry); everything
 * else — `sha`, `url`, `truncated`, with an empty `tree` — is a small "skeleton" parsed at the end.
 * Only strings, escapes and nesting are tracked to find those commas; JSON.parse checks the rest.
 */
class ListingSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the root's `tree` array (at depth 2), whose elements are routed to `onEntries`. */
  private inTree = false;
  private routed = false;
  /** Separators seen in the tree array. */
  private separators = 0;
  private ended = false;
  /** Bytes of the current run of `tree` elements not yet followed by a separator. */
  private run: Uint8Array[] = [];
  private skeleton = '';
  private readonly skeletonDecoder = new TextDecoder('utf-8'); // invalid bytes become U+FFFD, as response.text() does
  private readonly runDecoder = new TextDecoder('utf-8');

  constructor(private readonly onEntries: (entries: unknown[]) => void) {}

  write(chunk: Uint8Array): void {
    let from = 0; // start of the bytes not yet handed to the skeleton or the run
    let last = -1; // last separator inside the tree array in this chunk
    let backslash = -2; // next backslash at or after i (-1: none left in this chunk; -2: not looked for yet)
    for (let i = 0; i < chunk.length; i++) {
      if (this.inString) {
        // Most of a listing is string content: jump to the next quote or backslash (native search).
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf(BACKSLASH, i);
        const quote = chunk.indexOf(QUOTE, i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          i = backslash; // the next byte is escaped
          this.escaped = true;
        } else if (quote === -1) {
          break; // the string goes on in the next chunk
        } else {
          i = quote;
          this.inString = false;
        }
        continue;
      }
      const c = chunk[i]!;
      if (c === QUOTE) {
        if (this.ended) throw new Error('unexpected data after the tree listing');
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.ended) throw new Error('unexpected data after the tree listing');
        if (this.depth === 1 && c === OPEN_BRACKET && !this.routed && this.isTreeKey(chunk, from, i)) {
          this.addSkeleton(chunk.subarray(from, i + 1));
          from = i + 1;
          this.inTree = true;
          this.routed = true;
        }
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth === 0) throw new Error('unbalanced JSON in the tree listing');
        this.depth--;
        if (this.inTree && this.depth === 1) {
          // The tree array closes: its last run, then the `]` goes back to the skeleton.
          this.flushRun(chunk.subarray(from, i), true);
          from = i;
          last = -1;
          this.inTree = false;
        }
        if (this.depth === 0) this.ended = true;
      } else if (c === COMMA) {
        if (this.inTree && this.depth === 2) {
          last = i;
          this.separators++;
        }
      } else if (this.ended && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        throw new Error('unexpected data after the tree listing');
      }
    }
    if (this.inTree) {
      if (last >= 0) {
        this.flushRun(chunk.subarray(from, last), false);
        from = last + 1;
      }
      if (from < chunk.length) this.run.push(chunk.slice(from));
    } else if (from < chunk.length) {
      this.addSkeleton(chunk.subarray(from));
    }
  }

  /** The root object without its tree entries (`tree: []`), once the body has ended. */
  end(): Record<string, unknown> {
    if (!this.ended || this.inString || this.depth !== 0) throw new Error('the tree listing ended before its JSON did');
    this.skeleton += this.skeletonDecoder.decode();
    const root: unknown = JSON.parse(this.skeleton);
    if (!root || typeof root !== 'object' || Array.isArray(root)) throw new Error('the tree listing is not a JSON object');
    return root as Record<string, unknown>;
  }

  /** Whether the skeleton so far plus chunk[from, at) ends with the key `"tree"` and its colon. */
  private isTreeKey(chunk: Uint8Array, from: number, at: number): boolean {
    const start = Math.max(from, at - 64);
    const tail = (this.skeleton.slice(-64) + Buffer.from(chunk.buffer, chunk.byteOffset + start, at - start).toString('latin1')).trimEnd();
    return tail.endsWith(':') && tail.slice(0, -1).trimEnd().endsWith('"tree"');
  }

  private addSkeleton(bytes: Uint8Array): void {
    this.skeleton += this.skeletonDecoder.decode(bytes, { stream: true });
  }

  /**
   * Parses the carried bytes plus `tail` as a run of complete array elements, ended by a separator or, when
   * `closing`, by the array's end. An empty run is an empty array, or a stray comma (`[,1]`, `[1,,2]`, `[1,]`)
   * that JSON.parse never sees whole.
   */
  private flushRun(tail: Uint8Array, closing: boolean): void {
    const parts = this.run.length > 0 ? [...this.run, tail] : [tail];
    this.run = [];
    let text = '';
    for (const part of parts) text += this.runDecoder.decode(part, { stream: true });
    text += this.runDecoder.decode();
    if (text.trim() === '') {
      if (!closing || this.separators > 0) throw new Error('invalid JSON in the tree listing: an empty array element');
      return;
    }
    const entries: unknown = JSON.parse(`[${text}]`);
    this.onEntries(entries as unknown[]);
  }
}

/**
 * Reads a listing from its response body (bytes as they arrive). Only `sha`, `truncated` and the
 * entries of `tree` are taken; each run of entries is filtered as soon as it is complete and then
 * dropped. Malformed JSON, or JSON that is not a listing (no `sha`), rejects.
 */
export async function readTreeListing(body: AsyncIterable<Uint8Array>, options: ListingOptions): Promise<TreeListing> {
  const collector = new ListingCollector(options);
  const splitter = new ListingSplitter((entries) => {
    for (const e of entries) collector.entry(e as RawEntry);
  });
  let since = performance.now();
  for await (const chunk of body) {
    splitter.write(chunk);
    // Chunks already buffered arrive as microtasks, which never let the event loop run: yield to it
    // every few milliseconds of work, so /healthz and other deliveries are served meanwhile.
    if (performance.now() - since > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  const root = splitter.end();
  // A `tree` the splitter did not route (a key spelt with escapes) is still read, from the skeleton.
  if (Array.isArray(root.tree)) for (const e of root.tree) collector.entry(e as RawEntry);
  if (typeof root.sha === 'string') collector.sha = root.sha;
  collector.truncated = root.truncated === true;
  // Not a listing (an empty body, another JSON value): an error, never an empty tree that passes silently.
  if (collector.sha === undefined) throw new Error('the tree listing has no sha: not a git tree listing');
  return collector.finish();
}
