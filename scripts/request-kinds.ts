/**
 * How the benchmarks (scripts/bench-api.ts, scripts/soak.ts) classify the requests the stand-in
 * recorded: reads, writes and installation tokens, by the same rule keyref's Octokit paces them with
 * (src/app/octokit.ts: a GraphQL query without mutation is a read).
 */
import { isReadOnlyGraphql } from '../src/app/octokit.js';
import type { RecordedRequest } from '../src/standin/server.js';

export type RequestKind = 'read' | 'write' | 'token';

export function requestKind(r: Pick<RecordedRequest, 'method' | 'path' | 'body'>): RequestKind {
  if (r.method === 'POST' && r.path.endsWith('/access_tokens')) return 'token';
  if (r.method === 'GET' || r.method === 'HEAD') return 'read';
  if (isReadOnlyGraphql({ method: r.method, url: r.path, query: (r.body as { query?: unknown } | null)?.query })) return 'read';
  return 'write';
}

/** Reads, writes and token requests among `requests`. */
export function splitRequests(requests: readonly Pick<RecordedRequest, 'method' | 'path' | 'body'>[]): { reads: number; writes: number; tokens: number } {
  const n = { reads: 0, writes: 0, tokens: 0 };
  for (const r of requests) {
    const kind = requestKind(r);
    if (kind === 'read') n.reads++;
    else if (kind === 'write') n.writes++;
    else n.tokens++;
  }
  return n;
}

/** The most events (times in ms, any order) inside any window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}
