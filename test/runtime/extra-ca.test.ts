/**
 * A private CA (GHES, TLS-inspecting proxies): NODE_EXTRA_CA_CERTS is read by Node at start-up and trusted
 * by fetch, directly and through the proxy tunnel the runtime installs. Certificates are made with openssl
 * at test time (skipped without it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'keyref-ca-'));
const servers: { close(cb: () => void): void }[] = [];
let httpsPort = 0;

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

before(async () => {
  if (!hasOpenssl) return;
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=keyref test CA', '-days', '2']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  const server: Server = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (_req, res) => res.end('ghes ok'));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  httpsPort = (server.address() as AddressInfo).port;
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  rmSync(dir, { recursive: true, force: true });
});

const proxyModule = fileURLToPath(new URL('../../src/app/runtime/proxy.ts', import.meta.url));

/** fetch() in a fresh Node process (NODE_EXTRA_CA_CERTS is only read at start-up). */
async function fetchInChild(url: string, env: Record<string, string>): Promise<string> {
  const code = `
    const { installProxyFromEnv } = await import(${JSON.stringify(proxyModule)});
    installProxyFromEnv();
    try { const r = await fetch(${JSON.stringify(url)}); console.log('OK ' + (await r.text())); }
    catch (e) { console.log('FAIL ' + (e.cause?.code ?? e.message)); }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.once('exit', r));
  return out.trim();
}

test('NODE_EXTRA_CA_CERTS makes a private-CA HTTPS server trusted, directly and through HTTPS_PROXY', { skip: !hasOpenssl && 'openssl not installed', timeout: 60_000 }, async () => {
  const url = `https://localhost:${httpsPort}/api/v3/meta`;
  assert.match(await fetchInChild(url, {}), /^FAIL /, 'untrusted without the CA');
  assert.equal(await fetchInChild(url, { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') }), 'OK ghes ok');

  const seen: string[] = [];
  const proxy = createHttpServer();
  proxy.on('connect', (req, socket) => {
    seen.push(String(req.url));
    const [host, port] = String(req.url).split(':');
    const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  servers.push(proxy);
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  assert.equal(await fetchInChild(url, { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'), HTTPS_PROXY: proxyUrl }), 'OK ghes ok');
  assert.deepEqual(seen, [`localhost:${httpsPort}`], 'the request went through the proxy');
});
