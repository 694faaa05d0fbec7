/**
 * Start-up checks of the App's credentials, before Probot reads them: Probot prints a stack for an
 * unreadable PRIVATE_KEY and then, outside production, silently starts its setup flow instead of the
 * app, and a key that is not a key only fails at the first webhook. Here each problem is one line
 * (never the key itself) and the process exits 1.
 */
import { createPrivateKey } from 'node:crypto';
import { getPrivateKey } from '@probot/get-private-key';

type Env = Readonly<Record<string, string | undefined>>;

const SEE = 'See README, Self-hosting > Environment.';

function keySource(env: Env): string {
  return env.PRIVATE_KEY ? 'PRIVATE_KEY' : env.PRIVATE_KEY_PATH ? `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})` : 'the .pem file in the working directory';
}

/**
 * What stops the app from starting, as one line, or undefined. In production (NODE_ENV=production)
 * APP_ID, a private key and WEBHOOK_SECRET are required; elsewhere, with none of them set, Probot's
 * setup flow (registering a new app) is what the user wants, so nothing is checked.
 */
export function startupProblem(env: Env, cwd = process.cwd()): string | undefined {
  const production = env.NODE_ENV === 'production';
  const anyCredential = Boolean(env.APP_ID || env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  if (!production && !anyCredential) return undefined;
  const appId = env.APP_ID?.trim();
  if (!appId) return `APP_ID is not set: keyref needs the GitHub App's id, its private key (PRIVATE_KEY or PRIVATE_KEY_PATH) and WEBHOOK_SECRET. ${SEE}`;
  if (!/^[1-9][0-9]{0,15}$/.test(appId)) return `APP_ID must be the GitHub App's numeric id (App settings > General > App ID). ${SEE}`;
  let pem: string | null;
  try {
    pem = getPrivateKey({ env: env as NodeJS.ProcessEnv, cwd });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (/could not be validated/.test((err as Error).message)) {
      return `PRIVATE_KEY is not a PEM private key: paste the whole .pem file the app's settings page generated, BEGIN and END lines included (or set PRIVATE_KEY_PATH). ${SEE}`;
    }
    if (/does not exist/.test((err as Error).message)) return `PRIVATE_KEY_PATH names a file that does not exist (${env.PRIVATE_KEY_PATH}). ${SEE}`;
    if (/More than one file/.test((err as Error).message)) return `several .pem files in ${cwd} and no PRIVATE_KEY or PRIVATE_KEY_PATH: say which one. ${SEE}`;
    return `cannot read the private key from ${keySource(env)}${typeof code === 'string' ? ` (${code})` : ''}. ${SEE}`;
  }
  if (!pem) return `no private key: set PRIVATE_KEY or PRIVATE_KEY_PATH. ${SEE}`;
  try {
    createPrivateKey(pem);
  } catch {
    return `the private key in ${keySource(env)} cannot be read as a PEM private key (generate a new one in the app's settings). ${SEE}`;
  }
  if (production && !env.WEBHOOK_SECRET) return `WEBHOOK_SECRET is not set: without it webhooks cannot be verified. ${SEE}`;
  return undefined;
}
