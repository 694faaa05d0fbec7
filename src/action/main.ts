/**
 * keyref as a GitHub Action: the App's own review (src/app: the `keyref` check run with annotations,
 * inline comments with fingerprint markers, outdated comments minimized) run once, in the workflow's
 * job, with the workflow's GITHUB_TOKEN instead of an App installation.
 *
 * The event the runner hands over (GITHUB_EVENT_PATH) goes through the App's webhook handlers, as a
 * webhook would; the review runs inline (no queue: one event, one process) and the step ends when it
 * is done. The step fails (exit 1) when the check run's conclusion is `failure`, so the step gates a
 * merge even where the check run cannot be written. With a read-only token (pull requests from forks)
 * the result comes out as workflow-command annotations and the job summary (src/action/writes.ts).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { KEYREF_LOG_OPTIONS } from '../app/runtime/log-serializers.js';
import { Probot } from 'probot';
import { review } from '../engine/review.js';
import { createKeyrefApp } from '../app/index.js';
import type { ReviewQueue, ReviewQueueOptions } from '../app/jobs/queue-types.js';
import { KeyrefOctokit } from '../app/octokit.js';
import type { Octokit as AppOctokit } from '../app/types.js';
import { describeError } from '../app/util/describe-error.js';
import { annotationCommand, workflowCommand } from './workflow-commands.js';
import { actionWrites, createWriteState, type WriteState } from './writes.js';
import { trimTrailingSlashes } from '../app/util/trim-slashes.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Payloads of Actions events carry no installation; the token authenticates, this id only labels the job. */
const ACTION_INSTALLATION_ID = 1;

export interface ActionSettings {
  readonly eventName: string;
  readonly payload: Record<string, unknown>;
  readonly token: string;
  readonly apiUrl: string;
  readonly graphqlUrl: string;
  readonly stepSummary?: string;
  readonly logLevel: string;
  /** Known up front to be read-only (`read-only: true`, or a pull request from a fork). */
  readonly readOnly: boolean;
}

export class ActionInputError extends Error {}

function input(env: Env, name: string): string | undefined {
  // The runner passes `with:` inputs as INPUT_<NAME> (upper case, spaces as underscores).
  const value = env[`INPUT_${name.toUpperCase().replace(/ /g, '_')}`]?.trim();
  return value ? value : undefined;
}

/** Reads what the runner sets (https://docs.github.com/en/actions/reference/workflows-and-actions/variables). */
export function readSettings(env: Env): ActionSettings {
  const eventName = env.GITHUB_EVENT_NAME;
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventName || !eventPath) throw new ActionInputError('GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run keyref as a step of a GitHub Actions workflow.');
  const token = input(env, 'token') ?? env.GITHUB_TOKEN;
  if (!token) throw new ActionInputError('no token: keep the `token` input at its default (`${{ github.token }}`) or pass one.');
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (err) {
    throw new ActionInputError(`cannot read the event payload (GITHUB_EVENT_PATH): ${describeError(err).message}`);
  }
  if (payload === null || typeof payload !== 'object') throw new ActionInputError('the event payload is not a JSON object');
  const apiUrl = trimTrailingSlashes(env.GITHUB_API_URL || 'https://api.github.com');
  const graphqlUrl = trimTrailingSlashes(env.GITHUB_GRAPHQL_URL || `${apiUrl.replace(/\/api\/v3$/, '/api')}/graphql`);
  const pr = (payload as { pull_request?: { head?: { repo?: { full_name?: unknown } | null }; base?: { repo?: { full_name?: unknown } } } }).pull_request;
  // GITHUB_TOKEN is read-only on `pull_request` events from forks (`pull_request_target` runs with the base's permissions).
  const fromFork = eventName === 'pull_request' && pr !== undefined && pr.head?.repo?.full_name !== pr.base?.repo?.full_name;
  return {
    eventName,
    payload: payload as Record<string, unknown>,
    token,
    apiUrl,
    graphqlUrl,
    ...(env.GITHUB_STEP_SUMMARY ? { stepSummary: env.GITHUB_STEP_SUMMARY } : {}),
    logLevel: env.RUNNER_DEBUG === '1' ? 'debug' : 'info',
    readOnly: input(env, 'read-only') === 'true' || fromFork,
  };
}

/** The webhook the App would get for this workflow event, or why there is none. */
export function webhookFor(settings: Pick<ActionSettings, 'eventName' | 'payload'>): { name: string; payload: Record<string, unknown> } | { unsupported: string } {
  const name = settings.eventName === 'pull_request_target' ? 'pull_request' : settings.eventName;
  if (name !== 'pull_request' && name !== 'merge_group') {
    return { unsupported: `keyref reviews \`pull_request\`, \`pull_request_target\` and \`merge_group\` events, not \`${settings.eventName}\`.` };
  }
  const installation = (settings.payload.installation as { id?: unknown } | undefined)?.id;
  return { name, payload: { ...settings.payload, installation: { id: typeof installation === 'number' ? installation : ACTION_INSTALLATION_ID } } };
}

