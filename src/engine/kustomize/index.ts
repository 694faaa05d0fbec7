import type { ParsedRepository, SourceFile } from '../model.js';
import type { KustomizeModel } from './model.js';

export type { Generator, KustomizeModel } from './model.js';

/** STUB — owned by the kustomize work. */
export function analyzeKustomize(_repo: ParsedRepository): KustomizeModel {
  return { scopesOf: () => [{ namePrefix: '', nameSuffix: '' }], scopesOfKustomization: () => [{ namePrefix: '', nameSuffix: '' }], generators: [] };
}

/** STUB — paths (POSIX, relative to the root) of generator input files (`files:`, `envs:`) that the kustomizations among `files` name. Adapters read these and pass them to scan as well. */
export function listGeneratorInputs(_files: readonly SourceFile[]): string[] {
  return [];
}
