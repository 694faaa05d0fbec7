/**
 * What could hold ConfigMap/Secret references but is not analysed: Helm charts (templates are only
 * rendered at install time), HelmReleases/Applications whose chart keyref cannot see and whose values
 * hold nothing pod-spec shaped, remote kustomize resources, kustomize plugins (KSOPS, exec…) and
 * generator inputs missing from the repository. The engine returns the list; adapters name it in one
 * line, so that a repository whose workloads keyref cannot see never reads as a clean pass.
 */
import { posix } from 'node:path';
import type { KustomizeModel } from '../kustomize/model.js';
import { unevaluatedTarget } from '../kustomize/patch-set.js';
import { dirOf, isRemote, resolveEntry } from '../kustomize/paths.js';
import type { FileProblem, ManifestObject, NodePath, ParsedRepository, Reference, Skipped, SkippedKind } from '../model.js';
import { fileSkipped, SKIPPED_KINDS } from '../model.js';
import { helmDeploymentsOf, valuesDescribePods } from '../references/helm-values.js';
import { isRecord } from '../untrusted.js';

/** A Skipped entry, with the node to point at when it is inside a YAML document (the caller resolves its line). */
export interface SkippedAt extends Skipped {
  readonly nodePath?: NodePath;
}

const TEMPLATE_REASON = 'Helm/Go template';

/**
 * Everything not analysed, files first (`problems` of kind 'skipped'), each chart's template files
 * folded into one entry for the chart. `paths` are all the files the engine was given.
 */
export function notAnalysed(repo: ParsedRepository, kustomize: KustomizeModel, references: readonly Reference[], paths: readonly string[]): SkippedAt[] {
  const out: SkippedAt[] = [];
  const charts = chartDirs(paths);
  for (const p of repo.problems) {
    if (p.kind !== 'skipped') continue;
    if (isChartTemplate(p, charts)) continue; // named by its chart below
    out.push(fileSkipped(p));
  }
  for (const dir of charts) {
    const prefix = dir === '' ? 'templates/' : `${dir}/templates/`;
    const templates = paths.filter((p) => p.startsWith(prefix)).length;
    out.push({
      path: dir === '' ? 'Chart.yaml' : `${dir}/Chart.yaml`,
      kind: 'helm-chart',
      reason: `Helm chart: its templates (${templates} file${templates === 1 ? '' : 's'}) are rendered only at install time, so the ConfigMaps/Secrets they use are not checked`,
    });
  }
  out.push(...releasesNotSeen(repo.objects, references));
  out.push(...fluxComponents(repo.objects));
  out.push(...kustomizeNotAnalysed(repo, kustomize, new Set(paths)));
  return out;
}

/** Directories holding a `Chart.yaml` (Helm only reads that exact name). */
function chartDirs(paths: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const p of paths) if (p === 'Chart.yaml' || p.endsWith('/Chart.yaml')) dirs.push(dirOf(p));
  return dirs.sort();
}

function isChartTemplate(p: FileProblem, charts: readonly string[]): boolean {
  if (!p.reason.startsWith(TEMPLATE_REASON)) return false;
  return charts.some((dir) => dir === '' || p.path.startsWith(`${dir}/`));
}

/**
 * HelmReleases/Applications of a chart whose values neither describe its pods nor gave a reference:
 * what the chart's pods use is decided by templates keyref does not see.
 */
function releasesNotSeen(objects: readonly ManifestObject[], references: readonly Reference[]): SkippedAt[] {
  const seen = new Set<string>();
  for (const r of references) {
    if (r.form !== 'helm-values-from' && (r.owner.kind === 'HelmRelease' || r.owner.kind === 'Application')) seen.add(`${r.path}\0${r.location.docIndex ?? 0}\0${r.owner.name}`);
  }
  const out: SkippedAt[] = [];
  for (const obj of objects) {
    if (obj.kind !== 'HelmRelease' && obj.kind !== 'Application') continue;
    const deployments = helmDeploymentsOf(obj);
    if (!deployments || deployments.length === 0) continue;
    if (seen.has(`${obj.path}\0${obj.docIndex}\0${obj.name}`)) continue;
    if (deployments.every((d) => d.values.some((v) => valuesDescribePods(v.value)))) continue;
    const charts = [...new Set(deployments.map((d) => d.chart))].join(', ');
    const hasValues = deployments.some((d) => d.values.some((v) => isRecord(v.value) && Object.keys(v.value).length > 0));
    out.push({
      path: obj.path,
      kind: 'helm-release',
      reason: `${obj.kind} ${obj.name} deploys ${charts}, which is not in the repository; ${hasValues ? 'its values do not describe its pods (no containers, env, envFrom or volumes)' : 'it sets no values'}, so the ConfigMaps/Secrets its pods use are not checked`,
      docIndex: obj.docIndex,
      nodePath: [...obj.basePath, 'kind'],
    });
  }
  return out;
}

