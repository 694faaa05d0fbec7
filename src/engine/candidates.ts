/** Which repository paths the adapters hand to the engine as manifest candidates. */
import { isEvidencePath, MAX_EVIDENCE_BYTES } from './evidence/index.js';
import { isKustomizationPath } from './kustomize/paths.js';

export { MAX_EVIDENCE_BYTES } from './evidence/index.js';

export { isKustomizationPath } from './kustomize/paths.js';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
/** Folders that never hold the repository's own manifests. */
const IGNORED_SEGMENTS = new Set(['node_modules', '.git', 'vendor']);

/** True for `*.yaml`, `*.yml`, `*.json` and `Kustomization` files outside vendored folders. */
export function isManifestCandidate(path: string): boolean {
  if (path.split('/').some((segment) => IGNORED_SEGMENTS.has(segment))) return false;
  return MANIFEST_EXTENSIONS.test(path) || isKustomizationPath(path);
}


/**
 * Docs and scripts (README.md, *.sh, Makefile…) the adapters also hand to the engine, up to
 * MAX_EVIDENCE_BYTES each: they show which ConfigMaps/Secrets are created by hand (`kubectl create
 * secret …`). `size` is the file's size when known before reading it (tree listing, stat).
 */
export function isEvidenceCandidate(path: string, size?: number): boolean {
  if (path.split('/').some((segment) => IGNORED_SEGMENTS.has(segment))) return false;
  return isEvidencePath(path) && (size === undefined || size <= MAX_EVIDENCE_BYTES);
}
