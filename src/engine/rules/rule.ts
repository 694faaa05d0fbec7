import type { KustomizeModel } from '../kustomize/model.js';
import type { EngineConfig } from '../config/schema.js';
import type { EvidenceIndex } from '../evidence/index.js';
import type { ParsedRepository, ProviderIndex, Reference, RuleMeta, RuleReport } from '../model.js';

/** Everything a rule may look at. Rules are pure: data in, reports out. */
export interface RuleContext {
  readonly repo: ParsedRepository;
  readonly kustomize: KustomizeModel;
  readonly providers: ProviderIndex;
  readonly references: readonly Reference[];
  readonly config: EngineConfig;
  /** Told the path of the file a long-running check is working on (progress only; never changes results). */
  readonly onProgress?: (path: string) => void;
  /** Signs that objects no manifest defines are created outside git (docs, scripts, RBAC); absent in unit tests of other rules. */
  readonly evidence?: EvidenceIndex;
}

/** One check, in the shape of an eslint rule: its identity, severity and docs live next to its logic. */
export interface Rule {
  readonly meta: RuleMeta;
  /**
   * May be async (secret detection runs secretlint's rules, whose API is async); everything else
   * is synchronous. Must never throw on malformed input: skip what it cannot read.
   */
  check(context: RuleContext): Iterable<RuleReport> | Promise<Iterable<RuleReport>>;
}
