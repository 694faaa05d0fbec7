// What a scan of the generated repository holds, stage by stage: the heap left after a full GC at each
// boundary of the analysis (README › Benchmarks › Memory per review). Needs `npm run build` first.
// Usage: node --expose-gc scripts/bench/held.mjs [N=50000]
// Prints one JSON line of MB: files (the input: texts, paths, the texts map), values (parsed documents
// and the kustomize model), providers, references (with evidence), ruleMemos (what the rules keep to the
// end: resolutions, typo index), held (everything, the runtime's own ~5 MB included).
import { generateRepository } from './generate-repo.mjs';
import { parseRepository } from '../../dist/engine/parse/index.js';
import { analyzeKustomize } from '../../dist/engine/kustomize/index.js';
import { applyPodPatches } from '../../dist/engine/kustomize/pod-patches.js';
import { buildProviderIndex, providerModules } from '../../dist/engine/providers/index.js';
import { extractReferences } from '../../dist/engine/references/index.js';
import { collectEvidence } from '../../dist/engine/evidence/index.js';
import { DEFAULT_CONFIG } from '../../dist/engine/config/schema.js';
import { rules } from '../../dist/engine/rules/index.js';

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
const held = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1048576;
};
const h0 = held();
const files = generateRepository(Number(process.argv[2] ?? 50000));
const texts = new Map(files.map((f) => [f.path, f.text]));
const h1 = held();
const repo = parseRepository(files, {});
const kustomize = analyzeKustomize(repo);
const h2 = held();
const providers = buildProviderIndex(repo, kustomize, DEFAULT_CONFIG, providerModules, texts);
const h3 = held();
const references = applyPodPatches(repo, kustomize, extractReferences(repo, kustomize), texts);
const evidence = collectEvidence(texts, repo.objects);
const h4 = held();
const context = { repo, kustomize, providers, references, config: DEFAULT_CONFIG, evidence };
let reports = 0;
for (const rule of rules) reports += [...(await rule.check(context))].length;
const h5 = held();
const mb = (x) => Number(x.toFixed(1));
console.log(JSON.stringify({ files: mb(h1 - h0), values: mb(h2 - h1), providers: mb(h3 - h2), references: mb(h4 - h3), ruleMemos: mb(h5 - h4), held: mb(h5), reports }));
globalThis.keep = [files, texts, context];
