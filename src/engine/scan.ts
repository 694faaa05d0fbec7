import picomatch from 'picomatch';
import { DEFAULT_CONFIG, type EngineConfig } from './config/schema.js';
import { fingerprintOf } from './fingerprint.js';
import { analyzeKustomize } from './kustomize/index.js';
import { applyPodPatches } from './kustomize/pod-patches.js';
import type { FileProblem, Finding, ParsedRepository, Severity, SourceFile } from './model.js';
import { SEVERITY_RANK } from './model.js';
import { parseRepository } from './parse/index.js';
import { createLineResolver } from './parse/positions.js';
import { buildProviderIndex } from './providers/index.js';
import { extractReferences } from './references/index.js';
import { rules as allRules } from './rules/index.js';
import type { Rule, RuleContext } from './rules/rule.js';
import { applySuppressions } from './suppress/index.js';

export interface ScanInput {
  /** Every candidate file (YAML/JSON manifests, kustomizations, and generator inputs from listGeneratorInputs). */
  readonly files: readonly SourceFile[];
  readonly config?: EngineConfig;
  /** Rules to run; default all. */
  readonly rules?: readonly Rule[];
}

export interface ScanStats {
  readonly files: number;
  readonly documents: number;
  readonly objects: number;
  readonly references: number;
  readonly providers: number;
}

export interface ScanResult {
  readonly findings: Finding[];
  /** Files not read as manifests, with the reason (templated, too large, binary…); parse errors are findings. */
  readonly skipped: readonly FileProblem[];
  readonly stats: ScanStats;
}

/** Applies include/exclude globs from the configuration. */
export function selectFiles(files: readonly SourceFile[], config: EngineConfig): SourceFile[] {
  const include = config.include.length > 0 ? picomatch(config.include, { dot: true }) : undefined;
  const exclude = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : undefined;
  return files.filter((f) => (!include || include(f.path)) && !(exclude && exclude(f.path)));
}

/** The configured severity replaces the rule's default; findings a rule marks `notice` (optional references, placeholders) stay notices. */
function effectiveSeverity(reported: Severity, configured: Severity | undefined): Severity {
  if (!configured || reported === 'notice') return reported;
  return configured;
}

/** The stages before the rules: what the repository defines and refers to (also read by the kustomize parity check). */
export function analyzeRepository(
  files: readonly SourceFile[],
  config: EngineConfig = DEFAULT_CONFIG,
  texts: ReadonlyMap<string, string> = new Map(files.map((f) => [f.path, f.text] as const)),
): RuleContext {
  const repo: ParsedRepository = parseRepository(files);
  const kustomize = analyzeKustomize(repo);
  const providers = buildProviderIndex(repo, kustomize, config);
  const references = applyPodPatches(repo, kustomize, extractReferences(repo, kustomize), texts);
  return { repo, kustomize, providers, references, config };
}

/** The whole engine: files in, findings out. Pure: no I/O, no clock. */
export async function scan(input: ScanInput): Promise<ScanResult> {
  const config = input.config ?? DEFAULT_CONFIG;
  const files = selectFiles(input.files, config);
  const texts = new Map(files.map((f) => [f.path, f.text] as const));
  const context = analyzeRepository(files, config, texts);
  const { repo, references, providers } = context;

  const lineOf = createLineResolver(texts);
  const findings: Finding[] = [];
  for (const rule of input.rules ?? allRules) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    for (const report of await rule.check(context)) {
      const { line, endLine } = lineOf(report.location);
      const path = report.location.path;
      const suggestionLine = report.suggestion ? lineOf(report.suggestion.location).line : undefined;
      findings.push({
        ruleId: rule.meta.id,
        severity: effectiveSeverity(report.severity ?? rule.meta.defaultSeverity, setting),
        path,
        line,
        endLine: Math.max(line, endLine),
        message: report.message,
        ...(report.object ? { object: report.object } : {}),
        fingerprint: fingerprintOf(rule.meta.id, path, report.identity),
        ...(report.suggestion && suggestionLine !== undefined
          ? { suggestion: { line: suggestionLine, from: report.suggestion.from, to: report.suggestion.to } }
          : {}),
        ...(report.related && report.related.length > 0 ? { related: report.related } : {}),
      } as Finding);
    }
  }
  const kept = dedupe(applySuppressions(findings, texts));
  kept.sort(compareFindings);
  return {
    findings: kept,
    skipped: repo.problems.filter((p) => p.kind === 'skipped'),
    stats: {
      files: files.length,
      documents: repo.documentCount,
      objects: repo.objects.length,
      references: references.length,
      providers: providers.all().length,
    },
  };
}

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
