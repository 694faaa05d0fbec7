import type { EngineConfig } from './schema.js';

/**
 * The configuration of a repository that has none: what `configSchema.parse({})` gives (a test pins the
 * two together). Written out so that the engine's worker, which only ever receives a parsed configuration,
 * does not load the schema library to build its default (87 KB of the CLI's engine bundle).
 */
export const DEFAULT_CONFIG: EngineConfig = {
  include: [],
  exclude: [],
  rules: {},
  externalObjects: [],
  app: {
    reviewDrafts: false,
    inlineComments: true,
    maxInlineComments: 30,
    conclusionOnWarnings: 'success',
    conclusionOnInternalError: 'neutral',
  },
};
