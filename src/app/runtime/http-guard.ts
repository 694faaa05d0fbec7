/**
 * Protects Probot's HTTP server before any webhook code runs: Probot (through @octokit/webhooks) buffers
 * a request body of any size before checking its signature. GitHub caps deliveries at 25 MB, so a bigger
 * body (or one without Content-Length, which GitHub always sends) is refused up front, and slow clients
 * are timed out.
 */
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { IntakeHandler } from './webhook-intake.js';
import { trimTrailingSlashes } from '../util/trim-slashes.js';

/** GitHub caps webhook payloads at 25 MB. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface GuardOptions {
  readonly maxBodyBytes?: number;
  /** Whole-request time limit (ms); Node's default is 300 s. */
  readonly requestTimeoutMs?: number;
  /** POSTs to `path` go through `intake` (signature verified while streaming) before the server's own listeners. */
  readonly webhook?: { readonly path: string; readonly intake: IntakeHandler };
}

/**
 * Answers at once and discards (never buffers) whatever body the client still sends. The connection is
 * not closed under a client still uploading (it would see a reset instead of the answer); the server's
 * request timeout ends a client that keeps sending.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  const body = JSON.stringify({ error });
  req.resume();
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Wraps the server's existing 'request' listeners with the size checks. Returns an undo function. */
export function guardRequests(server: HttpServer, options: GuardOptions = {}): () => void {
  const max = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.headersTimeout, server.requestTimeout);
  const inner = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  const guard = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const length = req.headers['content-length'];
      if (length === undefined) {
        if (req.headers['transfer-encoding']) {
          refuse(req, res, 411, 'Content-Length required');
          return;
        }
      } else if (!/^\d+$/.test(length) || Number(length) > max) {
        refuse(req, res, 413, `payload larger than ${max} bytes`);
        return;
      }
    }
    const pass = () => {
      for (const listener of inner) listener.call(server, req, res);
    };
    if (options.webhook && req.method === 'POST' && trimTrailingSlashes((req.url ?? '').split('?')[0] ?? '') === trimTrailingSlashes(options.webhook.path)) {
      options.webhook.intake(req, res, pass);
      return;
    }
    pass();
  };
  server.on('request', guard);
  return () => {
    server.removeListener('request', guard);
    for (const listener of inner) server.on('request', listener);
  };
}

/**
 * Runs `start` and returns the first http.Server that starts listening meanwhile (Probot's; its
 * Server class keeps the node:http server private).
 */
export async function captureHttpServer<T>(start: () => Promise<T>): Promise<{ result: T; httpServer: HttpServer | undefined }> {
  const original = HttpServer.prototype.listen;
  let captured: HttpServer | undefined;
  HttpServer.prototype.listen = function (this: HttpServer, ...args: unknown[]) {
    captured ??= this;
    return (original as (...a: unknown[]) => HttpServer).apply(this, args);
  } as typeof original;
  try {
    const result = await start();
    return { result, httpServer: captured };
  } finally {
    HttpServer.prototype.listen = original;
  }
}
