/**
 * What keyref reads from each event it handles, checked before any handler runs: a signed payload
 * without it is answered 400 naming the first missing field, not a 500 TypeError from a handler.
 * Only events keyref handles are checked; others pass (Probot ignores them).
 */
import { field } from '../../engine/untrusted.js';

type Check = readonly [path: readonly (string | number)[], kind: 'string' | 'integer' | 'array' | 'object'];

const REPOSITORY: readonly Check[] = [
  [['action'], 'string'],
  [['repository', 'name'], 'string'],
  [['repository', 'owner', 'login'], 'string'],
];

const REQUIRED: Readonly<Record<string, readonly Check[]>> = {
  pull_request: [
    ...REPOSITORY,
    [['pull_request', 'number'], 'integer'],
    [['pull_request', 'state'], 'string'],
    [['pull_request', 'head', 'sha'], 'string'],
    [['pull_request', 'base', 'sha'], 'string'],
  ],
  check_run: [...REPOSITORY, [['check_run', 'name'], 'string'], [['check_run', 'head_sha'], 'string'], [['check_run', 'pull_requests'], 'array']],
  check_suite: [...REPOSITORY, [['check_suite', 'head_sha'], 'string'], [['check_suite', 'pull_requests'], 'array']],
  merge_group: [...REPOSITORY, [['merge_group', 'head_sha'], 'string'], [['merge_group', 'base_sha'], 'string']],
};

function isKind(value: unknown, kind: Check[1]): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** The first field keyref needs that this payload lacks (e.g. "`pull_request.head.sha` must be a string"), or undefined. */
export function payloadProblem(event: string, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the payload must be a JSON object';
  const checks = Object.prototype.hasOwnProperty.call(REQUIRED, event) ? REQUIRED[event] : undefined;
  for (const [path, kind] of checks ?? []) {
    if (!isKind(field(payload, ...path), kind)) return `\`${path.join('.')}\` must be ${kind === 'integer' ? 'an integer' : kind === 'array' ? 'an array' : `a ${kind}`}`;
  }
  return undefined;
}

/** Thrown by a handler given a payload without what it reads: @octokit/webhooks answers its `status` (400) with the message. */
export class MalformedPayload extends Error {
  override readonly name = 'MalformedPayload';
  readonly status = 400;
}

/** For handlers (under `probot run`, without the runtime's intake check): throws MalformedPayload. */
export function assertPayload(context: { name: string; payload: unknown }): void {
  const problem = payloadProblem(context.name, context.payload);
  if (problem) throw new MalformedPayload(`malformed ${context.name} payload: ${problem}`);
}
