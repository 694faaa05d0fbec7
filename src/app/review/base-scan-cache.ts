import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Finding } from '../../engine/model.js';
import type { ReviewInput, ReviewResult } from '../../engine/review.js';

type Engine = (input: ReviewInput, signal: AbortSignal) => Promise<ReviewResult>;

/** Findings the cache holds at most, over all entries (~0.5 KB each). */
export const BASE_CACHE_MAX_FINDINGS = 20_000;

/**
 * The key of a base side: a SHA-256 over the configuration and every base file's path and text. It
 * stands for "base tree SHA + configuration" without the engine or the job having to carry the SHA
 * (the files are what the tree SHA names; hashing them costs a few milliseconds for 10,000 manifests).
 */
export function baseKey(input: Pick<ReviewInput, 'base' | 'config'>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(input.config ?? null));
  for (const f of input.base) {
    hash.update('\0');
    hash.update(f.path);
    hash.update('\0');
    hash.update(f.text);
  }
  return hash.digest('hex');
}

/**
 * Wraps the engine's `review` so that the base side of a pull request is scanned once: the next push
 * to the same pull request (same base, same configuration) reuses the base findings and scans only the
 * head. Bounded by the number of findings held (least recently used out); per process.
 */
export function withBaseScanCache(
  engine: Engine,
  maxFindings = BASE_CACHE_MAX_FINDINGS,
): ((input: ReviewInput, signal?: AbortSignal) => Promise<ReviewResult>) & { readonly stats: { hits: number; misses: number } } {
  const cache = new LRUCache<string, readonly Finding[]>({ maxSize: Math.max(1, maxFindings), sizeCalculation: (v) => v.length + 1 });
  const stats = { hits: 0, misses: 0 };
  const cached = async (input: ReviewInput, signal: AbortSignal = new AbortController().signal): Promise<ReviewResult> => {
    if (input.baseFindings) return engine(input, signal);
    const key = baseKey(input);
    const hit = cache.get(key);
    if (hit) stats.hits++;
    else stats.misses++;
    const result = await engine(hit ? { ...input, baseFindings: hit } : input, signal);
    if (!hit && result.baseFindings && result.baseFindings.length < maxFindings) cache.set(key, result.baseFindings);
    return result;
  };
  return Object.assign(cached, { stats });
}
