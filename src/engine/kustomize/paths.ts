import { posix } from 'node:path';

/** File names kustomize accepts for a kustomization, in its own lookup order. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationPath(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(posix.basename(path));
}

/** Directory of a POSIX path, '' for the root (so joins never start with './'). */
export function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

export function baseName(path: string): string {
  return posix.basename(path);
}

/**
 * Remote kustomize targets (`https://…`, `github.com/org/repo//dir?ref=v1`, `git@…`, `ssh://…`) are
 * fetched by kustomize at build time; they are not in the repository, so they are ignored.
 */
export function isRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    entry.startsWith('git@') ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
    entry.includes('?ref=') ||
    entry.includes('.git//')
  );
}

/**
 * Resolves a path written in a kustomization (relative to its directory) to a POSIX path relative
 * to the scanned root. Returns undefined for remote targets, absolute paths, paths that leave the
 * root, and values that are not plain path strings (inline patches).
 */
export function resolveEntry(dir: string, entry: unknown): string | undefined {
  if (typeof entry !== 'string') return undefined;
  const trimmed = entry.trim();
  if (trimmed === '' || trimmed.includes('\n') || trimmed.startsWith('/') || isRemote(trimmed)) return undefined;
  const joined = dir === '' ? trimmed : `${dir}/${trimmed}`;
  // Most entries (`deployment.yaml`, `config/app.env`) are already normal: posix.normalize, cold and
  // called for every entry of every kustomization, would give them back unchanged.
  if (isNormalized(trimmed) && (dir === '' || isNormalized(dir))) return joined;
  return rooted(posix.normalize(joined));
}

/** Whether a relative path has no `.`/`..` segment, no empty segment and no trailing slash (normalize leaves it as it is). */
function isNormalized(p: string): boolean {
  if (p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || p.endsWith('/') || p.endsWith('/.') || p.endsWith('/..')) return false;
  return !p.includes('//') && !p.includes('/./') && !p.includes('/../');
}

/** A normalized joined path as resolveEntry returns it: undefined when it leaves the root, '' for the root itself. */
function rooted(joined: string): string | undefined {
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  const clean = joined.endsWith('/') ? joined.slice(0, -1) : joined; // normalize leaves at most one
  return clean === '.' ? '' : clean;
}
