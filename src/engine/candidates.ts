/** Which repository paths the adapters hand to the engine as manifest candidates. */
import { isKustomizationPath } from './kustomize/paths.js';

export { isKustomizationPath } from './kustomize/paths.js';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
/** Folders that never hold the repository's own manifests. */
const IGNORED_SEGMENTS = new Set(['node_modules', '.git', 'vendor']);

/** True for `*.yaml`, `*.yml`, `*.json` and `Kustomization` files outside vendored folders. */
export function isManifestCandidate(path: string): boolean {
  if (path.split('/').some((segment) => IGNORED_SEGMENTS.has(segment))) return false;
  return MANIFEST_EXTENSIONS.test(path) || isKustomizationPath(path);
}
