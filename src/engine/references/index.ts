import type { KustomizeModel } from '../kustomize/model.js';
import type { ParsedRepository, Reference } from '../model.js';

/** STUB — owned by the references work. */
export function extractReferences(_repo: ParsedRepository, _kustomize: KustomizeModel): Reference[] {
  return [];
}
