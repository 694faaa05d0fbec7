import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { installProxyFromEnv, proxySettingsFromEnv, redactProxyUrl } from '../../src/app/runtime/index.js';

const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A minimal forward proxy: absolute-form HTTP requests and CONNECT tunnels, each recorded. */
async function startProxy() {
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return { port: await listen(proxy), seen };
}

test('proxy settings are read from upper- and lower-case variables; nothing is installed without them', () => {
  assert.equal(proxySettingsFromEnv({}), undefined);
  assert.equal(installProxyFromEnv({}), undefined);
  assert.deepEqual(proxySettingsFromEnv({ https_proxy: 'http://p:3128', NO_PROXY: 'localhost' }), { httpsProxy: 'http://p:3128', noProxy: 'localhost' });
  assert.equal(redactProxyUrl('http://user:hunter2@proxy.corp:3128'), 'http://proxy.corp:3128');
});

test("fetch (and so Probot's Octokit) goes through HTTP(S)_PROXY once installed, and NO_PROXY is honoured", async () => {
  const target = createServer((_req, res) => res.end('hello'));
  const targetPort = await listen(target);
  const proxy = await startProxy();
  // A "remote" host that must go through the proxy (localhost, resolved by the proxy) and a NO_PROXY one (127.0.0.1).
  const description = installProxyFromEnv({
    HTTP_PROXY: `http://user:s3cret@127.0.0.1:${proxy.port}`,
    HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
    NO_PROXY: '127.0.0.1',
  });
  assert.ok(description && !description.includes('s3cret'), 'credentials never in the log line');

  const viaProxy = await fetch(`http://localhost:${targetPort}/x`);
  assert.equal(await viaProxy.text(), 'hello');
  // undici tunnels plain HTTP through CONNECT as well.
  assert.equal(proxy.seen.length, 1);
  assert.match(proxy.seen[0]!, new RegExp(`^(CONNECT localhost:${targetPort}|GET http://localhost:${targetPort}/x)$`));

  const direct = await fetch(`http://127.0.0.1:${targetPort}/y`);
  assert.equal(await direct.text(), 'hello');
  assert.equal(proxy.seen.length, 1, 'NO_PROXY host reached directly');

  // HTTPS is tunnelled with CONNECT (the TLS handshake then fails against this plain-text target; only the route matters).
  await fetch(`https://localhost:${targetPort}/z`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
  assert.equal(proxy.seen.length, 2, proxy.seen.join(', '));
  assert.equal(proxy.seen[1], `CONNECT localhost:${targetPort}`);
});
