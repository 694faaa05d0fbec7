/**
 * What could hold ConfigMap/Secret references but is not analysed: Helm charts (templates are only
 * rendered at install time), HelmReleases/Applications whose chart keyref cannot see and whose values
 * hold nothing pod-spec shaped, remote kustomize resources, kustomize plugins (KSOPS, exec…) and
 * generator inputs missing from the repository. The engine returns the list; adapters name it in one
 * line, so that a repository whose workloads keyref cannot see never reads as a clean pass.
 */
import type { KustomizeModel } from '../kustomize/model.js';
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
  if (Array.isArray(kustomize?.skipped)) out.push(...kustomize.skipped);
  else out.push(...kustomizeNotAnalysed(repo, kustomize, new Set(paths)));
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

/** A remote target as safe text: no user info (tokens) and no query other than what names the ref. */
function safeRemote(entry: string): string {
  let text = entry.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  const q = text.indexOf('?');
  if (q !== -1) text = text.slice(0, q);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

const PLUGIN_FIELDS = ['generators', 'transformers', 'validators'] as const;

/** Remote resources/bases/components, plugins and `helmCharts` of every kustomization; generator inputs not in the repository. */
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
      out.push({ path: g.kustomization, kind: 'generator-input', reason: `${kindOf(g.kind)} ${g.name}: env file ${env.source} is not in the repository, so its keys are not known`, ...(env.location.docIndex !== undefined ? { docIndex: env.location.docIndex } : {}), ...(env.location.nodePath ? { nodePath: env.location.nodePath } : {}) });
    }
    for (const file of g.files) {
      if (paths.has(file.source)) continue;
      out.push({ path: g.kustomization, kind: 'generator-input', reason: `${kindOf(g.kind)} ${g.name}: file ${file.source} (key ${file.key}) is not in the repository, so its content is not checked`, ...(file.location.docIndex !== undefined ? { docIndex: file.location.docIndex } : {}), ...(file.location.nodePath ? { nodePath: file.location.nodePath } : {}) });
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
