import type { IncomingMessage, ServerResponse } from 'node:http';
import { isReady, isShuttingDown } from './lifecycle.js';

/**
 * GET /healthz: liveness, 200 while the process serves HTTP.
 * GET /readyz: readiness, 200 once started, 503 while starting or shutting down.
 * Mount with Probot's `addHandler` (the runtime entry point does it); returns false for other requests.
 */
export function healthHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/healthz' && path !== '/readyz') return false;
  const ok = path === '/healthz' || isReady();
  const status = path === '/healthz' ? 'ok' : ok ? 'ready' : isShuttingDown() ? 'shutting down' : 'starting';
  const body = JSON.stringify({ status });
  res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