/**
 * Flux Kustomizations (kustomize.toolkit.fluxcd.io) with `spec.components`: Flux applies those
 * components to the build of `spec.path` (usually with postBuild `${VAR}` substitution), which keyref
 * does not model, so the objects they add (a database cluster, an OIDC client Secret…) are not seen.
 */
function fluxComponents(objects: readonly ManifestObject[]): SkippedAt[] {
  const out: SkippedAt[] = [];
  for (const obj of objects) {
    if (obj.kind !== 'Kustomization' || typeof obj.apiVersion !== 'string' || !obj.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    const spec = obj.value.spec;
    const components = isRecord(spec) && Array.isArray(spec.components) ? spec.components.filter((c): c is string => typeof c === 'string') : [];
    if (components.length === 0) continue;
    const path = isRecord(spec) && typeof spec.path === 'string' ? spec.path : '.';
    const listed = components.slice(0, 3).join(', ') + (components.length > 3 ? `, and ${components.length - 3} more` : '');
    out.push({
      path: obj.path,
      kind: 'flux-components',
      reason: `Flux Kustomization ${obj.name} applies components ${listed} to ${path}; keyref does not build Flux Kustomizations, so the objects they add are not seen`,
      docIndex: obj.docIndex,
      nodePath: [...obj.basePath, 'spec', 'components'],
    });
  }
  return out;
}

/** A remote target as safe text: no user info (tokens) and no query other than what names the ref. */
function safeRemote(entry: string): string {
  let text = entry.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  const q = text.indexOf('?');
  if (q !== -1) text = text.slice(0, q);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

const PLUGIN_FIELDS = ['generators', 'transformers', 'validators'] as const;

/** Remote resources/bases/components, plugins, selector patches and `helmCharts` of every kustomization; generator inputs not in the repository. */
function kustomizeNotAnalysed(repo: ParsedRepository, kustomize: KustomizeModel, paths: ReadonlySet<string>): SkippedAt[] {
  const out: SkippedAt[] = [];
  const builtin = new Set(repo.objects.filter((o) => o.apiVersion === 'builtin').map((o) => o.path));
  const add = (path: string, kind: SkippedKind, reason: string, nodePath: NodePath) => out.push({ path, kind, reason, docIndex: 0, nodePath });
  for (const k of repo.kustomizations) {
    const value = k.value;
    if (!isRecord(value)) continue;
    const dir = dirOf(k.path);
    for (const fieldName of ['resources', 'bases', 'components'] as const) {
      const list = value[fieldName];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        if (typeof entry === 'string' && isRemote(entry.trim())) {
          add(k.path, 'remote-base', `${fieldName} entry ${safeRemote(entry.trim())} is fetched by kustomize at build time; what it defines and refers to is not analysed`, [fieldName, i]);
        }
      });
    }
    for (const fieldName of PLUGIN_FIELDS) {
      const list = value[fieldName];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        const target = resolveEntry(dir, entry);
        if (target !== undefined && builtin.has(target)) return; // kustomize's own transformers, configured in a file
        if (isRecord(entry) && entry.apiVersion === 'builtin') return;
        const what = typeof entry === 'string' ? entry.trim() : 'an inline configuration';
        add(k.path, 'kustomize-plugin', `${fieldName} entry ${what.length > 100 ? `${what.slice(0, 99)}…` : what} runs a kustomize plugin (KSOPS, exec, container function…); what it generates or changes is not analysed`, [fieldName, i]);
      });
    }
    for (const fieldName of ['patches', 'patchesJson6902'] as const) {
      const list = value[fieldName];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, i) => {
        const how = unevaluatedTarget(isRecord(entry) ? entry.target : undefined);
        if (how === undefined) return;
        add(k.path, 'selector-patch', `${fieldName} entry ${i + 1} targets objects by ${how === 'name pattern' ? 'a name pattern' : 'a label or annotation selector'}, which keyref does not evaluate; what it changes is not analysed`, [fieldName, i, 'target']);
      });
    }
    const charts = value.helmCharts;
    if (Array.isArray(charts)) {
      charts.forEach((chart, i) => {
        const name = isRecord(chart) && typeof chart.name === 'string' ? chart.name : `#${i + 1}`;
        add(k.path, 'helm-chart', `helmCharts entry ${name} is rendered by kustomize --enable-helm; its templates are not analysed`, ['helmCharts', i]);
      });
    }
  }
  for (const g of kustomize?.generators ?? []) {
    for (const env of g.envs) {
      if (env.entries !== 'unknown') continue;
      out.push({ path: g.kustomization, kind: 'generator-input', reason: `${kindOf(g.kind)} ${g.name}: env file ${posix.relative(dirOf(g.kustomization), env.source)} is not in the repository, so its keys are not known`, ...(env.location.docIndex !== undefined ? { docIndex: env.location.docIndex } : {}), ...(env.location.nodePath ? { nodePath: env.location.nodePath } : {}) });
    }
    for (const file of g.files) {
      if (paths.has(file.source)) continue;
      out.push({ path: g.kustomization, kind: 'generator-input', reason: `${kindOf(g.kind)} ${g.name}: file ${posix.relative(dirOf(g.kustomization), file.source)} (key ${file.key}) is not in the repository, so its content is not checked`, ...(file.location.docIndex !== undefined ? { docIndex: file.location.docIndex } : {}), ...(file.location.nodePath ? { nodePath: file.location.nodePath } : {}) });
    }
  }
  return out;
}

