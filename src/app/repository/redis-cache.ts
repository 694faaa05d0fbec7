/**
 * The blob/tree cache's shared tier on Redis (REDIS_URL): replicas share what any of them read, and a
 * fresh process (a deploy, a restart) starts warm.
 *
 * What is stored: blob texts (or the fact that a blob is binary) keyed by blob id, and the readable
 * entries of tree listings keyed by repository + tree id: repository content the app could read
 * anyway, never anything keyref derived. Parsed results are not stored: they are engine objects (not
 * a stable format), the parse is a small part of a review, and blob texts are what costs requests.
 *
 * Never readable in Redis:
 *  - each value is encrypted with AES-256-GCM under a key derived (HKDF-SHA256) from the app's secret
 *    (KEYREF_CACHE_SECRET, else WEBHOOK_SECRET, which every replica has); the entry's id is the
 *    authenticated data, so a value cannot be moved to another id;
 *  - the id is an HMAC of the blob id (or repository + tree id) under a second derived key, so key
 *    names reveal neither repositories nor blob ids (a blob id of a small secret file could otherwise
 *    be brute-forced offline).
 *  Rotating the secret makes every entry unreachable; they age out by TTL and budget.
 *
 * Bounded without Redis eviction (BullMQ needs `maxmemory-policy noeviction`, so Redis must never
 * run out of memory because of this cache):
 *  - every entry has a TTL (default 7 days), slid forward on each hit;
 *  - a byte budget (default 256 MiB) kept by the cache itself: `<prefix>:lru` (sorted set, id → last
 *    use), `<prefix>:size` (hash, id → bytes) and `<prefix>:bytes` (the total) are updated by one Lua
 *    script per batch of writes, which first forgets entries whose TTL ran out and then evicts the
 *    least recently used until the total is within the budget. Entries larger than 1/16 of the budget
 *    are not stored. The bookkeeping costs ~100 bytes an entry, counted in the budget.
 *  All keys share one hash tag (`{…}`), so the scripts also run on Redis Cluster.
 *
 * Failure is a cache miss: every command has a 2 s timeout, errors are logged (at most one line a
 * minute) and a review never waits for a write (write-behind, with a bounded buffer).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CachedBlob, SharedBlobStore, TreeBlob } from './cache.js';

export const DEFAULT_REDIS_CACHE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_REDIS_CACHE_TTL_SECONDS = 7 * 24 * 3600;
/** Bytes counted per entry on top of its value (key names, sorted-set and hash entries). */
export const ENTRY_OVERHEAD_BYTES = 100;
/** Writes buffered while Redis is slow; beyond this, new entries are dropped (the cache is an optimisation). */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** Entries per script call, and ids per lookup. */
const WRITE_BATCH = 64;
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;
const READ_BATCH = 500;
const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisBlobStoreOptions {
  /** A Redis URL (its own connection is made) or a client to use (not closed by `close`). */
  readonly redis: string | Redis;
  /** Secret the encryption and id keys are derived from; the same on every replica. */
  readonly secret: string;
  /** Key prefix (default `keyref:{blobcache}`; a hash tag must stay in it for Redis Cluster). */
  readonly prefix?: string;
  readonly maxBytes?: number;
  readonly ttlSeconds?: number;
  readonly log?: { warn(message: string): void };
}

export interface RedisBlobStore extends SharedBlobStore {
  /** Counters for tests and the bench. */
  readonly stats: { reads: number; hits: number; writes: number; errors: number; dropped: number };
}

const SCRIPT_HEAD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
`;

/** KEYS: lru, size, bytes. ARGV: entry key prefix, ttl ms, max bytes, overhead, then id/value pairs. Returns evictions. */
const PUT_SCRIPT = `${SCRIPT_HEAD}
local maxBytes = tonumber(ARGV[3])
local overhead = tonumber(ARGV[4])
local function drop(id)
  local size = redis.call('HGET', KEYS[2], id)
  if size then
    redis.call('DECRBY', KEYS[3], size)
    redis.call('HDEL', KEYS[2], id)
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', ARGV[1] .. id)
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl, 'LIMIT', 0, 256)
for _, id in ipairs(expired) do drop(id) end
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  local value = ARGV[i + 1]
  local old = redis.call('HGET', KEYS[2], id)
  if old then redis.call('DECRBY', KEYS[3], old) end
  local size = string.len(value) + overhead
  redis.call('SET', ARGV[1] .. id, value, 'PX', ttl)
  redis.call('HSET', KEYS[2], id, size)
  redis.call('INCRBY', KEYS[3], size)
  redis.call('ZADD', KEYS[1], now, id)
