import type { Log, ReportingDescriptor, Result } from 'sarif';
import { notAnalysedSummary } from '../coverage/index.js';
import type { Finding, RuleMeta, Severity } from '../model.js';
import { DEFAULT_TOOL, ruleDocUri, type ReportInput, type ToolInfo } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key of keyref's fingerprint in `partialFingerprints`; bump the version if fingerprints ever change meaning. */
export const FINGERPRINT_KEY = 'keyref/v1';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };

export interface SarifOptions {
  /** The rule registry (`rules.map(r => r.meta)`); rules a finding names but the registry lacks get a minimal entry. */
  readonly rules: readonly RuleMeta[];
  readonly tool?: ToolInfo;
  /**
   * Prepended to every path in URIs (e.g. `deploy` when the scanned folder is `deploy/` of the
   * repository): GitHub code scanning resolves URIs against the repository root.
   */
  readonly uriPrefix?: string;
}

/** A repository-relative POSIX path as a relative URI (each segment percent-encoded). */
export function pathToUri(path: string, prefix = ''): string {
  const full = prefix === '' ? path : `${prefix.replace(/\/+$/, '')}/${path}`;
  return full.split('/').map(encodeURIComponent).join('/');
}

/**
 * GitHub code scanning ranks alerts of rules tagged `security` by `security-severity` (0.1–3.9 low,
 * 4.0–6.9 medium, 7.0–8.9 high, 9.0+ critical). keyref's rules are about confidentiality (a secret in
 * the repository) or availability (a pod that will not start): leaks rank high, breakage medium,
 * hygiene low. A rule missing here gets a score from its default severity.
 */
export const SECURITY_SEVERITY: Readonly<Record<string, number>> = {
  'plaintext-secret': 8.0,
  'hardcoded-credential': 8.0,
  'credential-in-configmap': 7.5,
  'credential-from-configmap': 5.5,
  'missing-key': 5.0,
  'unresolved-reference': 5.0,
  'wrong-kind': 5.0,
  'cross-namespace-reference': 4.0,
  'cross-build-reference': 4.0,
  'invalid-secret-data': 4.0,
  'secret-trailing-newline': 3.0,
  'parse-error': 2.0,
  'duplicate-key': 2.0,
  'suppression-comment': 1.0,
};
const SEVERITY_SCORE: Record<Severity, number> = { error: 5.0, warning: 3.0, notice: 1.0 };

export function securitySeverity(id: string, severity: Severity): string {
  return (SECURITY_SEVERITY[id] ?? SEVERITY_SCORE[severity]).toFixed(1);
}

function descriptor(meta: RuleMeta, tool: ToolInfo): ReportingDescriptor {
  const d = meta.docs;
  const markdown = [d.summary, '', d.why, '', '**Fix**', '', d.fix, ...(d.severities ? ['', '**Severities**', '', d.severities] : [])].join('\n');
  return {
    id: meta.id,
    name: meta.id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: d.summary },
    fullDescription: { text: d.why.trim() ? d.why : d.summary },
    helpUri: ruleDocUri(tool, meta.id),
    help: { text: `${d.summary}\n\n${d.fix}`, markdown },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags: ['kubernetes', 'security'], 'security-severity': securitySeverity(meta.id, meta.defaultSeverity) },
  };
}

function unknownDescriptor(id: string, tool: ToolInfo): ReportingDescriptor {
  return {
    id,
    shortDescription: { text: id },
    fullDescription: { text: id },
    helpUri: ruleDocUri(tool, id),
    defaultConfiguration: { level: 'warning' },
    properties: { tags: ['kubernetes', 'security'], 'security-severity': securitySeverity(id, 'warning') },
  };
}

function result(f: Finding, ruleIndex: number, isReview: boolean, prefix: string): Result {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    // The first line says what is wrong; the help follows (GitHub shows the whole text), the rule's helpUri links the docs.
    message: { text: f.message + (f.help ? `\n\n${f.help}` : '') + (f.causedBy?.length ? `\n\nCaused by the change to ${f.causedBy.join(', ')}.` : '') },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(f.path, prefix), uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, f.line), endLine: Math.max(1, f.line, f.endLine) },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(isReview ? { baselineState: f.introduced ? ('new' as const) : ('unchanged' as const) } : {}),
    ...(f.object ? { properties: { object: { ...f.object } } } : {}),
  };
}

/** SARIF 2.1.0 in the subset GitHub code scanning accepts (one run, rules with help, fingerprints). */
export function toSarif(input: ReportInput, options: SarifOptions): Log {
  const tool = options.tool ?? DEFAULT_TOOL;
  const descriptors = options.rules.map((m) => descriptor(m, tool));
  const index = new Map(descriptors.map((d, i) => [d.id, i] as const));
  for (const f of input.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, descriptors.length);
      descriptors.push(unknownDescriptor(f.ruleId, tool));
    }
  }
  const isReview = input.review !== undefined;
  const prefix = options.uriPrefix ?? '';
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: descriptors,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: input.skipped.map((p) => ({
              level: 'note' as const,
              message: { text: `Not analysed (${p.kind}) ${p.path}: ${p.reason}` },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: pathToUri(p.path, prefix), uriBaseId: '%SRCROOT%' },
                    ...(p.line !== undefined ? { region: { startLine: Math.max(1, p.line) } } : {}),
                  },
                },
              ],
            })),
          },
        ],
        results: input.findings.map((f) => result(f, index.get(f.ruleId) ?? 0, isReview, prefix)),
        ...(input.skipped.length > 0 ? { properties: { notAnalysed: notAnalysedSummary(input.skipped) } } : {}),
      },
    ],
  };
}

export function formatSarif(input: ReportInput, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(input, options), null, 2)}\n`;
}
