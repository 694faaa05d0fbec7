/**
 * The engine worker's engine: serves engine tasks on the worker's port once started. Loaded by the
 * worker's entry point: `worker.ts` (dist/, the App, tests) or `bundle-worker.ts` (the CLI's bundle, which
 * passes `afterWork` to save V8's code cache once a task has run).
 */
import { generatorInputsOf, isKustomizationPath } from '../engine/kustomize/index.js';
import type { KustomizationDoc, SourceFile } from '../engine/model.js';
import { parseSourceFile, type ParsedFile } from '../engine/parse/index.js';
import { review } from '../engine/review.js';
import { scan } from '../engine/scan.js';
import { primeParser } from './primer.js';
import { serveEngine, type ServeHooks } from './protocol.js';

/** See EngineFunctions.generatorInputs: the kustomizations are parsed once, here or ahead, and the scan takes them. */
function generatorInputs(files: readonly SourceFile[], parsed: Map<SourceFile, ParsedFile>, onFile: (path: string) => void): string[] {
  const kustomizations: KustomizationDoc[] = [];
  const have = new Set<string>();
  for (const file of files) {
    have.add(file.path);
    if (!isKustomizationPath(file.path)) continue;
    let result = parsed.get(file);
    if (result === undefined) {
      onFile(file.path);
      result = parseSourceFile(file);
      parsed.set(file, result);
    }
    if (result !== 'aux') kustomizations.push(...result.kustomizations);
  }
  return generatorInputsOf(kustomizations).filter((p) => !have.has(p));
}

export function startEngineWorker(hooks: ServeHooks = {}): void {
  // Before the first file arrives (the worker waits for it anyway): type feedback for the YAML reader's rarer paths (primer.ts).
  primeParser(parseSourceFile);
  serveEngine({ review, scan, parse: (file) => parseSourceFile(file), generatorInputs }, hooks);
}
