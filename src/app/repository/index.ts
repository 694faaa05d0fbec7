/**
 * Reads the manifests of a pull request's base and head trees from GitHub with as few requests as
 * possible:
 *
 *  1. one recursive tree listing per commit (`GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`);
 *  2. the candidate manifests (isManifestCandidate) of both trees, deduplicated by blob id and minus
 *     what the cache holds, fetched ~100 blobs per GraphQL query (`object(oid:)` on the repository);
 *  3. the kustomize generator inputs the kustomizations name (listGeneratorInputs), in a second batch.
 *
 * Tree listings and blob texts are cached by git object id (a content address: a hit is always
 * correct), so base and head share blobs and the next push re-fetches only what changed.
 *
 * Edge cases:
 *  - truncated recursive listing (GitHub stops at 100,000 entries / 7 MB): the reader lists the
 *    root non-recursively and each subtree recursively, descending again (non-recursively) into any
 *    subtree that is itself truncated. Subtree listings are cached by tree id too, so a warm re-read
 *    lists only the subtrees that changed. (The archive endpoint was not used: it redirects to
 *    another host, which complicates proxies and GitHub Enterprise Server, and needs a tar reader.)
 *  - blobs over `maxBlobBytes` (by the tree listing's size): not fetched, a note says so.
 *  - blobs whose GraphQL text is truncated (GitHub caps it) : fetched one by one with
 *    `GET /repos/{o}/{r}/git/blobs/{sha}` (base64, up to 100 MB).
 *  - binary blobs (GraphQL `isBinary`, a NUL byte, or invalid UTF-8 — a GraphQL text with a
 *    replacement character is re-read as bytes to tell): skipped with a note. UTF-16 with a byte order
 *    mark is text (kubectl applies it): GitHub calls it binary, so up to MAX_BINARY_REREADS such blobs
 *    of even size are re-read as bytes and decoded as the CLI decodes files (engine/decode.ts).
 *
 * Nothing here logs or returns file contents except as the `text` of the returned files.
 */
import pLimit from 'p-limit';
import { isEvidenceCandidate, isKustomizationPath, isManifestCandidate } from '../../engine/candidates.js';
import { listGeneratorInputs } from '../../engine/kustomize/index.js';
import { decodeBytes, undecodableReason } from '../../engine/decode.js';
import type { SourceFile } from '../../engine/model.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../engine/parse/index.js';
import { createBlobCache, type BlobCache, type CachedBlob, type TreeBlob } from './cache.js';
import { listingFromObject, readTreeListing, type ListingKeep, type ListingOptions, type TreeListing } from './tree-listing.js';

export { createBlobCache, DEFAULT_CACHE_BYTES, type BlobCache, type CachedBlob, type SharedBlobStore, type TreeBlob } from './cache.js';

/** The subset of an Octokit (Probot's `context.octokit`) the reader uses. */
export interface OctokitLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: (...args: any[]) => Promise<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  graphql: (...args: any[]) => Promise<any>;
}

export interface ReadTreesTarget {
  readonly owner: string;
  readonly repo: string;
  readonly baseSha: string;
  readonly headSha: string;
}

export interface ReadTreesOptions {
  /** Shared cache; without one, a cache for this call only (base and head still share blobs). */
  readonly cache?: BlobCache;
  /** Files larger than this are not read (default: the engine's own limit, 5 MiB, so both skip the same files). */
  readonly maxBlobBytes?: number;
  /** Blobs per GraphQL query (default 100). */
  readonly batchSize?: number;
  /** Upper bound of the summed blob sizes in one GraphQL query (default 4 MiB); a larger blob goes alone. */
  readonly batchBytes?: number;
  /** Requests in flight at once (default 2; GitHub asks integrators not to hammer it concurrently). */
  readonly concurrency?: number;
}

export interface ReadTreesResult {
  readonly base: SourceFile[];
  readonly head: SourceFile[];
  /** API requests this call made (cache hits make none). */
  readonly requestCount: number;
  /** What was skipped and why (paths and sizes only, never content). */
  readonly notes: string[];
}

export const DEFAULT_MAX_BLOB_BYTES = DEFAULT_MAX_FILE_BYTES;
const MAX_NOTE_PATHS = 10;
/** Blobs GitHub calls binary that are re-read as bytes, per review, in case they are UTF-16 text. */
export const MAX_BINARY_REREADS = 20;

interface GraphqlBlob {
  text?: string | null;
  isBinary?: boolean | null;
  byteSize?: number;
  isTruncated?: boolean;
}