function kindOf(kind: string): string {
  return kind === 'Secret' ? 'secretGenerator' : 'configMapGenerator';
}

function plural(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The one line that names what was not analysed: `not analysed: 3 Helm charts, 2 remote kustomize
 * resources`, in a fixed order; undefined when everything was analysed.
 */
export function notAnalysedSummary(skipped: readonly Pick<Skipped, 'kind'>[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const parts: string[] = [];
  for (const [kind, labels] of Object.entries(SKIPPED_KINDS)) {
    const n = counts.get(kind);
    if (n) parts.push(plural(n, labels));
    counts.delete(kind);
  }
  for (const [kind, n] of counts) parts.push(`${n} ${kind}`); // kinds other stages add
  return `not analysed: ${parts.join(', ')}`;
}

/** For docs/rules.md (generated): where references are read from, and what is named as not analysed. */
export const COVERAGE_DOC = [
  '## Where references are read',
  '',
  'The reference rules (`unresolved-reference`, `missing-key`, `wrong-kind`, `cross-namespace-reference`) check every place the repository refers to a ConfigMap or Secret by name:',
  '',
  '- **Pod specs, wherever they are**: the built-in workloads at their fixed paths, and in any other kind every pod spec found by its shape — a `template.spec` with `containers`, any object whose `containers` list holds a container (`name` and `image`), a `volumes` list of ConfigMap/Secret volumes, a lone container (`image` with `env`/`envFrom`). LeaderWorkerSet, ECK `podTemplate`, Argo Workflows (`container`, `script`, workflow `volumes` and `imagePullSecrets`), Tekton `steps`, Rollouts, Knative, RayCluster, JobSet… Each is counted once.',
  '- **ServiceAccount `imagePullSecrets`.**',
  '- **Helm values that Flux and Argo CD deploy**: Flux HelmRelease `spec.values`, Argo CD Application `spec.source(s).helm.valuesObject` and `helm.values` (a YAML string: lines point into it). Values in the shape of a pod spec are read as one: `env` lists and maps (`VAR: {valueFrom: …}`, `VAR: {secretKeyRef: …}`), `envFrom`, `volumes`, `imagePullSecrets`, lists of such items under any key (`extraEnv`, `extraVolumes`, `sidecars`), and the bjw-s app-template layout (`controllers.*.containers.*`, `persistence.*` of `type: configMap|secret`, `envFrom: [{secret: name}]`). Objects the chart makes itself (`identifier:`, `configMaps.<id>`, `secrets.<id>`) and disabled parts (`enabled: false`) are skipped; `{{ .Release.Name }}` is the release name (`spec.releaseName`, else Flux\'s `[targetNamespace-]name`). Pods run in the release\'s target namespace (`spec.targetNamespace`, Application `spec.destination.namespace`).',
  '- **Flux `spec.valuesFrom`**: each ConfigMap/Secret must exist in the HelmRelease\'s own namespace with its `valuesKey` (default `values.yaml`), unless `optional: true` — Flux does not install or upgrade the release otherwise.',
  '',
  '## What is reported as not analysed',
  '',
  'What could hold references but is not read is never passed silently: it is counted on the summary line (`not analysed: 2 Helm charts, 1 remote kustomize resource`), listed with its reason (text output, check run notes), under `skipped` in JSON (`{path, kind, reason, line}`) and as SARIF tool notifications.',
  '',
  '| kind | what |',
  '| --- | --- |',
  '| `file` | a file not read: too large, binary, not UTF-8, a template that is not YAML before rendering |',
  '| `helm-chart` | a Helm chart (a `Chart.yaml`; its template files are folded into it) or a kustomize `helmCharts` entry: templates are rendered only at install time |',
  '| `helm-release` | a HelmRelease/Application of a chart not in the repository whose values neither describe its pods nor gave a reference |',
  '| `remote-base` | a remote kustomize `resources`/`bases`/`components` entry (URL, `github.com/…`, `?ref=`); user info and query are never printed |',
  '| `kustomize-plugin` | a `generators`/`transformers`/`validators` entry that is not a kustomize built-in (KSOPS, exec and container functions) |',
  '| `flux-components` | a Flux Kustomization with `spec.components`: Flux applies them (often with `${VAR}` substitution) to its path; the objects they add are not seen |',
  '| `selector-patch` | a kustomize patch whose target is a label/annotation selector or a name pattern: keyref does not evaluate selectors, so what the patch adds or removes is not checked |',
  '| `generator-input` | a `configMapGenerator`/`secretGenerator` env file (keys unknown) or file (content not checked) that is not in the repository |',
  '',
].join('\n');
