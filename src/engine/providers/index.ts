import type { EngineConfig } from '../config/schema.js';
import type { KustomizeModel } from '../kustomize/model.js';
import type { ParsedRepository, ProviderIndex } from '../model.js';

/** STUB — owned by the providers work. */
export function buildProviderIndex(_repo: ParsedRepository, _kustomize: KustomizeModel, _config: EngineConfig): ProviderIndex {
  return { lookup: () => [], names: () => [], all: () => [] };
}
