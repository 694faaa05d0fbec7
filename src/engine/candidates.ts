/** Which repository paths the adapters hand to the engine as manifest candidates. */

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** Folders that never hold the repository's own manifests. */
const IGNORED_SEGMENTS = new Set(['node_modules', '.git', 'vendor']);

export function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

export function isKustomizationPath(path: string): boolean {
  return KUSTOMIZATION_NAMES.has(baseName(path));
}

/** True for `*.yaml`, `*.yml`, `*.json` and `Kustomization` files outside vendored folders. */
export function isManifestCandidate(path: string): boolean {
  if (path.split('/').some((segment) => IGNORED_SEGMENTS.has(segment))) return false;
  return MANIFEST_EXTENSIONS.test(path) || isKustomizationPath(path);
}
