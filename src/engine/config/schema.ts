import { z } from 'zod';

const severityOrOff = z.enum(['error', 'warning', 'notice', 'off']);

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
    include: z.array(z.string()).default([]),
    /** Globs of files whose findings are never reported (their ConfigMaps/Secrets still resolve references). */
    exclude: z.array(z.string()).default([]),
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

export const DEFAULT_CONFIG: EngineConfig = configSchema.parse({});
