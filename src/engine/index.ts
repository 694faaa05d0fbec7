/** keyref's engine: pure functions from files to findings. Adapters (CLI, GitHub App) sit around it. */
export * from './model.js';
export { scan, compareFindings, type ScanInput, type ScanResult, type ScanStats } from './scan.js';
export { review, changedPathsBetween, type ReviewInput, type ReviewResult } from './review.js';
export { listGeneratorInputs } from './kustomize/index.js';
export { rules } from './rules/index.js';
export type { Rule, RuleContext } from './rules/rule.js';
export { configSchema, DEFAULT_CONFIG, type EngineConfig, type AppSettings, type ExternalObject } from './config/schema.js';
export { isManifestCandidate, isKustomizationPath, isEvidenceCandidate, MAX_EVIDENCE_BYTES } from './candidates.js';
