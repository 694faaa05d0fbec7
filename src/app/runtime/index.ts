/** Process-level concerns of the app: proxy/CA, GitHub Enterprise URLs, health endpoints, graceful shutdown. */
export { installHttpDispatcher, installProxyFromEnv, proxySettingsFromEnv, redactProxyUrl, DEFAULT_HTTP_TIMEOUT_MS, type ProxySettings } from './proxy.js';
export { githubUrls, type GitHubUrls } from './github-urls.js';
export { healthHandler } from './health.js';
export { onShutdown, isShuttingDown, isReady, markReady, shutdown, type ShutdownHook, type ShutdownOptions } from './lifecycle.js';
export { startServer, type StartOptions } from './server.js';
