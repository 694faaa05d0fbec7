/**
 * npm run kustomize-parity [-- ROOT] [--verbose] [--cache DIR]
 *
 * For every repository under ROOT (default ../shared/corpus; each immediate subdirectory is one
 * repository, or ROOT itself when it holds no subdirectory with a kustomization), renders each root
 * kustomization with `kubectl kustomize` and compares it with keyref's kustomize model; prints the
 * number of differences by category (see scripts/kustomize-parity/compare.ts). `--cache DIR` keeps
 * kubectl's outputs between runs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATEGORIES, countByCategory, kubectlAvailable, parityOfRepository, type Difference } from './kustomize-parity/compare.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const cacheAt = args.indexOf('--cache');
const cacheDir = cacheAt >= 0 ? resolve(args[cacheAt + 1] ?? '') : undefined;
const positional = args.filter((a, i) => !a.startsWith('--') && (cacheAt < 0 || i !== cacheAt + 1));
const root = resolve(positional[0] ?? '../shared/corpus');

if (!kubectlAvailable()) {
  console.error('kustomize-parity: kubectl is not installed (it is the oracle: `kubectl kustomize`)');
  process.exit(2);
}

const subdirs = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.'));
const repositories = subdirs.length > 0 && !existsSync(join(root, 'kustomization.yaml')) ? subdirs.map((e) => join(root, e.name)) : [root];

const all: Difference[] = [];
let builds = 0;
const notBuilt: { root: string; reason: string }[] = [];
for (const repository of repositories.sort()) {
  const started = Date.now();
  const result = await parityOfRepository(repository, cacheDir ? { cacheDir } : {});
  builds += result.builds;
  notBuilt.push(...result.notBuilt.map((n) => ({ root: `${repository.slice(root.length + 1)}/${n.root}`, reason: n.reason })));
  all.push(...result.differences.map((d) => ({ ...d, root: `${repository.slice(root.length + 1)}/${d.root}` })));
  console.error(`${repository.slice(root.length + 1) || '.'}: ${result.builds} builds, ${result.differences.length} differences (${Date.now() - started} ms)`);
}

console.log(`kustomize parity over ${root}: ${builds} root builds compared, ${notBuilt.length} not built`);
const counts = countByCategory(all);
for (const c of CATEGORIES) console.log(`  ${String(counts[c]).padStart(5)}  ${c}`);
if (verbose) {
  for (const c of CATEGORIES) for (const d of all.filter((x) => x.category === c)) console.log(`${c}\t${d.root}\t${d.detail}`);
  for (const n of notBuilt) console.log(`not built\t${n.root}\t${n.reason}`);
}
