/**
 * kustomize, read statically: which builds include each file (namespace, namePrefix, nameSuffix
 * of every chain of kustomizations from a root), the configMapGenerator/secretGenerator entries,
 * and the inline/JSON 6902 patches that set ConfigMap/Secret keys. Remote bases, missing paths and
 * cycles are tolerated; nothing here throws on malformed kustomizations.
 */
import type { BuildScope, KustomizationDoc, ParsedRepository, SourceFile } from '../model.js';
import { buildGraph, EMPTY_SCOPE, scopeKey } from './graph.js';
import { generatorInputPaths, readGenerators } from './generators.js';
import type { KustomizeModel } from './model.js';
import { isKustomizationPath } from './paths.js';
import { readKeyPatches } from './patches.js';
import { parseSourceFile, type ParsedFile } from '../parse/index.js';

export type { Generator, KeyPatch, KustomizeModel } from './model.js';
export { parseEnvFile } from './generators.js';
export { buildNamespaces, namespacesInScopes, placementsIn } from './namespaces.js';
export { isKustomizationPath, KUSTOMIZATION_FILE_NAMES } from './paths.js';

const UNSCOPED: readonly BuildScope[] = Object.freeze([EMPTY_SCOPE]);

/** Builds the kustomize inclusion graph of the repository: build scopes of every file, and every generator. */
export function analyzeKustomize(repo: ParsedRepository): KustomizeModel {
  const { kustomizationScopes, includers, patchOnly, transformOrder } = buildGraph(repo.kustomizations);
  const generators = readGenerators(repo.kustomizations, repo.auxFiles);
  const keyPatches = readKeyPatches(repo.kustomizations, new Set(repo.objects.map((o) => o.path)));

  const fileScopes = new Map<string, readonly BuildScope[]>();
  const scopesOf = (path: string): readonly BuildScope[] => {
    const cached = fileScopes.get(path);
    if (cached !== undefined) return cached;
    const unique = new Map<string, BuildScope>();
    for (const kustomization of includers.get(path) ?? []) {
      for (const scope of kustomizationScopes.get(kustomization) ?? []) unique.set(scopeKey(scope), scope);
    }
    const scopes = unique.size > 0 ? [...unique.values()] : UNSCOPED;
    fileScopes.set(path, scopes);
    return scopes;
  };
  const scopesOfKustomization = (path: string): readonly BuildScope[] => {
    const scopes = kustomizationScopes.get(path);
    return scopes !== undefined && scopes.length > 0 ? scopes : UNSCOPED;
  };
  return {
    scopesOf,
    scopesOfKustomization,
    generators,
    keyPatches,
    isPatchFile: (path) => patchOnly.has(path),
    transformOrder: (path) => transformOrder.get(path) ?? -1,
  };
}

/**
 * Paths (POSIX, relative to the root) of generator input files (`files:`, `envs:`, `env:`) that the
 * kustomizations among `files` name. Adapters read these and pass them to scan as well. A kustomization
 * is read as the scan reads it (parseSourceFile: its first document, a repeated key's last value).
 * `parsed`: parseSourceFile's results already at hand (the engine's worker parses files ahead), used, and
 * completed with the kustomizations parsed here, each told to `onFile` first.
 */
export function listGeneratorInputs(files: readonly SourceFile[], parsed?: Map<SourceFile, ParsedFile>, onFile?: (path: string) => void): string[] {
  const kustomizations: KustomizationDoc[] = [];
  for (const file of files) {
    if (typeof file?.text !== 'string' || !isKustomizationPath(file.path)) continue;
    let result = parsed?.get(file);
    if (result === undefined) {
      // Without the word (or an escape that could spell it) there is no configMapGenerator/secretGenerator: not worth a parse.
      if (!file.text.includes('Generator') && !file.text.includes('\\')) continue;
      onFile?.(file.path);
      result = parseSourceFile(file);
      parsed?.set(file, result);
    }
    if (result !== 'aux') kustomizations.push(...result.kustomizations);
  }
  return generatorInputsOf(kustomizations);
}

/** The generator inputs that parsed kustomizations name, each once, in the order they are named. */
export function generatorInputsOf(kustomizations: readonly KustomizationDoc[]): string[] {
  const inputs = new Set<string>();
  for (const k of kustomizations) for (const input of generatorInputPaths(k.path, k.value)) inputs.add(input);
  return [...inputs];
}
