/** Pod specs found by shape in any kind, ServiceAccount imagePullSecrets, and what is named as not analysed: through scan(). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../../src/engine/scan.js';
import { formatJson, formatText } from '../../../src/engine/report/index.js';
import { rule as unresolved } from '../../../src/engine/rules/unresolved-reference.js';
import { rule as missingKey } from '../../../src/engine/rules/missing-key.js';
import { loadFixture } from './helpers.js';

const RULES = [unresolved, missingKey];
const brief = (f: { ruleId: string; severity: string; path: string; line: number }) => `${f.ruleId} ${f.severity} ${f.path}:${f.line}`;

test('shapes fixture: LeaderWorkerSet, ECK podTemplate, Argo Workflows, Tekton and ServiceAccount references, each counted once', async () => {
  const result = await scan({ files: loadFixture('shapes'), rules: RULES });
  assert.deepEqual(result.findings.map(brief), [
    'unresolved-reference warning eck.yaml:15',
    'unresolved-reference warning lws.yaml:29', // workerTemplate; the leaderTemplate's hf-secret exists
    'unresolved-reference warning serviceaccount.yaml:7', // a typo of registry-creds
    'unresolved-reference warning tekton.yaml:11',
    'unresolved-reference warning tekton.yaml:15',
    'unresolved-reference warning workflow.yaml:26', // script; the container's envFrom, volume and imagePullSecrets resolve
  ]);
  // 2 (LWS) + 4 (workflow: imagePullSecrets, volume, container, script) + 2 (Tekton) + 1 (ECK) + 2 (ServiceAccount); not-pods.yaml: none
  assert.equal(result.stats.references, 11);
  assert.match(result.findings[2]!.message, /^Secret "regsitry-creds" is not defined.*did you mean "registry-creds"/);
  assert.match(result.findings[2]!.help ?? '', /^ServiceAccount builder, imagePullSecrets uses it/);
  assert.deepEqual(result.skipped, []);
});

test('not-analysed fixture: a Helm chart (its templates folded in), Flux components, remote resources, a plugin and a missing env file are named', async () => {
  const result = await scan({ files: loadFixture('not-analysed'), rules: RULES });
  assert.deepEqual(result.findings, []);
  assert.deepEqual(
    result.skipped.map((s) => [s.kind, s.path, s.line]),
    [
      ['helm-chart', 'charts/web/Chart.yaml', undefined],
      ['flux-components', 'apps/web/ks.yaml', 9],
      ['kustomize-plugin', 'apps/secrets/kustomization.yaml', 4],
      ['remote-base', 'apps/web/kustomization.yaml', 4],
      ['remote-base', 'apps/web/kustomization.yaml', 5],
      ['generator-input', 'apps/web/kustomization.yaml', 10],
    ],
  );
  // a token in a remote URL is never repeated
  assert.doesNotMatch(JSON.stringify(result.skipped), /token@|user:/);
  assert.match(result.skipped[3]!.reason, /^resources entry https:\/\/github\.com\/example\/deploy\/\/base is fetched by kustomize at build time/);
  const text = formatText({ findings: result.findings, skipped: result.skipped, stats: result.stats });
  assert.match(
    text,
    /^0 errors, 0 warnings, 0 notices in 10 files \(4 objects\); not analysed: 1 Helm chart, 2 remote kustomize resources, 1 kustomize plugin, 1 Flux Kustomization with components, 1 missing generator input \(listed above/m,
  );
  assert.match(text, /^Not analysed \(6\):\n {2}charts\/web\/Chart\.yaml +Helm chart: its templates \(2 files\) are rendered only at install time/m);
  const json = JSON.parse(formatJson({ findings: result.findings, skipped: result.skipped, stats: result.stats }));
  assert.deepEqual(json.skipped[5], {
    path: 'apps/web/kustomization.yaml',
    kind: 'generator-input',
    reason: 'configMapGenerator web-env: env file web.env is not in the repository, so its keys are not known',
    line: 10,
  });
});

test('the kustomize blind spots are listed once, by the coverage stage', async () => {
  const { notAnalysed } = await import('../../../src/engine/coverage/index.js');
  const repo = {
    objects: [],
    kustomizations: [{ path: 'k/kustomization.yaml', value: { resources: ['https://example.com/x.yaml'] } }],
    problems: [],
    auxFiles: new Map(),
    documentCount: 1,
  };
  const own = notAnalysed(repo, { scopesOf: () => [], scopesOfKustomization: () => [], generators: [] }, [], ['k/kustomization.yaml']);
  assert.deepEqual(own.map((s) => s.kind), ['remote-base']);
});
