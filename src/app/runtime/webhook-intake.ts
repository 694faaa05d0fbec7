/**
 * Webhook intake with bounded memory, in front of Probot's middleware (which buffers any body, then
 * logs a failed one with its payload, and answers 202 "still processing" when that takes long):
 *
 * - the signature (X-Hub-Signature-256) is checked while the body streams in, before Probot sees it;
 *   nothing unverified reaches Probot, so nothing unverified is ever answered 2xx;
 * - unverified bodies share a byte budget (declared Content-Length): requests over it wait, unread (the
 *   kernel holds their bytes, not the heap); too many waiting are answered 503 at once;
 * - a rejected request writes one log line (event, delivery id, size, reason), never its body;
 * - a signed body that is not valid JSON, or lacks what keyref reads from that event, is answered 400
 *   with a clear message instead of a 500 TypeError from a handler.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface IntakeLog {
  warn(obj: object, msg: string): void;
}

export interface WebhookIntakeOptions {
  /** The webhook path (Probot's default `/api/github/webhooks`). */
  readonly path: string;
  readonly secret: string;
  /** Bytes of unverified bodies read at the same time (default 64 MiB). */
  readonly maxUnverifiedBytes?: number;
  /** Requests waiting for that budget before new ones are answered 503 (default 256). */
  readonly maxWaiting?: number;
  /** A request still waiting after this long is answered 503 (default 10 s; before the server's 30 s request timeout). */
  readonly maxWaitMs?: number;
  /** What is missing from a signed payload of this event (undefined: fine). */
  readonly validate?: (event: string, payload: unknown) => string | undefined;
  readonly log?: IntakeLog;
}

export const DEFAULT_MAX_UNVERIFIED_BYTES = 64 * 1024 * 1024;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

function answer(req: IncomingMessage, res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error });
  req.resume(); // discard whatever the client still sends, never buffer it
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Delivery ids are logged only when they look like ones (GitHub sends UUIDs). */
function safeId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : undefined;
}

function safeEvent(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z_]{1,64}$/.test(value) ? value : undefined;
}

/** A byte budget shared by the bodies being read; waiters are admitted as soon as they fit. */
class ByteBudget {
  private used = 0;
  private readonly waiters: { bytes: number; admit: () => void }[] = [];
  constructor(
    private readonly capacity: number,
    private readonly maxWaiting: number,
  ) {}

  /** Resolves true when admitted, false when the waiting room is full; `cancel` on client disconnect. */
  acquire(bytes: number, onCancel: (cancel: () => void) => void): Promise<boolean> {
    if (this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve(true);
    }
    if (this.waiters.length >= this.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = { bytes, admit: () => resolve(true) };
      this.waiters.push(waiter);
      onCancel(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      });
    });
  }

  release(bytes: number): void {
    this.used -= bytes;
    for (let i = 0; i < this.waiters.length; ) {
      const w = this.waiters[i]!;
      if (this.fits(w.bytes)) {
        this.waiters.splice(i, 1);
        this.used += w.bytes;
        w.admit();
      } else i++;
    }
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.capacity;
  }
}

export type IntakeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Returns a request handler for POSTs to the webhook path: verified requests go on to `next` with their body attached. */
export function createWebhookIntake(options: WebhookIntakeOptions): IntakeHandler {
  const budget = new ByteBudget(options.maxUnverifiedBytes ?? DEFAULT_MAX_UNVERIFIED_BYTES, options.maxWaiting ?? 256);
  const log = options.log;

  return (req, res, next) => {
    const event = safeEvent(req.headers['x-github-event']);
    const delivery = safeId(req.headers['x-github-delivery']);
    const declared = Number(req.headers['content-length']);
    const reject = (status: number, reason: string, extra: Record<string, string> = {}) => {
      log?.warn({ event, delivery, bytes: Number.isFinite(declared) ? declared : undefined, status }, `webhook rejected: ${reason}`);
      answer(req, res, status, reason, extra);
    };
    const signature = req.headers['x-hub-signature-256'];
    if (!JSON_TYPE.test(String(req.headers['content-type'] ?? ''))) return reject(415, 'Content-Type must be application/json');
    if (!event || req.headers['x-github-delivery'] === undefined) return reject(400, 'X-GitHub-Event and X-GitHub-Delivery headers are required');
    if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return reject(400, 'X-Hub-Signature-256 header missing or malformed');
    if (!Number.isSafeInteger(declared)) return reject(411, 'Content-Length required');

    let cancelWait: (() => void) | undefined;
    const onClose = () => cancelWait?.();
    req.once('close', onClose);
    let waitTimer: NodeJS.Timeout | undefined;
    void budget
      .acquire(declared, (cancel) => {
        cancelWait = cancel;
        waitTimer = setTimeout(cancel, options.maxWaitMs ?? 10_000);
      })
      .then((admitted) => {
        clearTimeout(waitTimer);
        cancelWait = undefined;
        if (!admitted) {
          if (!req.destroyed) reject(503, 'too many webhook bodies in flight; retry later', { 'retry-after': '5' });
          return;
        }
        read(declared);
      });

    function read(bytes: number): void {
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          budget.release(bytes);
        }
      };
      const hmac = createHmac('sha256', options.secret);
      const chunks: Buffer[] = [];
      let received = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        if (failed) return;
        received += chunk.length;
        if (received > bytes) {
          failed = true;
          chunks.length = 0;
          release();
          reject(400, 'body longer than its Content-Length');
          return;
        }
        hmac.update(chunk);
        chunks.push(chunk);
      });
      req.once('error', () => {
        chunks.length = 0;
        release();
      });
      req.once('close', () => {
        if (!req.complete) {
          chunks.length = 0;
          release();
        }
      });
      req.once('end', () => {
        if (failed) return;
        const expected = Buffer.from(`sha256=${hmac.digest('hex')}`);
        const given = Buffer.from(signature as string);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
          chunks.length = 0;
          release();
          reject(400, 'signature does not match');
          return;
        }
        const text = Buffer.concat(chunks, received).toString('utf8');
        chunks.length = 0;
        release();
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          reject(400, 'payload is not valid JSON');
          return;
        }
        const problem = options.validate?.(event!, payload);
        if (problem) {
          reject(400, `malformed ${event} payload: ${problem}`);
          return;
        }
        // @octokit/webhooks takes a string `body` as the raw payload (and verifies it again).
        (req as IncomingMessage & { body?: string }).body = text;
        req.off('close', onClose);
        next();
      });
    }
  };
}
