import type { EngineConfig } from './config/schema.js';
import type { Finding, SourceFile } from './model.js';
import { scan, type ScanResult } from './scan.js';

export interface ReviewInput {
  readonly base: readonly SourceFile[];
  readonly head: readonly SourceFile[];
  /** Config for both sides (the head's, as a PR's config change applies to the PR itself). */
  readonly config?: EngineConfig;
  /** Told the path of the file the engine is working on (see ScanInput.onProgress). */
  readonly onProgress?: (path: string) => void;
  /**
   * The base side's findings from an earlier review of the same base files with the same config (see
   * `baseFindings` in the result): the base is then not scanned again, so a re-push costs one scan.
   */
  readonly baseFindings?: readonly Finding[];
}

export interface ReviewResult extends ScanResult {
  /** Head findings, each with `introduced` set; introduced ones in untouched files carry `causedBy`. */
  readonly findings: Finding[];
  /** Base findings that the change fixed (fingerprint gone from head). */
  readonly fixed: Finding[];
  /** Paths added, removed or modified between base and head. */
  readonly changedPaths: string[];
  /** Every finding of the base side (what a later review of the same base may pass back as `baseFindings`). */
  readonly baseFindings?: readonly Finding[];
}

/** Files whose text differs between the two trees, including added and removed ones. */
export function changedPathsBetween(base: readonly SourceFile[], head: readonly SourceFile[]): string[] {
  const baseText = new Map(base.map((f) => [f.path, f.text] as const));
  const changed = new Set<string>();
  for (const f of head) if (baseText.get(f.path) !== f.text) changed.add(f.path);
  const headPaths = new Set(head.map((f) => f.path));
  for (const f of base) if (!headPaths.has(f.path)) changed.add(f.path);
  return [...changed].sort();
}

/**
 * Scans both trees and marks which head findings the change introduced, by fingerprint (lines move,
 * fingerprints do not). A finding in a file the change did not touch is still introduced when its
 * fingerprint is new — e.g. a key removed from a ConfigMap breaks an unchanged Deployment — and
 * `causedBy` names the changed files it depends on.
 */
export async function review(input: ReviewInput): Promise<ReviewResult> {
  const config = { ...(input.config ? { config: input.config } : {}), ...(input.onProgress ? { onProgress: input.onProgress } : {}) };
  const [headResult, baseFindings] = await Promise.all([
    scan({ files: input.head, ...config }),
    input.baseFindings ?? scan({ files: input.base, ...config }).then((r) => r.findings),
  ]);
  const changedPaths = changedPathsBetween(input.base, input.head);
  const changed = new Set(changedPaths);
  const baseFingerprints = new Set(baseFindings.map((f) => f.fingerprint));
  const headFingerprints = new Set(headResult.findings.map((f) => f.fingerprint));

  const findings = headResult.findings.map((f): Finding => {
    const introduced = !baseFingerprints.has(f.fingerprint);
    if (!introduced || changed.has(f.path)) return { ...f, introduced };
    const causedBy = (f.related ?? []).filter((p) => changed.has(p));
    return { ...f, introduced, causedBy: causedBy.length > 0 ? causedBy : changedPaths };
  });
  const fixed = baseFindings.filter((f) => !headFingerprints.has(f.fingerprint));
  return { findings, fixed, changedPaths, baseFindings, skipped: headResult.skipped, stats: headResult.stats };
}