class Reader {
  requestCount = 0;
  readonly notes: string[] = [];
  /** Blobs resolved during this call (kept here too: the shared cache may evict them before use). */
  readonly blobs = new Map<string, CachedBlob>();
  readonly limit: ReturnType<typeof pLimit>;
  readonly cache: BlobCache;
  readonly maxBlobBytes: number;
  readonly batchSize: number;
  readonly batchBytes: number;
  truncatedListings = 0;
  restFallbacks = 0;
  binaryRereads = 0;

  constructor(
    readonly octokit: OctokitLike,
    readonly owner: string,
    readonly repo: string,
    options: ReadTreesOptions,
  ) {
    this.cache = options.cache ?? createBlobCache();
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 100, 250));
    this.batchBytes = Math.max(1, options.batchBytes ?? 4 * 1024 * 1024);
    this.limit = pLimit(Math.max(1, options.concurrency ?? 2));
  }

  private async get<T>(route: string, params: Record<string, unknown>): Promise<T> {
    this.requestCount++;
    const response = await this.octokit.request(route, { owner: this.owner, repo: this.repo, ...params });
    return response.data as T;
  }

  /**
   * A tree listing, read as it streams in and filtered on the way (tree-listing.ts): only the entries
   * `keep` asks for are ever held. Octokit's own parser is bypassed (`parseSuccessResponseBody: false`):
   * it would hold the whole text and every entry's six fields at once.
   */
  private async getTree(params: Record<string, unknown>, options: ListingOptions): Promise<TreeListing> {
    this.requestCount++;
    const response = await this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: this.owner,
      repo: this.repo,
      ...params,
      request: { parseSuccessResponseBody: false },
    });
    const data: unknown = response.data;
    if (data instanceof ReadableStream) return readTreeListing(data as ReadableStream<Uint8Array>, options);
    // A stand-in Octokit (tests) may answer with the parsed object itself.
    return listingFromObject(data, options);
  }

  /**
   * Tree listings are cached per repository: blob texts are only ever looked up for ids that a listing
   * made with this installation's token named, so a listing cached for another repository must not
   * stand in for one.
   */
  private treeKey(sha: string): string {
    return `${this.owner}/${this.repo}@${sha}`.toLowerCase();
  }

  async listTree(sha: string): Promise<readonly TreeBlob[]> {
    const cached = await this.cache.loadTree(this.treeKey(sha));
    if (cached) return cached;
    const data = await this.limit(() => this.getTree({ tree_sha: sha, recursive: '1' }, { keep: 'readable' }));
    let kept: TreeBlob[];
    if (data.truncated) {
      this.truncatedListings++;
      kept = keepReadable(await this.listTreeByLevels(data.sha ?? sha, '', false));
    } else {
      kept = data.blobs;
    }
    this.cache.setTree(this.treeKey(sha), kept);
    return kept;
  }

  /** Fallback for a truncated listing: this level non-recursively, each subtree recursively. */
  private async listTreeByLevels(treeSha: string, prefix: string, underKustomization: boolean): Promise<TreeBlob[]> {
    const data = await this.limit(() => this.getTree({ tree_sha: treeSha }, { keep: 'all', subtrees: true }));
    if (data.truncated) this.notes.push(`tree listing of ${prefix || '/'} is truncated even without recursion; some files were not read`);
    const entries = prefixed(data.blobs, prefix);
    // Below a kustomization every file may be read; elsewhere each subtree keeps only what keepReadable keeps.
    const keepAll = underKustomization || entries.some((e) => isKustomizationPath(e.path));
    const mode: ListingKeep = keepAll ? 'all' : 'readable';
    const lists = await Promise.all(
      data.subtrees.map(async (t) => {
        const subPrefix = `${prefix}${t.path}/`;
        const key = `${this.treeKey(t.sha)}:${mode}`;
        const cached = await this.cache.loadTree(key);
        if (cached) return prefixed(cached, subPrefix);
        const sub = await this.limit(() => this.getTree({ tree_sha: t.sha, recursive: '1' }, { keep: mode }));
        let list = sub.blobs;
        if (sub.truncated) {
          const all = await this.listTreeByLevels(t.sha, '', keepAll);
          list = keepAll ? all : keepReadable(all);
        }
        this.cache.setTree(key, list);
        return prefixed(list, subPrefix);
      }),
    );
    for (const l of lists) entries.push(...l);
    return entries;
  }

  /** Resolves every blob in `wanted` (by id), from the cache or the API. */
  async resolveBlobs(wanted: readonly TreeBlob[]): Promise<void> {
    const unknown = new Map<string, number>();
    for (const e of wanted) if (!this.blobs.has(e.sha)) unknown.set(e.sha, e.size);
    // Memory first, then the shared tier (Redis) in one batched lookup.
    const hits = unknown.size > 0 ? await this.cache.loadBlobs([...unknown.keys()]) : new Map<string, CachedBlob>();
    const missing = new Map<string, number>();
    for (const [sha, size] of unknown) {
      const hit = hits.get(sha);
      if (hit) this.blobs.set(sha, hit);
      else missing.set(sha, size);
    }
    if (missing.size === 0) return;
    const batches: string[][] = [];
    let batch: string[] = [];
    let bytes = 0;
    for (const [sha, size] of missing) {
      if (batch.length > 0 && (batch.length >= this.batchSize || bytes + size > this.batchBytes)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(sha);
      bytes += size;
    }
    if (batch.length > 0) batches.push(batch);
    const oversize: string[] = [];
    await Promise.all(batches.map((b) => this.limit(() => this.fetchBatch(b, oversize))));
    await Promise.all(oversize.map((sha) => this.limit(() => this.fetchRestBlob(sha))));
  }

  private async fetchBatch(shas: readonly string[], oversize: string[]): Promise<void> {
    const fields = shas
      .map((sha, i) => `b${i}: object(oid: "${sha}") { ... on Blob { text isBinary byteSize isTruncated } }`)
      .join(' ');
    const query = `query ($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields} } }`;
    this.requestCount++;
    let data: { repository?: Record<string, GraphqlBlob | null> | null } | undefined;
    try {
      data = await this.octokit.graphql(query, { owner: this.owner, name: this.repo });
    } catch (error) {
      // A GraphQL error with partial data (e.g. one object not found) still carries the rest.
      const partial = (error as { data?: typeof data }).data;
      if (!partial?.repository) throw error;
      data = partial;
    }
    const repository = data?.repository ?? {};
    shas.forEach((sha, i) => {
      const blob = repository[`b${i}`];
      if (!blob) {
        this.remember(sha, { skip: 'missing' });
      } else if (blob.isBinary) {
        // GitHub, like git, calls a file with NUL bytes binary, and so a UTF-16 one; UTF-16 has an even
        // length. Those are re-read as bytes (a few per review) to look for the byte order mark.
        if (typeof blob.byteSize === 'number' && blob.byteSize >= 2 && blob.byteSize % 2 === 0 && this.binaryRereads < MAX_BINARY_REREADS) {
          this.binaryRereads++;
          oversize.push(sha);
        } else {
          this.remember(sha, { skip: 'binary' });
        }
      } else if (blob.isTruncated || typeof blob.text !== 'string' || blob.text.includes('\uFFFD')) {
        // Truncated, or possibly not UTF-8 (a replacement character): read the exact bytes.
        oversize.push(sha);
      } else {
        this.remember(sha, { text: blob.text });
      }
    });
  }

  private async fetchRestBlob(sha: string): Promise<void> {
    this.restFallbacks++;
    const data = await this.get<{ content?: string; encoding?: string }>('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { file_sha: sha });
    const buf = Buffer.from(data.content ?? '', data.encoding === 'base64' ? 'base64' : 'utf8');
    this.remember(sha, decodeText(buf));
  }

  private remember(sha: string, blob: CachedBlob): void {
    this.blobs.set(sha, blob);
    // "missing" may be transient (a GraphQL error, replication lag): only facts about content are cached.
    if (!('skip' in blob) || blob.skip !== 'missing') this.cache.setBlob(sha, blob);
  }
}

/**
 * Only the entries a review can read: manifest candidates, docs and scripts that may say an object is
 * created out of band (isEvidenceCandidate), and every file under a folder holding a
 * kustomization (its generators may name any file there: kustomize's default load restrictor keeps
 * them inside the kustomization's root). The rest of a monorepo's listing (sources, assets) is dropped
 * as soon as it is read: a 200,000-entry tree then costs its candidates, not its size.
 */
export function keepReadable(entries: readonly TreeBlob[]): TreeBlob[] {
  const roots = new Set<string>();
  for (const e of entries) if (isKustomizationPath(e.path)) roots.add(e.path.slice(0, e.path.lastIndexOf('/') + 1));
  const underRoot = (path: string): boolean => {
    if (roots.has('')) return true;
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) if (roots.has(path.slice(0, i + 1))) return true;
    return false;
  };
  return entries.filter((e) => isManifestCandidate(e.path) || isEvidenceCandidate(e.path, e.size) || (roots.size > 0 && underRoot(e.path)));
}

