import { parseConfig } from '../../engine/config/load.js';
import { configSchema, type EngineConfig } from '../../engine/config/schema.js';
import { CONFIG_PATH } from '../constants.js';
import type { Octokit, RepoRef } from '../types.js';

export type RepoConfigResult =
  | { readonly ok: true; readonly config: EngineConfig }
  | {
      readonly ok: false;
      /** Markdown-safe explanation naming the file, line (when known) and field. Never file content beyond field names. */
      readonly message: string;
      /** `app.conclusionOnInternalError` when it could still be read from the broken file. */
      readonly conclusionOnInternalError?: 'neutral' | 'failure';
    };

interface YamlLikeError {
  linePos?: { line: number }[];
}

/**
 * Loads `.github/keyref.yml` the way `context.config('keyref.yml')` does (the repository's default
 * branch, then the owner's `.github` repository, following `_extends`), then validates it with the
 * engine's schema. Problems come back as data, never thrown; only API errors (other than 404) throw.
 */
export async function loadRepoConfig(octokit: Octokit, target: RepoRef): Promise<RepoConfigResult> {
  let loaded: Awaited<ReturnType<Octokit['config']['get']>>;
  try {
    loaded = await octokit.config.get({ owner: target.owner, repo: target.repo, path: CONFIG_PATH });
  } catch (err) {
    if (typeof (err as { status?: unknown }).status === 'number') throw err;
    // The config plugin throws plain Errors for invalid YAML (cause: the yaml parser's error, with its line).
    const cause = (err as { cause?: YamlLikeError }).cause;
    const line = cause?.linePos?.[0]?.line;
    return {
      ok: false,
      message: `\`${CONFIG_PATH}\`${line !== undefined ? ` line ${line}` : ''}: not valid YAML, or not a mapping of settings.`,
    };
  }
  const raw: unknown = loaded.config ?? {};
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };

  const onError = readConclusionOnInternalError(raw);
  // Re-read the file that holds the configuration as text to name the lines of the problems (one request, only on error).
  const file = loaded.files.find((f) => f.config !== null);
  let message: string | undefined;
  if (file) {
    try {
      const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner: file.owner,
        repo: file.repo,
        path: file.path,
        mediaType: { format: 'raw' },
      });
      const text = typeof response.data === 'string' ? response.data : '';
      const result = parseConfig(text, file.repo === target.repo ? file.path : `${file.owner}/${file.repo}:${file.path}`);
      if (!result.ok) message = result.message;
    } catch {
      // fall back to the field paths below
    }
  }
  message ??= parsed.error.issues
    .slice(0, 10)
    .map((i) => `\`${CONFIG_PATH}\`: ${i.path.join('.') || '(top level)'}: ${i.message}`)
    .join('\n');
  return onError ? { ok: false, message, conclusionOnInternalError: onError } : { ok: false, message };
}

function readConclusionOnInternalError(raw: unknown): 'neutral' | 'failure' | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const app = (raw as { app?: unknown }).app;
  if (app === null || typeof app !== 'object') return undefined;
  const value = (app as { conclusionOnInternalError?: unknown }).conclusionOnInternalError;
  return value === 'neutral' || value === 'failure' ? value : undefined;
}