/** Log lines for the job log: `level: message`, no JSON (the runner shows plain text). */
function jobLog(level: string, out: (line: string) => void): pino.Logger {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { level: n, msg, time: _t, pid: _p, hostname: _h, name: _n, ...rest } = JSON.parse(chunk.toString()) as Record<string, unknown>;
        const label = pino.levels.labels[Number(n)] ?? 'info';
        const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
        out(`${label === 'info' ? '' : `${label}: `}${String(msg ?? '')}${fields}`);
      } catch {
        out(chunk.toString().trimEnd());
      }
      done();
    },
  });
  return pino({ ...KEYREF_LOG_OPTIONS, level, base: null }, stream);
}

/** An in-line queue: the review runs while the event is handled (one event per process). */
function inlineQueue(options: ReviewQueueOptions): ReviewQueue {
  return {
    async enqueue(job) {
      await options.handler(job, new AbortController().signal);
    },
    async close() {},
  };
}

export interface ActionIo {
  /** Job log (stdout on the runner). */
  readonly out: (line: string) => void;
}

/** Runs the review for the event; returns the exit status (1 when the review fails the change or keyref could not run). */
export async function runAction(env: Env, io: ActionIo = { out: (l) => process.stdout.write(`${l}\n`) }): Promise<number> {
  const { out } = io;
  let settings: ActionSettings;
  try {
    settings = readSettings(env);
  } catch (err) {
    out(workflowCommand('error', `keyref: ${err instanceof ActionInputError ? err.message : describeError(err).message}`));
    return 1;
  }
  const event = webhookFor(settings);
  if ('unsupported' in event) {
    out(workflowCommand('error', event.unsupported));
    return 1;
  }

  const state = createWriteState(settings.readOnly);
  if (settings.readOnly) out('The token is read-only (a pull request from a fork?): results go to annotations and the job summary.');
  const graphqlUrl = settings.graphqlUrl;
  const Octokit = KeyrefOctokit.plugin(actionWrites(state)).plugin((octokit: Pick<AppOctokit, 'hook'>) => {
    // GITHUB_GRAPHQL_URL wins over the URL Octokit derives from the REST base (GHES: /api/v3 -> /api/graphql).
    octokit.hook.before('request', (options) => {
      if (options.url === '/graphql') options.url = graphqlUrl;
    });
  });
  const log = jobLog(settings.logLevel, out);
  const probot = new Probot({ githubToken: settings.token, baseUrl: settings.apiUrl, Octokit, log });
  // With GITHUB_TOKEN, GitHub attributes check runs to the GitHub Actions app (slug `github-actions`, on
  // github.com and GHES alike); its id differs between them, so the Action knows its own runs by slug
  // and leaves another app's `keyref` run alone.
  // No Redis blob cache in an Action, even when the job's environment has a REDIS_URL (one review per process).
  await probot.load(createKeyrefApp({ queue: inlineQueue, engine: review, appSlug: 'github-actions', blobStore: null }));

  try {
    await probot.receive({ id: `action-${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`, name: event.name, payload: event.payload } as Parameters<Probot['receive']>[0]);
  } catch (err) {
    out(workflowCommand('error', `keyref: the review could not run: ${describeError(err).message}`));
    return 1;
  }
  return report(state, settings, out);
}

function report(state: WriteState, settings: ActionSettings, out: (line: string) => void): number {
  const run = state.checkRun;
  if (state.refused.length > 0) out(`GitHub refused keyref's writes (${[...new Set(state.refused)].join(', ')}): results go to annotations and the job summary.`);
  if (run.conclusion === undefined) {
    out('keyref did not review this event (a draft, a closed pull request, or an unchanged base branch).');
    return 0;
  }
  const checkRunWritten = !state.readOnly;
  if (!checkRunWritten) for (const a of run.annotations) out(annotationCommand(a));
  if (settings.stepSummary && run.summary) {
    const heading = `## keyref: ${run.title ?? run.conclusion}\n\n`;
    try {
      appendFileSync(settings.stepSummary, `${heading}${run.summary}\n`);
    } catch (err) {
      out(workflowCommand('warning', `keyref: could not write the job summary: ${describeError(err).message}`));
    }
  }
  out(`keyref: ${run.title ?? ''} (conclusion: ${run.conclusion}${checkRunWritten ? ', check run `keyref`' : ', no check run: read-only token'})`);
  if (run.conclusion === 'neutral') out(workflowCommand('warning', `keyref: ${run.title ?? 'neutral'}`));
  return run.conclusion === 'failure' ? 1 : 0;
}
