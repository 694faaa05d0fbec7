/**
 * pino options every keyref logger carries (the App's runtime, the Action's job log). Probot's
 * `receive` logs the whole webhook at debug level (`log.debug({ event }, "Webhook received")`):
 * the payload, with its file paths, commit messages and pull request text. We never log a body, so
 * an `event` field keeps only what says which delivery it was: the delivery id and the event name.
 * keyref's own lines name their event as a string (`pull_request.opened`), which is kept.
 */
import type { LoggerOptions } from 'pino';

/** The `event` field of a log line: a webhook object becomes `{ id, name }`; a short name is kept. */
export function eventLogField(event: unknown): unknown {
  if (typeof event === 'string') return event.length <= 64 ? event : `${event.slice(0, 64)}…`;
  if (!event || typeof event !== 'object') return event;
  const { id, name } = event as { id?: unknown; name?: unknown };
  return {
    ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id).slice(0, 64) } : {}),
    ...(typeof name === 'string' ? { name: name.slice(0, 64) } : {}),
  };
}

export const KEYREF_LOG_OPTIONS = {
  serializers: { event: eventLogField },
} as const satisfies LoggerOptions;
