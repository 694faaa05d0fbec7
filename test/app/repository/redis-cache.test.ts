import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createBlobCache, readTrees } from '../../../src/app/repository/index.js';
import { createRedisBlobStore, ENTRY_OVERHEAD_BYTES } from '../../../src/app/repository/redis-cache.js';
import { startStandin, type Standin } from '../../../src/standin/index.js';
import { NO_REDIS_MESSAGE, redisServerBinary, startRedis, waitFor, type TestRedis } from '../queue/helpers/redis-server.js';
import { manifest, octokitFor } from './helpers.js';

const available = redisServerBinary() !== undefined;
if (!available) console.log(`# ${NO_REDIS_MESSAGE.replace('Redis queue tests', 'Redis blob cache tests')}`);
const skip = !available && NO_REDIS_MESSAGE;

const SECRET = 'webhook-secret-for-tests';
// A value the leak check looks for in every Redis key and value (and its base64).
const PLANTED = 'hunter2-planted-password-value';

function repoFiles(n: number): Record<string, string> {
  const files: Record<string, string> = { 'src/main.go': 'package main\n' };
  for (let i = 0; i < n; i++) files[`k8s/app-${i % 5}/cm-${i}.yaml`] = manifest(i);
  files['k8s/secret.yaml'] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${PLANTED}\n`;
  return files;
}

describe('blob cache on Redis (real redis-server)', { skip }, () => {
  let redis: TestRedis | undefined;
  let standin: Standin;
  let client: Redis;
  let n = 0;
  const prefix = () => `t${process.pid}:{c${++n}}`;
  before(async () => {
    redis = await startRedis();
    standin = await startStandin();
    client = new Redis(redis!.url);
  });
  after(async () => {
    client?.disconnect();
    await standin?.close();
    await redis?.stop();
  });

  it('a fresh process (new memory cache, new connection) reads a repository warm: no GitHub request', async () => {
    const repo = standin.createRepo('acme', 'warm-after-deploy');
    const files = repoFiles(30);
    const base = repo.commit(files);
    const head = repo.commit({ ...files, 'k8s/new.yaml': manifest(999) });
    const target = { owner: 'acme', repo: 'warm-after-deploy', baseSha: base, headSha: head };
    const p = prefix();

    const storeA = createRedisBlobStore({ redis: redis!.url, secret: SECRET, prefix: p });
    const cold = await readTrees(octokitFor(standin.url), target, { cache: createBlobCache(1 << 20, storeA) });
    assert.ok(cold.requestCount >= 3);
    await storeA.close();

    // "After the deploy": nothing in memory, a new connection to the same Redis.
    const storeB = createRedisBlobStore({ redis: redis!.url, secret: SECRET, prefix: p });
    const cacheB = createBlobCache(1 << 20, storeB);
    standin.clearRequests();
    const warm = await readTrees(octokitFor(standin.url), target, { cache: cacheB });
    assert.equal(warm.requestCount, 0);
    assert.equal(standin.count(), 0);
    assert.deepEqual(warm.head, cold.head);
    assert.deepEqual(warm.base, cold.base);
    assert.ok(cacheB.stats.sharedHits > 0);

    // The next push after the deploy: only the new tree listing and the changed blob.
    const head2 = repo.commit({ ...files, 'k8s/new.yaml': manifest(1000) });
    standin.clearRequests();
    const next = await readTrees(octokitFor(standin.url), { ...target, headSha: head2 }, { cache: createBlobCache(1 << 20, storeB) });
    assert.equal(next.requestCount, 2);
    await storeB.close();

    // Another secret (a rotated one): nothing readable, every blob is read from GitHub again.
    const storeC = createRedisBlobStore({ redis: redis!.url, secret: 'rotated', prefix: p });
    standin.clearRequests();
    const rotated = await readTrees(octokitFor(standin.url), target, { cache: createBlobCache(1 << 20, storeC) });
    assert.equal(rotated.requestCount, cold.requestCount);
    assert.deepEqual(rotated.head, cold.head);
    await storeC.close();
  });

  it('stores nothing readable: no content, blob id, path or repository name in any key or value', async () => {
    const repo = standin.createRepo('acme', 'private-repo-name');
    const files = repoFiles(3);
    const sha = repo.commit(files);
    const p = prefix();
    const store = createRedisBlobStore({ redis: redis!.url, secret: SECRET, prefix: p });
    const r = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'private-repo-name', baseSha: sha, headSha: sha }, { cache: createBlobCache(1 << 20, store) });
    assert.ok(r.head.some((f) => f.text.includes(PLANTED)));
    await store.close();

    const keys = await client.keys(`${p}:*`);
    assert.ok(keys.length > 4);
    const needles = [PLANTED, Buffer.from(PLANTED).toString('base64'), 'private-repo-name', 'cm-0.yaml', 'ConfigMap', sha];
    for (const key of keys) {
      const type = await client.type(key);
      const dump =
        type === 'string' ? (await client.getBuffer(key))!.toString('latin1')
        : type === 'hash' ? JSON.stringify(await client.hgetall(key))
        : type === 'zset' ? JSON.stringify(await client.zrange(key, 0, -1))
        : '';
      for (const needle of needles) {
        assert.ok(!key.includes(needle), `key ${key} names ${needle}`);
        assert.ok(!dump.includes(needle), `value of ${key} holds ${needle}`);
      }
    }
  });

  it('keeps its own byte budget (Redis runs with noeviction for BullMQ): least recently used out, total within the budget', async () => {
    const p = prefix();
    const maxBytes = 64 * 1024;
    const store = createRedisBlobStore({ redis: redis!.url, secret: SECRET, prefix: p, maxBytes });
    const text = (i: number) => `${i}:`.padEnd(2000, 'x');
    store.putBlob('sha-0', { text: text(0) });
    await store.flush();
    for (let i = 1; i < 100; i++) {
      store.putBlob(`sha-${i}`, { text: text(i) });
      await store.flush();
      // sha-0 is used all along: it stays.
      assert.equal((await store.getBlobs(['sha-0'])).size, 1);
    }
    const total = Number(await client.get(`${p}:bytes`));
    const sizes = Object.values(await client.hgetall(`${p}:size`)).map(Number);
    assert.ok(total <= maxBytes, `${total} bytes over the budget`);
    assert.equal(total, sizes.reduce((a, b) => a + b, 0));
    assert.equal(await client.zcard(`${p}:lru`), sizes.length);
    assert.equal((await client.keys(`${p}:e:*`)).length, sizes.length);
    assert.ok(sizes.length < 40 && sizes.length > 20);
    const kept = await store.getBlobs(Array.from({ length: 100 }, (_, i) => `sha-${i}`));
    assert.ok(kept.has('sha-0'));
    assert.ok(kept.has('sha-99'));
    assert.ok(!kept.has('sha-1'));
    assert.deepEqual(kept.get('sha-99'), { text: text(99) });
    // An entry larger than a sixteenth of the budget is not stored at all.
    store.putBlob('huge', { text: 'h'.repeat(maxBytes) });
    await store.flush();
    assert.equal((await store.getBlobs(['huge'])).size, 0);
    assert.equal(store.stats.dropped, 1);
    await store.close();
  });

  it('entries expire by TTL, and the budget forgets expired entries at the next write', async () => {
    const p = prefix();
    const store = createRedisBlobStore({ redis: redis!.url, secret: SECRET, prefix: p, ttlSeconds: 0.2 });
    store.putBlob('a', { text: 'alpha' });
    store.putBlob('b', { skip: 'binary' });
    await store.flush();
    assert.deepEqual(await store.getBlobs(['a', 'b']), new Map<string, unknown>([['a', { text: 'alpha' }], ['b', { skip: 'binary' }]]));
    await waitFor(async () => (await client.keys(`${p}:e:*`)).length === 0, 5_000, 'entries to expire');
    assert.equal((await store.getBlobs(['a', 'b'])).size, 0);
    assert.equal(Number(await client.get(`${p}:bytes`)) > 0, true);
    store.putBlob('c', { text: 'gamma' });
    await store.flush();
    assert.equal(Number(await client.get(`${p}:bytes`)), 'gamma'.length + 30 + ENTRY_OVERHEAD_BYTES);
    assert.equal(await client.zcard(`${p}:lru`), 1);
    await store.close();
  });

  it('a Redis that does not answer is a cache miss: the review reads from GitHub', async () => {
    const repo = standin.createRepo('acme', 'redis-down');
    const sha = repo.commit(repoFiles(3));
    const warnings: string[] = [];
    // A port nothing listens on (the test server's, after it is stopped, would race other tests).
    const down = await startRedis();
    await down!.stop();
    const store = createRedisBlobStore({ redis: down!.url, secret: SECRET, log: { warn: (m) => warnings.push(m) } });
    const r = await readTrees(octokitFor(standin.url), { owner: 'acme', repo: 'redis-down', baseSha: sha, headSha: sha }, { cache: createBlobCache(1 << 20, store) });
    assert.equal(r.head.length, 4);
    assert.ok(r.requestCount >= 2);
    await store.flush();
    assert.ok(warnings.length >= 1 && warnings.every((w) => w.startsWith('blob cache on Redis:')));
    assert.ok(warnings.every((w) => !w.includes(PLANTED)));
    await store.close();
  });
});
