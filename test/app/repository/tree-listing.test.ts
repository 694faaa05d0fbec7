import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keepReadable } from '../../../src/app/repository/index.js';
import { listingFromObject, readTreeListing } from '../../../src/app/repository/tree-listing.js';

/** A body delivered in the given chunk sizes (cycled), as fetch's ReadableStream would. */
async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

const hex40 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 });
const segment = fc.oneof(
  fc.constantFrom('deploy', 'apps', 'src', 'node_modules', 'docs', 'kustomization.yaml', 'Kustomization', 'app.env', 'web.yaml', 'README.md', 'run.sh', 'main.go', 'x.json', 'a"b', 'c\\d', 'é', '💥.yml', 'tab\there'),
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('/')),
);
const entry = fc.record({
  path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  mode: fc.constantFrom('100644', '100755', '120000', '040000', '160000'),
  type: fc.constantFrom('blob', 'blob', 'blob', 'tree', 'commit'),
  sha: hex40,
  size: fc.nat({ max: 1 << 20 }),
  url: fc.constant('https://api.github.com/repos/o/r/git/blobs/x'),
});
const listing = fc.record({
  sha: hex40,
  url: fc.constant('https://api.github.com/repos/o/r/git/trees/x'),
  tree: fc.array(entry, { maxLength: 40 }),
  truncated: fc.boolean(),
});
// Listing order is not significant; a generated listing may repeat a path (git never does), so sort on everything.
const sortByPath = <T extends { path: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return a.path < b.path ? -1 : a.path > b.path ? 1 : x < y ? -1 : x > y ? 1 : 0;
  });

describe('tree listings read as a stream', () => {
  it('keep exactly what parsing the whole listing keeps, however the body is split', async () => {
    await fc.assert(
      fc.asyncProperty(listing, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('all', 'readable' as const), fc.boolean(), async (data, sizes, keep, subtrees) => {
        const bytes = new TextEncoder().encode(`${JSON.stringify(data, null, sizes[0]! % 3)}\n`);
        const streamed = await readTreeListing(chunked(bytes, sizes), { keep, subtrees });
        const whole = listingFromObject(JSON.parse(new TextDecoder().decode(bytes)), { keep, subtrees });
        assert.equal(streamed.sha, data.sha);
        assert.equal(streamed.truncated, data.truncated);
        assert.deepEqual(sortByPath(streamed.blobs), sortByPath(whole.blobs));
        assert.deepEqual(streamed.subtrees, whole.subtrees);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps in "readable" mode what keepReadable keeps of all blobs (a kustomization listed after its folder\'s files too)', async () => {
    await fc.assert(
      fc.property(listing, (data) => {
        const all = listingFromObject(data, { keep: 'all' }).blobs;
        assert.ok(all.every((b) => data.tree.some((e) => e.type === 'blob' && e.mode !== '120000' && e.path === b.path)));
        assert.deepEqual(sortByPath(listingFromObject(data, { keep: 'readable' }).blobs), sortByPath(keepReadable(all)));
      }),
      { numRuns: 500 },
    );
    const e = (path: string) => ({ path, mode: '100644', type: 'blob', sha: 'a'.repeat(40), size: 3 });
    const kept = listingFromObject({ tree: [e('apps/api/base/nginx.conf'), e('apps/api/kustomization.yaml'), e('apps/web/logo.png')] }, { keep: 'readable' });
    assert.deepEqual(kept.blobs.map((b) => b.path).sort(), ['apps/api/base/nginx.conf', 'apps/api/kustomization.yaml']);
  });

  it('read any JSON as parsing it whole would, or reject it (arbitrary values, keys, nesting, strings with brackets and escapes)', async () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const root = fc.record(
      {
        sha: fc.oneof(hex40, value),
        tree: fc.oneof(fc.array(fc.oneof(entry, value), { maxLength: 12 }), value),
        truncated: fc.oneof(fc.boolean(), value),
        other: fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 3 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(root, value), fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 1, maxLength: 6 }), fc.nat(4), async (data, sizes, indent) => {
        const text = JSON.stringify(data, null, indent);
        if (text === undefined) return;
        const bytes = new TextEncoder().encode(text);
        const parsed = JSON.parse(text) as unknown;
        const isListing = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as { sha?: unknown }).sha === 'string';
        const streamed = readTreeListing(chunked(bytes, sizes), { keep: 'all', subtrees: true });
        if (!isListing) {
          await assert.rejects(streamed);
          return;
        }
        const got = await streamed;
        const want = listingFromObject(parsed, { keep: 'all', subtrees: true });
        assert.deepEqual({ ...got, blobs: sortByPath(got.blobs) }, { ...want, blobs: sortByPath(want.blobs) });
      }),
      { numRuns: 500 },
    );
  });

  it('agree with JSON.parse on text damaged by an edit (a structural byte inserted or a byte dropped): same listing, or a rejection', async () => {
    await fc.assert(
      fc.asyncProperty(listing, fc.nat(), fc.constantFrom(',', '[', ']', '{', '}', '"', '\\', ' ', ''), fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 1, maxLength: 4 }), async (data, at, insert, sizes) => {
        const good = JSON.stringify(data);
        const pos = at % (good.length + 1);
        // Bytes, as a body is (an edit that split a surrogate pair becomes U+FFFD in UTF-8 either way).
        const bytes = new TextEncoder().encode(insert === '' ? good.slice(0, pos) + good.slice(pos + 1) : good.slice(0, pos) + insert + good.slice(pos));
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          parsed = undefined;
        }
        const streamed = readTreeListing(chunked(bytes, sizes), { keep: 'all', subtrees: true });
        const isListing = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as { sha?: unknown }).sha === 'string';
        if (!isListing) return void (await assert.rejects(streamed));
        const got = await streamed;
        const want = listingFromObject(parsed, { keep: 'all', subtrees: true });
        assert.deepEqual({ ...got, blobs: sortByPath(got.blobs) }, { ...want, blobs: sortByPath(want.blobs) });
      }),
      { numRuns: 1000 },
    );
  });

  it('drops the fields a review never reads, and rejects a body that is not one JSON object', async () => {
    const body = JSON.stringify({ sha: 's', tree: [{ path: 'a.yaml', mode: '100644', type: 'blob', sha: 'b'.repeat(40), size: 7, url: 'u' }], truncated: false });
    const read = await readTreeListing(chunked(new TextEncoder().encode(body), [5]), { keep: 'readable' });
    assert.deepEqual(read.blobs, [{ path: 'a.yaml', sha: 'b'.repeat(40), size: 7 }]);
    for (const bad of ['{"sha":"s","tree":[{"path":"a.yaml"', '{"sha":"s","tree": [1, 2,]}', '{"sha":"s","tree":[1,,2]}', '{"sha":"s","tree":[,1]}', '{"sha":"s","tree":[]}}', '{"sha":"s"} x', '{"sha":"s","tree":[{"path":"a\\"}]', 'not json', '']) {
      for (const size of [1, 3, 1000]) await assert.rejects(readTreeListing(chunked(new TextEncoder().encode(bad), [size]), { keep: 'all' }), Error, `${bad} in chunks of ${size}`);
    }
    const empty = await readTreeListing(chunked(new TextEncoder().encode('{"sha":"s","tree":[ ]}'), [1]), { keep: 'all' });
    assert.deepEqual(empty.blobs, []);
  });
});
