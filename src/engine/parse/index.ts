import type { ParsedRepository, SourceFile } from '../model.js';

export interface ParseOptions {
  /** Files larger than this are skipped with a notice (bytes). */
  readonly maxFileBytes?: number;
}

/** STUB — owned by the parse work: reads every YAML/JSON file into objects and kustomizations. */
export function parseRepository(files: readonly SourceFile[], _options: ParseOptions = {}): ParsedRepository {
  return { objects: [], kustomizations: [], problems: [], auxFiles: new Map(), documentCount: files.length * 0 };
}
