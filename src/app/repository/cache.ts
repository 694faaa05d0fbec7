import { LRUCache } from 'lru-cache';

/** A blob as the reader keeps it: its text, or why it cannot be read as text. */
export type CachedBlob = { readonly text: string } | { readonly skip: 'binary' | 'missing' };

/** One blob of a tree listing (submodules and symlinks are left out). */
export interface TreeBlob {
  readonly path: string;
  readonly sha: string;
  readonly size: number;
}

/**
 * A second, shared tier behind the in-memory cache (Redis, see redis-cache.ts): shared by replicas and
 * surviving restarts. Lookups are batched and asynchronous; writes are write-behind (they never fail
 * or delay a review). A store that cannot answer answers "not cached".
 */
export interface SharedBlobStore {
  getBlobs(shas: readonly string[]): Promise<Map<string, CachedBlob>>;
  getTree(key: string): Promise<readonly TreeBlob[] | undefined>;
  putBlob(sha: string, blob: CachedBlob): void;
  putTree(key: string, entries: readonly TreeBlob[]): void;
  /** Resolves once every write made so far has reached the store (or failed). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Bounded in-memory cache of blob texts and tree listings, keyed by git object id. Object ids are
 * content addresses, so a hit is always correct and nothing ever needs invalidating; the only
 * policy is the byte bound (least recently used first out). With a SharedBlobStore, what memory
 * misses is looked up there (`loadBlobs`, `loadTree`) and what is set is written there too.
 */
export interface BlobCache {
  /** The blobs among `shas` this cache or its shared tier holds (one batched lookup for the rest). */
  loadBlobs(shas: readonly string[]): Promise<Map<string, CachedBlob>>;
  /** A tree listing from memory or the shared tier. */
  loadTree(key: string): Promise<readonly TreeBlob[] | undefined>;
  getBlob(sha: string): CachedBlob | undefined;
  setBlob(sha: string, blob: CachedBlob): void;
  /** Blob entries of a tree listing, keyed by the repository and the commit or tree id it was listed for. */
  getTree(sha: string): readonly TreeBlob[] | undefined;
  setTree(sha: string, entries: readonly TreeBlob[]): void;
  /** Approximate bytes held (JS strings count two bytes a character). */
  readonly bytes: number;
  readonly maxBytes: number;
  readonly stats: { hits: number; misses: number; sharedHits: number };
  /** Waits for the shared tier's pending writes (tests, benchmarks, shutdown). */
  flush(): Promise<void>;
}

type Entry = { readonly blob: CachedBlob } | { readonly tree: readonly TreeBlob[] };

const ENTRY_OVERHEAD = 96;

function sizeOf(entry: Entry): number {
  if ('blob' in entry) return ENTRY_OVERHEAD + ('text' in entry.blob ? entry.blob.text.length * 2 : 0);
  let n = ENTRY_OVERHEAD;
  for (const e of entry.tree) n += ENTRY_OVERHEAD + (e.path.length + e.sha.length) * 2;
  return n;
}

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Creates a cache bounded by `maxBytes` (approximate memory, default 64 MiB), optionally backed by a
 * shared store. Share one per process.
 */
export function createBlobCache(maxBytes: number = DEFAULT_CACHE_BYTES, shared?: SharedBlobStore): BlobCache {
  const max = Math.max(1024, Math.floor(maxBytes));
  const lru = new LRUCache<string, Entry>({ maxSize: max, sizeCalculation: (v) => Math.max(1, sizeOf(v)) });
  const stats = { hits: 0, misses: 0, sharedHits: 0 };
  function get(key: string): Entry | undefined {
    const v = lru.get(key);
    if (v) stats.hits++;
    else stats.misses++;
    return v;
  }
  const cache: BlobCache = {
    async loadBlobs(shas) {
      const found = new Map<string, CachedBlob>();
      const rest: string[] = [];
      for (const sha of shas) {
        const hit = cache.getBlob(sha);
        if (hit) found.set(sha, hit);
        else rest.push(sha);
      }
      if (shared && rest.length > 0) {
        for (const [sha, blob] of await shared.getBlobs(rest)) {
          stats.sharedHits++;
          found.set(sha, blob);
          lru.set(`b:${sha}`, { blob });
        }
      }
      return found;
    },
    async loadTree(key) {
      const hit = cache.getTree(key);
      if (hit || !shared) return hit;
      const tree = await shared.getTree(key);
      if (tree) {
        stats.sharedHits++;
        lru.set(`t:${key}`, { tree });
      }
      return tree;
    },
    getBlob(sha) {
      const v = get(`b:${sha}`);
      return v && 'blob' in v ? v.blob : undefined;
    },
    setBlob(sha, blob) {
      lru.set(`b:${sha}`, { blob });
      shared?.putBlob(sha, blob);
    },
    getTree(sha) {
      const v = get(`t:${sha}`);
      return v && 'tree' in v ? v.tree : undefined;
    },
    setTree(sha, tree) {
      lru.set(`t:${sha}`, { tree });
      shared?.putTree(sha, tree);
    },
    flush: async () => shared?.flush(),
    get bytes() {
      return lru.calculatedSize;
    },
    maxBytes: max,
    stats,
  };
  return cache;
}
