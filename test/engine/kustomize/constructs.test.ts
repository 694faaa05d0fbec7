// Must-fire / must-not-fire cases for each kustomize construct the model builds like kustomize.
// Every fixture here is also rendered with `kubectl kustomize` by parity.test.ts, which requires
// the model to agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDirectory } from '../../../src/cli/files.js';
import { scan } from '../../../src/engine/scan.js';

const REFERENCE_RULES = new Set(['unresolved-reference', 'missing-key', 'cross-namespace-reference', 'wrong-kind', 'cross-build-reference']);

/** Reference findings of a fixture, as `rule path:line "name"` (name = first quoted word of the message). */
async function findings(fixture: string): Promise<string[]> {
  const dir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'kustomize', fixture);
  const result = await scan({ files: readDirectory(dir).files });
  return result.findings
    .filter((f) => REFERENCE_RULES.has(f.ruleId))
    // The object's name, or for missing-key the key (`ConfigMap "settings" has no key "DEBUG_PORT".`).
    .map((f) => `${f.ruleId} ${f.severity} ${f.path}:${f.line} ${(f.ruleId === 'missing-key' ? /key "([^"]+)"/ : /"([^"]+)"/).exec(f.message)?.[1] ?? ''}`)
    .sort();
}

test('JSON 6902 patches: an added reference is reported at the patch file line; replaced and removed ones are gone', async () => {
  // base/deployment.yaml refers to old-settings and legacy-token: the overlay replaces the first
  // (with a generated ConfigMap) and removes the second, so neither fires.
  assert.deepEqual(await findings('json6902'), ['unresolved-reference warning overlay/add-credentials.yaml:7 db-credentials']);
});

test('strategic-merge patches: $patch: delete and $patch: replace drop references; added ones are reported in the patch', async () => {
  // mysql-secret (env deleted), mysql-certs (volumes replaced) and worker-secret (object deleted) must not fire.
  assert.deepEqual(await findings('strategic-merge'), [
    'unresolved-reference warning overlay/use-postgres.yaml:16 postgres-secret',
    'unresolved-reference warning overlay/use-postgres.yaml:22 postgres-certs',
  ]);
});

test("components: the component's namespace applies to the including build", async () => {
  // The pod runs in team-b (the component's namespace), where db-credentials exists; team-a-only does not.
  assert.deepEqual(await findings('components'), ['unresolved-reference warning app/deployment.yaml:16 team-a-only']);
});

test('behavior: replace generators replace the keys, they do not merge them', async () => {
  assert.deepEqual(await findings('generator-replace'), ['missing-key error base/deployment.yaml:21 DEBUG_PORT']);
});

test('a patch whose target is not in the build makes nothing exist', async () => {
  assert.deepEqual(await findings('patch-without-target'), [
    'unresolved-reference warning app/deployment.yaml:13 ghost',
    'unresolved-reference warning app/deployment.yaml:15 ghost-secret',
  ]);
});

test('a reference resolved only by another build is reported; one resolved in its own build is not', async () => {
  assert.deepEqual(await findings('cross-build'), ['cross-build-reference warning app-a/deployment.yaml:20 db-credentials']);
});

test('a patch that makes an object provide a Secret provides it in the builds it patches only', async () => {
  // openshift (JSON 6902 file) and openshift-inline (inline strategic merge) annotate the Service, so
  // the OpenShift service CA creates web-serving-cert there; plain does not, and shares the namespace
  // of openshift: its Deployment resolves only through the other build.
  assert.deepEqual(await findings('patched-provider'), ['cross-build-reference warning base/deployment.yaml:23 web-serving-cert']);
});
