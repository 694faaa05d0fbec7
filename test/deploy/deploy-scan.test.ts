/** keyref's own scan of deploy/ must be clean: the manifests we ship pass the review we sell. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isManifestCandidate, listGeneratorInputs, scan, type SourceFile } from '../../src/engine/index.js';
import { parseConfig } from '../../src/engine/config/load.js';

const deployDir = fileURLToPath(new URL('../../deploy/', import.meta.url));
const CONFIG = '.github/keyref.yml';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

test('keyref scan of deploy/ (with deploy/.github/keyref.yml) has no error or warning findings', async () => {
  const paths = walk(deployDir).map((p) => relative(deployDir, p).split('\\').join('/'));
  const manifests: SourceFile[] = paths
    .filter((p) => p !== CONFIG && isManifestCandidate(p))
    .map((p) => ({ path: p, text: readFileSync(join(deployDir, p), 'utf8') }));
  assert.ok(manifests.some((f) => f.path === 'deployment.yaml'));
  const inputs = listGeneratorInputs(manifests).map((p) => ({ path: p, text: readFileSync(join(deployDir, p), 'utf8') }));

  const loaded = parseConfig(readFileSync(join(deployDir, CONFIG), 'utf8'), `deploy/${CONFIG}`);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);

  const result = await scan({ files: [...manifests, ...inputs], config: loaded.config });
  const loud = result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
  assert.deepEqual(
    loud.map((f) => `${f.severity} ${f.ruleId} ${f.path}:${f.line} ${f.message}`),
    [],
  );
  assert.ok(result.stats.references >= 3, `the scan saw the Deployment's references (${result.stats.references})`);
});

test('without the declaration, the out-of-band Secret is reported (the scan really checks deploy/)', async () => {
  const manifests: SourceFile[] = walk(deployDir)
    .map((p) => relative(deployDir, p).split('\\').join('/'))
    .filter((p) => p !== CONFIG && isManifestCandidate(p))
    .map((p) => ({ path: p, text: readFileSync(join(deployDir, p), 'utf8') }));
  const result = await scan({ files: manifests });
  const aboutSecret = result.findings.filter((f) => f.message.includes('keyref-github'));
  assert.ok(aboutSecret.length > 0, `expected findings about keyref-github, got: ${result.findings.map((f) => f.ruleId).join(', ')}`);
});
