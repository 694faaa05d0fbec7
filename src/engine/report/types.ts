import type { Finding, Skipped } from '../model.js';
import type { ScanStats } from '../scan.js';

/** Everything a reporter prints: a scan result, plus what `review` adds. Reporters are pure: input → string. */
export interface ReportInput {
  readonly findings: readonly Finding[];
  /** What was not analysed (files not read, Helm charts, remote bases…), with the reason. */
  readonly skipped: readonly Skipped[];
  readonly stats: ScanStats;
  /** Set for `keyref review`: findings carry `introduced` (and `causedBy`). */
  readonly review?: {
    readonly base: string;
    readonly head: string;
    /** Base findings the change fixed. */
    readonly fixed: readonly Finding[];
    readonly changedPaths: readonly string[];
  };
}

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  /** Project home page. */
  readonly informationUri: string;
  /** Base URL of the rules documentation; `#<rule-id>` is appended. */
  readonly rulesDocUri: string;
}

export const KEYREF_HOME = 'https://github.com/keyref/keyref';

export const DEFAULT_TOOL: ToolInfo = {
  name: 'keyref',
  version: '0.0.0',
  informationUri: KEYREF_HOME,
  rulesDocUri: `${KEYREF_HOME}/blob/main/docs/rules.md`,
};

/** Heading anchors in docs/rules.md are the rule ids themselves (`## missing-key`). */
export function ruleDocUri(tool: ToolInfo, ruleId: string): string {
  return `${tool.rulesDocUri}#${ruleId}`;
}
