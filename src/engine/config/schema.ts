import { z } from 'zod';

const severityOrOff = z.enum(['error', 'warning', 'notice', 'off']);

/** Limits on include/exclude globs: picomatch compiles a glob to a backtracking regex, whose cost grows as (path length)^(wildcards). */
export const GLOB_LIMITS = { length: 256, wildcards: 4, starsPerSegment: 2, globs: 100 } as const;

/**
 * Why a glob is refused, or undefined. A wildcard is a run of `*` (`*` or `**`); `*a*a*a…b` makes
 * matching one long path take minutes, and extglobs (`+(a|aa)`) nest repetition, so both are bounded.
 */
export function globProblem(glob: string): string | undefined {
  if (glob.length === 0) return 'an empty glob matches nothing';
  if (glob.length > GLOB_LIMITS.length) return `glob of ${glob.length} characters; at most ${GLOB_LIMITS.length} are allowed`;
  if (/[@*+?!]\(/.test(glob)) return 'extglob patterns (`+(…)`, `*(…)`, `@(…)`, `?(…)`, `!(…)`) are not supported; list the globs instead';
  const runs = glob.match(/\*+/g) ?? [];
  if (runs.length > GLOB_LIMITS.wildcards) {
    return `glob with ${runs.length} wildcards (\`*\`/\`**\`); at most ${GLOB_LIMITS.wildcards} are allowed, since each one multiplies the cost of matching a path`;
  }
  for (const segment of glob.split('/')) {
    const stars = segment === '**' ? 0 : (segment.match(/\*+/g) ?? []).length;
    if (stars > GLOB_LIMITS.starsPerSegment) {
      return `glob with ${stars} wildcards in one path segment; at most ${GLOB_LIMITS.starsPerSegment} are allowed (e.g. \`*-secret*.yaml\`)`;
    }
  }
  return undefined;
}

const glob = z.string().superRefine((value, ctx) => {
  const problem = globProblem(value);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});
const globs = z.array(glob).max(GLOB_LIMITS.globs, `at most ${GLOB_LIMITS.globs} globs are allowed`).default([]);

/** An object created outside the repository (by a CI job, an operator, a cluster add-on). */
const externalObject = z
  .object({
    /** `ConfigMap` or `Secret`. */
    kind: z.enum(['ConfigMap', 'Secret']),
    /** The object's name, exactly as referenced. */
    name: z.string().min(1),
    /** The namespace it lives in; omit for "every namespace". */
    namespace: z.string().min(1).optional(),
    /** Keys it holds; omit when unknown (then any key resolves). */
    keys: z.array(z.string()).optional(),
  })
  .strict();

/** Settings of the GitHub App (ignored by the CLI). */
const appSettings = z
  .object({
    /** Review draft pull requests too. */
    reviewDrafts: z.boolean().default(false),
    /** Post inline review comments (the check run is always posted). */
    inlineComments: z.boolean().default(true),
    /** At most this many inline comments per review; the rest are listed in the review body. */
    maxInlineComments: z.number().int().min(0).max(50).default(30),
    /** Check conclusion when the PR introduces only warnings. */
    conclusionOnWarnings: z.enum(['success', 'neutral', 'failure']).default('success'),
    /** Check conclusion when keyref itself fails (fail open = neutral, fail closed = failure). */
    conclusionOnInternalError: z.enum(['neutral', 'failure']).default('neutral'),
  })
  .strict();

export const configSchema = z
  .object({
    /** Globs (picomatch, relative to the repository root) of files whose findings are reported; default all. Definitions are read from every file. */
    include: globs,
    /** Globs of files whose findings are never reported (their ConfigMaps/Secrets still resolve references). */
    exclude: globs,
    /** Per-rule severity, or `off`. */
    rules: z.record(z.string(), severityOrOff).default({}),
    /** ConfigMaps and Secrets created outside the repository. */
    externalObjects: z.array(externalObject).default([]),
    app: appSettings.default({}),
  })
  .strict();

export type EngineConfig = z.infer<typeof configSchema>;
export type ExternalObject = z.infer<typeof externalObject>;
export type AppSettings = z.infer<typeof appSettings>;

export { DEFAULT_CONFIG } from './defaults.js';
