import picomatch from 'picomatch';
import { DEFAULT_CONFIG } from './config/defaults.js';
import type { EngineConfig } from './config/schema.js';
import { fingerprintOf } from './fingerprint.js';
import { notAnalysed } from './coverage/index.js';
import { analyzeKustomize } from './kustomize/index.js';
import { applyPodPatches } from './kustomize/pod-patches.js';
import type { Finding, ParsedRepository, RuleReport, Severity, Skipped, SourceFile } from './model.js';
import { SEVERITY_RANK } from './model.js';
import { parseRepository, type ParsedFile } from './parse/index.js';
import { createLineResolver } from './parse/positions.js';
import { buildProviderIndex, providerModules } from './providers/index.js';
import { withEmbeddedLines } from './references/embedded-lines.js';
import { extractReferences } from './references/index.js';
import { rules as allRules } from './rules/index.js';
import type { Rule, RuleContext } from './rules/rule.js';
import { collectEvidence, illustrationFolder } from './evidence/index.js';
import { directiveReport } from './rules/suppression-comment.js';
import { suppress } from './suppress/index.js';

export interface ScanInput {
  /** Every candidate file (YAML/JSON manifests, kustomizations, and generator inputs from listGeneratorInputs). */
  readonly files: readonly SourceFile[];
  readonly config?: EngineConfig;
  /** Rules to run; default all. */
  readonly rules?: readonly Rule[];
  /**
   * Told the path of the file the engine is working on, as it moves on (parsing, then the secret
   * analysis). Observes only: the app's engine worker uses it to name the file a review over its
   * time budget was on.
   */
  readonly onProgress?: (path: string) => void;
  /**
   * parseSourceFile's results for some of `files` (keyed by the very file objects), computed ahead by a
   * caller that received the files in parts (the CLI's worker parses while the tree is still being read).
   */
  readonly parsed?: ReadonlyMap<SourceFile, ParsedFile>;
}

export interface ScanStats {
  readonly files: number;
  readonly documents: number;
  readonly objects: number;
  readonly references: number;
  readonly providers: number;
  /** Findings silenced by `# keyref-ignore` comments. */
  readonly suppressed?: number;
}

export interface ScanResult {
  readonly findings: Finding[];
  /**
   * Everything that could hold references but was not analysed, with the reason: files not read
   * (templated, too large, binary…; parse errors are findings), Helm charts, releases of charts not in
   * the repository, remote kustomize resources, plugins, missing generator inputs.
   */
  readonly skipped: readonly Skipped[];
  readonly stats: ScanStats;
}

/** Whether a path is in the scope of the include/exclude globs of the configuration. */
export function reportScope(config: EngineConfig): (path: string) => boolean {
  const include = config.include.length > 0 ? picomatch(config.include, { dot: true }) : undefined;
  const exclude = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : undefined;
  if (!include && !exclude) return () => true;
  return (path) => (!include || include(path)) && !(exclude && exclude(path));
}

/** The configured severity replaces the rule's default; findings a rule marks `notice` (optional references, placeholders) stay notices. */
function effectiveSeverity(reported: Severity, configured: Severity | undefined): Severity {
  if (!configured || reported === 'notice') return reported;
  return configured;
}

/** Rules about committed credentials: in a docs or test folder the value is sample or test data, so a leak is not certain. */
const CREDENTIAL_RULES = new Set(['plaintext-secret', 'credential-in-configmap', 'hardcoded-credential']);

/** A committed credential in a docs/test folder is a warning, not an error (error means "will break or leak"). */
function contextSeverity(ruleId: string, path: string, severity: Severity): Severity {
  return severity === 'error' && CREDENTIAL_RULES.has(ruleId) && illustrationFolder(path) !== undefined ? 'warning' : severity;
}

