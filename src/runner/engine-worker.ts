/**
 * The engine worker's engine: serves engine tasks on the worker's port once started. Loaded by the
 * worker's entry point: `worker.ts` (dist/, the App, tests) or `bundle-worker.ts` (the CLI's bundle, which
 * passes `afterWork` to save V8's code cache once a task has run).
 */
import { listGeneratorInputs } from '../engine/kustomize/index.js';
import type { SourceFile } from '../engine/model.js';
import { parseSourceFile, type ParsedFile } from '../engine/parse/index.js';
import { review } from '../engine/review.js';
import { scan } from '../engine/scan.js';
import { primeParser } from './primer.js';
import { serveEngine, type ServeHooks } from './protocol.js';

/** See EngineFunctions.generatorInputs: each kustomization is parsed once, here or ahead, and the scan takes the results. */
function generatorInputs(files: readonly SourceFile[], parsed: Map<SourceFile, ParsedFile>, onFile: (path: string) => void): string[] {
  const have = new Set(files.map((f) => f.path));
  return listGeneratorInputs(files, parsed, onFile).filter((p) => !have.has(p));
}

export function startEngineWorker(hooks: ServeHooks = {}): void {
  // Before the first file arrives (the worker waits for it anyway): type feedback for the YAML reader's rarer paths (primer.ts).
  primeParser(parseSourceFile);
  serveEngine({ review, scan, parse: (file) => parseSourceFile(file), generatorInputs }, hooks);
}