end
local evicted = 0
while tonumber(redis.call('GET', KEYS[3]) or '0') > maxBytes do
  local oldest = redis.call('ZPOPMIN', KEYS[1])
  if #oldest == 0 then
    redis.call('SET', KEYS[3], 0)
    break
  end
  drop(oldest[1])
  evicted = evicted + 1
end
return evicted
`;

/** KEYS: lru. ARGV: entry key prefix, ttl ms, then ids. Returns the values (nil where absent); hits are touched. */
const GET_SCRIPT = `${SCRIPT_HEAD}
local out = {}
for i = 3, #ARGV do
  local key = ARGV[1] .. ARGV[i]
  local value = redis.call('GET', key)
  if value then
    redis.call('PEXPIRE', key, ttl)
    redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
    out[i - 2] = value
  else
    out[i - 2] = false
  end
end
return out
`;

type ScriptClient = Redis & {
  keyrefCachePut(...args: (string | Buffer | number)[]): Promise<number>;
  keyrefCacheGetBuffer(...args: (string | Buffer | number)[]): Promise<(Buffer | null)[]>;
};

const VERSION = 1;
const KIND_TEXT = 0x74; // 't'
const KIND_BINARY = 0x62; // 'b'
const KIND_TREE = 0x6c; // 'l'

export function createRedisBlobStore(options: RedisBlobStoreOptions): RedisBlobStore {
  const prefix = options.prefix ?? 'keyref:{blobcache}';
  const maxBytes = Math.max(64 * 1024, Math.floor(options.maxBytes ?? DEFAULT_REDIS_CACHE_BYTES));
  const ttlMs = Math.max(1, Math.floor((options.ttlSeconds ?? DEFAULT_REDIS_CACHE_TTL_SECONDS) * 1000));
  const maxEntry = Math.floor(maxBytes / 16);
  const owned = typeof options.redis === 'string';
  const client = (
    typeof options.redis === 'string'
      ? new Redis(options.redis, { commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1, connectionName: 'keyref-blob-cache' })
      : options.redis
  ) as ScriptClient;
  if (typeof client.keyrefCachePut !== 'function') {
    client.defineCommand('keyrefCachePut', { numberOfKeys: 3, lua: PUT_SCRIPT });
    client.defineCommand('keyrefCacheGet', { numberOfKeys: 1, lua: GET_SCRIPT });
  }
  const keys = { lru: `${prefix}:lru`, size: `${prefix}:size`, bytes: `${prefix}:bytes`, entry: `${prefix}:e:` };
  const ikm = Buffer.from(options.secret, 'utf8');
  const encKey = Buffer.from(hkdfSync('sha256', ikm, 'keyref blob cache', 'encryption v1', 32));
  const idKey = Buffer.from(hkdfSync('sha256', ikm, 'keyref blob cache', 'entry id v1', 32));
  const stats = { reads: 0, hits: 0, writes: 0, errors: 0, dropped: 0 };

  let lastWarning = 0;
  const failed = (what: string, error: unknown): void => {
    stats.errors++;
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    // The error's name and message only (a Redis error names a command, never a value).
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
    options.log?.warn(`blob cache on Redis: ${what} failed, reading from GitHub instead (${reason})`);
  };
  // ioredis emits connection errors as events; without a listener they would be printed by Node.
  if (owned) client.on('error', (error: unknown) => failed('connection', error));

  const idOf = (kind: 'blob' | 'tree', key: string): string => createHmac('sha256', idKey).update(`${kind}\0${key}`).digest('base64url').slice(0, 32);

  function seal(id: string, kind: number, body: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    cipher.setAAD(Buffer.from(id));
    const head = Buffer.from([VERSION, kind]);
    const sealed = Buffer.concat([cipher.update(body), cipher.final()]);
    return Buffer.concat([head, iv, cipher.getAuthTag(), sealed]);
  }

  function open(id: string, value: Buffer): { kind: number; body: Buffer } | undefined {
    if (value.length < 30 || value[0] !== VERSION) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', encKey, value.subarray(2, 14));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(value.subarray(14, 30));
      return { kind: value[1]!, body: Buffer.concat([decipher.update(value.subarray(30)), decipher.final()]) };
    } catch {
      return undefined; // another secret, or tampered with: a miss
    }
  }

  async function lookup(ids: readonly string[]): Promise<(Buffer | null)[]> {
    const out: (Buffer | null)[] = [];
    for (let i = 0; i < ids.length; i += READ_BATCH) {
      const chunk = ids.slice(i, i + READ_BATCH);
      stats.reads++;
      const values = await client.keyrefCacheGetBuffer(keys.lru, keys.entry, ttlMs, ...chunk);
      out.push(...values);
    }
    return out;
  }

  // Write-behind: entries queue here and go out in batches, one script call each.
  let pending: [string, Buffer][] = [];
  let pendingBytes = 0;
  let scheduled = false;
  const inflight = new Set<Promise<void>>();

  function enqueue(id: string, value: Buffer): void {
    if (value.length > maxEntry || pendingBytes + value.length > MAX_PENDING_BYTES) {
      stats.dropped++;
      return;
    }
    pending.push([id, value]);
    pendingBytes += value.length;
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  }

  function drain(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    let i = 0;
    while (i < batch.length) {
      const args: (string | Buffer | number)[] = [keys.lru, keys.size, keys.bytes, keys.entry, ttlMs, maxBytes, ENTRY_OVERHEAD_BYTES];
      // At most WRITE_BATCH entries or WRITE_BATCH_BYTES a call (one entry alone may be larger): a script blocks Redis while it runs.
      let bytes = 0;
      for (let n = 0; i < batch.length && n < WRITE_BATCH && (n === 0 || bytes + batch[i]![1].length <= WRITE_BATCH_BYTES); n++, i++) {
        args.push(batch[i]![0], batch[i]![1]);
        bytes += batch[i]![1].length;
      }
      stats.writes++;
      const p: Promise<void> = client.keyrefCachePut(...args).then(
        () => undefined,
        (error: unknown) => failed('a write', error),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }

  const flush = async (): Promise<void> => {
    if (scheduled) drain();
    while (inflight.size > 0) await Promise.all([...inflight]);
  };
  return {
    stats,
    async getBlobs(shas) {
      const found = new Map<string, CachedBlob>();
      if (shas.length === 0) return found;
      const ids = shas.map((sha) => idOf('blob', sha));
      let values: (Buffer | null)[];
      try {
        values = await lookup(ids);
      } catch (error) {
        failed('a lookup', error);
        return found;
      }
      values.forEach((value, i) => {
        const opened = value ? open(ids[i]!, value) : undefined;
        if (!opened) return;
        if (opened.kind === KIND_TEXT) found.set(shas[i]!, { text: opened.body.toString('utf8') });
        else if (opened.kind === KIND_BINARY) found.set(shas[i]!, { skip: 'binary' });
      });
      stats.hits += found.size;
      return found;
    },
    async getTree(key) {
      const id = idOf('tree', key);
      try {
        const [value] = await lookup([id]);
        const opened = value ? open(id, value) : undefined;
        if (opened?.kind !== KIND_TREE) return undefined;
        const parsed: unknown = JSON.parse(opened.body.toString('utf8'));
        if (!Array.isArray(parsed)) return undefined;
        stats.hits++;
        return parsed.map(([path, sha, size]: [string, string, number]) => ({ path, sha, size }));
      } catch (error) {
        failed('a lookup', error);
        return undefined;
      }
    },
    putBlob(sha, blob) {
      // "missing" is never cached (it may be transient); the caller does not pass it, this is a guard.
      if ('skip' in blob && blob.skip !== 'binary') return;
      const id = idOf('blob', sha);
      enqueue(id, 'text' in blob ? seal(id, KIND_TEXT, Buffer.from(blob.text, 'utf8')) : seal(id, KIND_BINARY, Buffer.alloc(0)));
    },
    putTree(key, entries: readonly TreeBlob[]) {
      const id = idOf('tree', key);
      enqueue(id, seal(id, KIND_TREE, Buffer.from(JSON.stringify(entries.map((e) => [e.path, e.sha, e.size])), 'utf8')));
    },
    flush,
    async close() {
      await flush();
      if (owned) await client.quit().catch(() => client.disconnect());
    },
  };
}