/** The stages before the rules: what the repository defines and refers to (also read by the kustomize parity check). */
export function analyzeRepository(
  files: readonly SourceFile[],
  config: EngineConfig = DEFAULT_CONFIG,
  onProgress?: (path: string) => void,
  texts: ReadonlyMap<string, string> = new Map(files.map((f) => [f.path, f.text] as const)),
  parsed?: ReadonlyMap<SourceFile, ParsedFile>,
): RuleContext {
  const repo: ParsedRepository = parseRepository(files, onProgress ? { onFile: onProgress } : {}, parsed);
  const kustomize = analyzeKustomize(repo);
  const providers = buildProviderIndex(repo, kustomize, config, providerModules, texts);
  const references = applyPodPatches(repo, kustomize, extractReferences(repo, kustomize), texts);
  const evidence = collectEvidence(texts, repo.objects);
  return { repo, kustomize, providers, references, config, evidence, ...(onProgress ? { onProgress } : {}) };
}

/**
 * The whole engine: files in, findings out. Pure: no I/O, no clock.
 * `include`/`exclude` choose where findings are reported, never which definitions are known: every
 * file is read, so a Deployment under `apps/` still resolves the Secret defined in `base/`.
 */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const config = input.config ?? DEFAULT_CONFIG;
  const files = input.files;
  const inScope = reportScope(config);
  const texts = new Map(files.map((f) => [f.path, f.text] as const));
  const context = analyzeRepository(files, config, input.onProgress, texts, input.parsed);
  const { repo, kustomize, references, providers } = context;

  const lineOf = withEmbeddedLines(createLineResolver(texts), texts);
  const findings: Finding[] = [];
  const ruleList = input.rules ?? allRules;
  const push = (ruleId: string, defaultSeverity: Severity, setting: Severity | undefined, report: RuleReport): void => {
    const path = report.location.path;
    if (!inScope(path)) return;
    const { line, endLine } = lineOf(report.location);
    const suggestionLine = report.suggestion ? lineOf(report.suggestion.location).line : undefined;
    findings.push({
      ruleId,
      severity: effectiveSeverity(contextSeverity(ruleId, path, report.severity ?? defaultSeverity), setting),
      path,
      line,
      endLine: Math.max(line, endLine),
      message: report.message,
      ...(report.help ? { help: report.help } : {}),
      ...(report.object ? { object: report.object } : {}),
      fingerprint: fingerprintOf(ruleId, path, report.identity),
      ...(report.suggestion && suggestionLine !== undefined
        ? { suggestion: { line: suggestionLine, from: report.suggestion.from, to: report.suggestion.to } }
        : {}),
      ...(report.related && report.related.length > 0 ? { related: report.related } : {}),
    } as Finding);
  };
  for (const rule of ruleList) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    for (const report of await rule.check(context)) push(rule.meta.id, rule.meta.defaultSeverity, setting, report);
  }
  const known = allRules.map((r) => r.meta.id);
  const silenced = suppress(findings, texts, known, inScope);
  const kept = silenced.kept;
  const directiveSetting = config.rules[directiveRuleId];
  if (directiveSetting !== 'off' && ruleList.some((r) => r.meta.id === directiveRuleId)) {
    const before = findings.length;
    for (const p of silenced.problems) push(directiveRuleId, 'warning', directiveSetting, directiveReport(p));
    kept.push(...findings.slice(before));
  }
  const unique = dedupe(kept);
  unique.sort(compareFindings);
  return {
    findings: unique,
    skipped: notAnalysed(repo, kustomize, references, files.map((f) => f.path))
      .filter((s) => inScope(s.path))
      .map(({ nodePath, ...s }) =>
        nodePath && s.line === undefined ? { ...s, line: lineOf({ path: s.path, docIndex: s.docIndex ?? 0, nodePath }).line } : s,
      ),
    stats: {
      files: files.length,
      documents: repo.documentCount,
      objects: repo.objects.length,
      references: references.length,
      providers: providers.all().length,
      suppressed: silenced.suppressed,
    },
  };
}

const directiveRuleId = 'suppression-comment';

/** Two reports with one fingerprint are one problem (e.g. a pod spec included by two overlays). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const prev = seen.get(f.fingerprint);
    if (!prev || SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) seen.set(f.fingerprint, f);
  }
  return [...seen.values()];
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
