/**
 * The production logger: Probot's (pino, formatted by @probot/pino: JSON or pretty, LOG_LEVEL_IN_STRING,
 * SENTRY_DSN), with one difference: each JSON line has every key once. pino writes a child logger's
 * bindings after its parent's, so Probot's `name: probot` → `name: octokit` chain and our own children
 * produced `"name":"probot","name":"probot","name":"keyref-runtime"`, which strict JSON readers reject
 * or read differently (first vs last wins). Here the most specific value (the last) is kept. Webhook
 * payloads are never logged (log-serializers.ts).
 */
import { Transform } from 'node:stream';
import { getTransformStream } from '@probot/pino';
import pino, { type Logger } from 'pino';
import { KEYREF_LOG_OPTIONS } from './log-serializers.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One JSON log line in, the same line with duplicate keys collapsed (last value wins) out. */
export function dedupeJsonLine(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line));
  } catch {
    return line;
  }
}

function dedupeStream(): Transform {
  return new Transform({
    objectMode: true,
    transform(chunk: Buffer | string, _encoding, callback) {
      callback(null, `${dedupeJsonLine(chunk.toString().trim())}\n`);
    },
  });
}

/** Probot's log format rule (probot/lib/bin/read-env-options.js): LOG_FORMAT, else JSON in production. */
export function logFormatFrom(env: Env): 'json' | 'pretty' {
  if (env.LOG_FORMAT) return env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json';
  return env.NODE_ENV === 'production' ? 'json' : 'pretty';
}

/** Pass to Probot's `run` as `log`. */
export async function createLog(env: Env = process.env, destination: NodeJS.WritableStream = process.stdout): Promise<Logger> {
  const format = await getTransformStream({
    logFormat: logFormatFrom(env),
    logLevelInString: env.LOG_LEVEL_IN_STRING === 'true',
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  const input = dedupeStream();
  input.pipe(format).pipe(destination);
  return pino({ ...KEYREF_LOG_OPTIONS, level: env.LOG_LEVEL || 'info', messageKey: env.LOG_MESSAGE_KEY || 'msg' }, input);
}
