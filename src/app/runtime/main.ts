#!/usr/bin/env node
/**
 * Production entry point (Dockerfile CMD, `node dist/app/runtime/main.js`): the keyref Probot app with
 * health endpoints, proxy support and graceful SIGTERM handling. Configured only by environment variables
 * (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, REDIS_URL, HTTPS_PROXY, …).
 */
import { existsSync } from 'node:fs';
import type { ApplicationFunction } from 'probot';
import { startServer } from './server.js';
import { startupProblem } from './startup.js';

// `npm start` reads credentials from .env (Probot 14 no longer loads it); containers set real env vars.
// Without .env, Probot starts its setup flow that registers the app from app.yml and writes .env.
if (existsSync('.env')) process.loadEnvFile('.env');

// A missing APP_ID or an unreadable key: one line and exit 1 (no stack, no fall back into setup mode).
const problem = startupProblem(process.env);
if (problem) {
  process.stderr.write(`keyref: ${problem}\n`);
  process.exit(1);
}

try {
  // Resolved at run time so this file compiles on its own; dist/app/index.js is the app (default export).
  const appModule = (await import(new URL('../index.js', import.meta.url).href)) as { default: ApplicationFunction };
  await startServer(appModule.default);
} catch (err) {
  // e.g. the port is taken (EADDRINUSE): one line, exit 1.
  process.stderr.write(`keyref: could not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  process.exit(1);
}