function prefixed(list: readonly TreeBlob[], prefix: string): TreeBlob[] {
  if (prefix === '') return list.slice();
  return list.map((e) => ({ path: prefix + e.path, sha: e.sha, size: e.size }));
}

/**
 * A blob's bytes as text, decoded as the CLI decodes files (UTF-8, or UTF-16 with a byte order mark:
 * kubectl applies those), or binary when the text holds a NUL or an undecodable byte.
 */
export function decodeText(buf: Uint8Array): CachedBlob {
  const text = decodeBytes(buf);
  return undecodableReason(text) === undefined ? { text } : { skip: 'binary' };
}

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_NOTE_PATHS).join(', ');
  return paths.length > MAX_NOTE_PATHS ? `${shown} and ${paths.length - MAX_NOTE_PATHS} more` : shown;
}

/** Reads the candidate manifests (and kustomize generator inputs) of the base and head commits. */
export async function readTrees(
  octokit: OctokitLike,
  target: ReadTreesTarget,
  options: ReadTreesOptions = {},
): Promise<ReadTreesResult> {
  const reader = new Reader(octokit, target.owner, target.repo, options);
  const sameCommit = target.baseSha === target.headSha;
  // One listing at a time: a large tree's parsed response is transient, two at once double the peak.
  const baseTree = await reader.listTree(target.baseSha);
  const headTree = sameCommit ? undefined : await reader.listTree(target.headSha);
  const sides = [baseTree, headTree ?? baseTree].map((tree) => ({
    tree,
    byPath: new Map(tree.map((e) => [e.path, e] as const)),
    chosen: new Map<string, TreeBlob>(),
  }));

  const tooLarge = new Set<string>();
  const choose = (side: (typeof sides)[number], entry: TreeBlob): void => {
    if (side.chosen.has(entry.path)) return;
    if (entry.size > reader.maxBlobBytes) {
      tooLarge.add(`${entry.path} (${entry.size} bytes)`);
      return;
    }
    side.chosen.set(entry.path, entry);
  };

  for (const side of sides) for (const e of side.tree) if (isManifestCandidate(e.path) || isEvidenceCandidate(e.path, e.size)) choose(side, e);
  await reader.resolveBlobs(sides.flatMap((s) => [...s.chosen.values()]));

  // Second round: files the kustomizations' generators read (.env, .properties, any `files:` entry).
  const generatorWanted: TreeBlob[] = [];
  const missingInputs = new Set<string>();
  for (const side of sides) {
    const inputs = listGeneratorInputs(filesOf(side.chosen, reader.blobs));
    for (const path of inputs) {
      if (side.chosen.has(path)) continue;
      const entry = side.byPath.get(path);
      if (!entry) {
        missingInputs.add(path);
        continue;
      }
      choose(side, entry);
      if (side.chosen.has(path)) generatorWanted.push(entry);
    }
  }
  await reader.resolveBlobs(generatorWanted);

  const binary = new Set<string>();
  const unreadable = new Set<string>();
  const build = (side: (typeof sides)[number]): SourceFile[] => {
    const files: SourceFile[] = [];
    for (const e of side.chosen.values()) {
      const blob = reader.blobs.get(e.sha);
      if (blob && 'text' in blob) files.push({ path: e.path, text: blob.text });
      else if (blob?.skip === 'binary') binary.add(e.path);
      else unreadable.add(e.path);
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
  const base = build(sides[0]!);
  const head = sameCommit ? base.slice() : build(sides[1]!);

  const notes = reader.notes;
  if (reader.truncatedListings > 0) notes.push(`the recursive tree listing was truncated; listed subtrees separately`);
  if (tooLarge.size > 0) notes.push(`skipped ${tooLarge.size} file(s) over ${reader.maxBlobBytes} bytes: ${listPaths([...tooLarge].sort())}`);
  if (binary.size > 0) notes.push(`skipped ${binary.size} binary file(s): ${listPaths([...binary].sort())}`);
  if (unreadable.size > 0) notes.push(`could not read ${unreadable.size} file(s): ${listPaths([...unreadable].sort())}`);
  if (missingInputs.size > 0) notes.push(`kustomize generator inputs not in the repository: ${listPaths([...missingInputs].sort())}`);
  return { base, head, requestCount: reader.requestCount, notes };
}

function filesOf(chosen: ReadonlyMap<string, TreeBlob>, blobs: ReadonlyMap<string, CachedBlob>): SourceFile[] {
  const files: SourceFile[] = [];
  for (const e of chosen.values()) {
    const blob = blobs.get(e.sha);
    if (blob && 'text' in blob) files.push({ path: e.path, text: blob.text });
  }
  return files;
}
