/**
 * Outbound proxy. Node's built-in fetch (which Probot's Octokit, and so every GitHub request the app
 * makes, uses) ignores HTTPS_PROXY/HTTP_PROXY; undici's EnvHttpProxyAgent installed as the global
 * dispatcher makes it honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower-case variants too).
 *
 * A private CA (GHES or a TLS-intercepting proxy): set NODE_EXTRA_CA_CERTS=/path/to/ca.pem. Node adds
 * it to the default trust store at start-up, which fetch and the proxy tunnel both use; nothing to do here.
 */
import { Agent, EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

type Env = Readonly<Record<string, string | undefined>>;

function first(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The proxy URL without credentials, for logs. */
export function redactProxyUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparseable proxy URL)';
  }
}

export interface ProxySettings {
  readonly httpsProxy?: string;
  readonly httpProxy?: string;
  readonly noProxy?: string;
}

/** Proxy settings from the environment (the same variables curl and undici read). */
export function proxySettingsFromEnv(env: Env = process.env): ProxySettings | undefined {
  const httpsProxy = first(env, 'HTTPS_PROXY', 'https_proxy');
  const httpProxy = first(env, 'HTTP_PROXY', 'http_proxy');
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = first(env, 'NO_PROXY', 'no_proxy');
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), ...(noProxy ? { noProxy } : {}) };
}

/** The proxy-aware dispatcher for these settings, with optional client timeouts. */
function proxyAgent(settings: ProxySettings, timeouts: { headersTimeout?: number; bodyTimeout?: number } = {}): EnvHttpProxyAgent {
  return new EnvHttpProxyAgent({
    ...timeouts,
    ...(settings.httpsProxy ? { httpsProxy: settings.httpsProxy } : {}),
    ...(settings.httpProxy ? { httpProxy: settings.httpProxy } : {}),
    ...(settings.noProxy ? { noProxy: settings.noProxy } : {}),
  });
}

/** A log-safe description of the proxy settings (credentials removed). */
function describeProxy(settings: ProxySettings): string {
  const parts = [
    settings.httpsProxy ? `https via ${redactProxyUrl(settings.httpsProxy)}` : undefined,
    settings.httpProxy ? `http via ${redactProxyUrl(settings.httpProxy)}` : undefined,
    settings.noProxy ? `no proxy for ${settings.noProxy}` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

/**
 * Installs the proxy-aware global dispatcher when a proxy is configured. Returns a log-safe
 * description of what was installed, or undefined when no proxy is set (direct connections).
 */
export function installProxyFromEnv(env: Env = process.env): string | undefined {
  const settings = proxySettingsFromEnv(env);
  if (!settings) return undefined;
  setGlobalDispatcher(proxyAgent(settings));
  return describeProxy(settings);
}

/** Default client timeout (ms) for GitHub responses: headers, and each pause between body chunks. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

/**
 * Installs the process-wide HTTP client used by fetch (so by Probot's Octokit): through the proxy when
 * one is configured, and in every case with a client timeout (KEYREF_HTTP_TIMEOUT_MS, default 30 s) on
 * response headers and on each pause in a body, instead of undici's 300 s. A GitHub response slower
 * than that fails the request, which Octokit's retry plugin retries, rather than holding a review.
 */
export function installHttpDispatcher(env: Env = process.env): { proxy?: string; timeoutMs: number } {
  const raw = Number(env.KEYREF_HTTP_TIMEOUT_MS);
  const timeoutMs = Number.isFinite(raw) && raw >= 100 ? raw : DEFAULT_HTTP_TIMEOUT_MS;
  const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  const settings = proxySettingsFromEnv(env);
  if (!settings) {
    setGlobalDispatcher(new Agent(timeouts));
    return { timeoutMs };
  }
  setGlobalDispatcher(proxyAgent(settings, timeouts));
  return { proxy: describeProxy(settings), timeoutMs };
}
