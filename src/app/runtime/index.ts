/** Process-level concerns of the app: proxy/CA, GitHub Enterprise URLs, health endpoints, graceful shutdown. */
export { installProxyFromEnv, proxySettingsFromEnv, redactProxyUrl, type ProxySettings } from './proxy.js';
export { githubUrls, type GitHubUrls } from './github-urls.js';
export { healthHandler } from './health.js';
export { onShutdown, isShuttingDown, isReady, markReady, shutdown, type ShutdownHook, type ShutdownOptions } from './lifecycle.js';
export { startServer, type StartOptions } from './server.js';
