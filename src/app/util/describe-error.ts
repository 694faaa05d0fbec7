/**
 * What is safe to log about an error: its name, HTTP status and a short message. Never the request
 * (Octokit errors carry the request body, which may hold review text), never the response body.
 */
export interface SafeError {
  readonly name: string;
  readonly status?: number;
  readonly message: string;
}

const MAX_MESSAGE = 300;

export function describeError(err: unknown): SafeError {
  if (!(err instanceof Error)) return { name: 'Error', message: 'non-error value thrown' };
  const status = (err as { status?: unknown }).status;
  const isHttp = typeof status === 'number';
  // Octokit's RequestError message is GitHub's `message` field (e.g. "Not Found", "Validation Failed"), optionally
  // followed by the JSON `errors` array, which can quote submitted values: keep only the first sentence.
  const raw = isHttp ? (err.message.split(/[:\n]/)[0] ?? '') : err.message.split('\n')[0] ?? '';
  const redacted = redact(raw);
  const message = redacted.length > MAX_MESSAGE ? `${redacted.slice(0, MAX_MESSAGE)}…` : redacted;
  return isHttp ? { name: err.name, status, message } : { name: err.name, message };
}

/**
 * Defence in depth for messages of unexpected errors (the engine never throws, but a parser's message
 * could quote a line of a manifest): drops quoted text and anything that looks like a token.
 */
export function redact(message: string): string {
  return message
    .replace(/(["'`])(?:(?!\1).){1,}?\1/g, '$1…$1')
    .replace(/[A-Za-z0-9+/=_\-.:]{16,}/g, '[redacted]');
}
