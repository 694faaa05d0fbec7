// Real kustomize as the oracle: every kustomize fixture of the repository, rendered with
// `kubectl kustomize`, must agree with keyref's kustomize model (ConfigMaps/Secrets: final name,
// namespace, keys; pod references: final names and namespaces). The same comparison runs over a
// corpus with `npm run kustomize-parity`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isKustomizationPath } from '../../../src/engine/kustomize/paths.js';
import { kubectlAvailable, parityOfRepository } from '../../../scripts/kustomize-parity/compare.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Fixture "repositories" (fixtures/<area>/<case>, examples/<name>) that hold at least one kustomization. */
function kustomizeRepositories(): string[] {
  const holds = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? holds(join(dir, e.name)) : isKustomizationPath(e.name)));
  const out: string[] = [];
  for (const top of ['fixtures', 'examples']) {
    for (const area of readdirSync(join(ROOT, top), { withFileTypes: true })) {
      if (!area.isDirectory()) continue;
      const areaDir = join(ROOT, top, area.name);
      if (top === 'examples') {
        if (holds(areaDir)) out.push(areaDir);
        continue;
      }
      for (const c of readdirSync(areaDir, { withFileTypes: true })) if (c.isDirectory() && holds(join(areaDir, c.name))) out.push(join(areaDir, c.name));
    }
  }
  return out.sort();
}

/** Fixtures kustomize refuses to build on purpose, with the reason it gives. */
const EXPECTED_FAILURES: Readonly<Record<string, RegExp>> = {
  'fixtures/kustomize/cycle a/kustomization.yaml': /cycle/i,
  'fixtures/kustomize/cycle b/kustomization.yaml': /cycle/i,
  // Broken on purpose, to show the model tolerates what kustomize refuses.
  'fixtures/kustomize/layered overlays/dev/kustomization.yaml': /missing\.env/,
  'fixtures/kustomize/layered overlays/prod/kustomization.yaml': /remote base/,
  'fixtures/parse/kustomize Kustomization': /is not in or below/,
  // What keyref names as not analysed: an exec plugin (KSOPS) and a remote base.
  'fixtures/references/not-analysed apps/secrets/kustomization.yaml': /external plugin 'ksops'/,
  'fixtures/references/not-analysed apps/web/kustomization.yaml': /remote base/,
};

const available = kubectlAvailable();

test('kubectl kustomize agrees with the kustomize model on every fixture', { skip: available ? false : 'kubectl is not installed: the kustomize parity test needs `kubectl kustomize` as its oracle' }, async () => {
  const failures: string[] = [];
  let builds = 0;
  for (const dir of kustomizeRepositories()) {
    const result = await parityOfRepository(dir);
    const name = relative(ROOT, dir);
    builds += result.builds;
    for (const d of result.differences) failures.push(`${name} ${d.root}: ${d.category}: ${d.detail}`);
    for (const n of result.notBuilt) {
      const expected = EXPECTED_FAILURES[`${name} ${n.root}`];
      if (!expected?.test(n.reason)) failures.push(`${name} ${n.root}: kubectl could not build it: ${n.reason}`);
    }
  }
  assert.ok(builds >= 5, `only ${builds} fixture builds compared`);
  assert.deepEqual(failures, []);
});
