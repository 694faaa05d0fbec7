/** Signs and delivers GitHub webhooks to an app's HTTP endpoint, as GitHub does. */
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';

/** `sha256=<hex HMAC>` of the raw body, the `X-Hub-Signature-256` header. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  readonly id: string;
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** POSTs a signed webhook delivery to `url` (e.g. http://127.0.0.1:3000/api/github/webhooks). */
export async function deliverWebhook(
  url: string,
  secret: string,
  event: { name: string; payload: unknown },
  options: { id?: string; signature?: string; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  const body = JSON.stringify(event.payload);
  const id = options.id ?? randomUUID();
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/standin',
      'x-github-event': event.name,
      'x-github-delivery': id,
      'x-hub-signature-256': options.signature ?? signWebhook(secret, body),
      ...options.headers,
    },
    body,
  });
  const text = await res.text();
  return { id, status: res.status, body: text, ms: performance.now() - started };
}

/** A throwaway RSA private key (PKCS#1 PEM, as GitHub issues them) for app authentication against the stand-in. */
export function throwawayPrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}
