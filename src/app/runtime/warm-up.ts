/**
 * Warms the HTTP client before the app says it is ready. Node loads its fetch implementation on the
 * first call, and undici compiles its HTTP parser (WebAssembly) on the first connection: together
 * 100-300 ms of synchronous work on the event loop, which otherwise lands in the middle of the first
 * review (the first GitHub request) and stalls /healthz and every other delivery meanwhile.
 *
 * One request to the app's own /healthz over loopback does both, through a client of its own: never
 * through the configured proxy, never to GitHub.
 */
import type { Server } from 'node:http';
import { Agent } from 'undici';

export async function warmHttpClient(server: Server): Promise<void> {
  const address = server.address();
  if (!address || typeof address === 'string') return;
  const unspecified = address.address === '::' || address.address === '0.0.0.0' || address.address === '';
  const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const agent = new Agent({ connect: { timeout: 2_000 } });
  try {
    const res = await fetch(`http://${host}:${address.port}/healthz`, { dispatcher: agent, signal: AbortSignal.timeout(3_000) } as RequestInit);
    await res.arrayBuffer();
  } catch {
    // A warm-up only: the app works without it.
  } finally {
    await agent.close().catch(() => {});
  }
}
