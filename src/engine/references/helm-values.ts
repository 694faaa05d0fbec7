/**
 * References in the Helm chart values that Flux and Argo CD deploy, and in Flux `valuesFrom`.
 *
 * The chart's templates are not in the repository (or not rendered), so what a value becomes is
 * unknown in general. Values written in the shape of a pod spec are read as the pod spec they become:
 * `env` (list, or the map form `VAR: {valueFrom: …}` / `VAR: {secretKeyRef: …}`), `envFrom`, `volumes`,
 * `imagePullSecrets`, and the bjw-s app-template/common-library layout (`controllers.*.containers.*`,
 * `persistence.*` of type `configMap`/`secret`, `envFrom` `{secret: name}`). Names the chart creates
 * itself (bjw-s `identifier:`, `configMaps.<id>`/`secrets.<id>`) are left alone; `{{ .Release.Name }}`
 * and `{{ .Release.Namespace }}` are filled in. Lines point into the HelmRelease/Application file,
 * also inside an Argo CD `helm.values: |` string.
 */
import type { Location, ManifestObject, NodePath, ProvidedKind, Reference } from '../model.js';
import { loadYaml } from '../parse/schema.js';
import { field, isRecord } from '../untrusted.js';
import { extractEnvFrom, extractEnvVar, extractPullSecrets, extractVolumes, itemKeys, push, readableKey, type Ctx, type SharedParts } from './extract.js';

/** One set of chart values an object deploys: a HelmRelease's, or one Helm source of an Application. */
export interface HelmDeployment {
  /** `HelmRelease` or `Application`. */
  readonly kind: string;
  /** The chart, for messages: `chart podinfo from HelmRepository podinfo`. */
  readonly chart: string;
  readonly releaseName: string;
  /** The namespace the chart is installed into, when the object says. */
  readonly targetNamespace?: string;
  /** The values, with the path of the node that holds them; `text` when they are a YAML string. */
  readonly values: readonly { readonly value: unknown; readonly path: NodePath; readonly text?: string }[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isFluxHelmRelease(obj: ManifestObject): boolean {
  return obj.kind === 'HelmRelease' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

function isArgoApplication(obj: ManifestObject): boolean {
  return obj.kind === 'Application' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('argoproj.io/');
}

/** The chart deployments an object makes, or undefined when it is neither a Flux HelmRelease nor an Argo CD Application. */
export function helmDeploymentsOf(obj: ManifestObject): HelmDeployment[] | undefined {
  const value = obj.value;
  const base: NodePath = Array.isArray(obj.basePath) ? obj.basePath : [];
  if (isFluxHelmRelease(obj)) {
    const spec = isRecord(value.spec) ? value.spec : {};
    const targetNamespace = str(spec.targetNamespace);
    // Flux's default release name is "[targetNamespace-]name".
    const releaseName = str(spec.releaseName) ?? (targetNamespace ? `${targetNamespace}-${obj.name}` : obj.name);
    const chartName = str(field(spec, 'chart', 'spec', 'chart'));
    const sourceKind = str(field(spec, 'chart', 'spec', 'sourceRef', 'kind'));
    const sourceName = str(field(spec, 'chart', 'spec', 'sourceRef', 'name'));
    const refKind = str(field(spec, 'chartRef', 'kind'));
    const refName = str(field(spec, 'chartRef', 'name'));
    const chart = chartName
      ? `chart ${chartName}${sourceKind ? ` from ${sourceKind} ${sourceName ?? ''}`.trimEnd() : ''}`
      : refKind
        ? `chart from ${refKind} ${refName ?? ''}`.trimEnd()
        : 'its chart';
    return [{ kind: 'HelmRelease', chart, releaseName, ...(targetNamespace ? { targetNamespace } : {}), values: [{ value: spec.values, path: [...base, 'spec', 'values'] }] }];
  }
  if (!isArgoApplication(obj)) return undefined;
  const spec = isRecord(value.spec) ? value.spec : {};
  const targetNamespace = str(field(spec, 'destination', 'namespace'));
  const sources: { source: Record<string, unknown>; path: NodePath }[] = [];
  if (isRecord(spec.source)) sources.push({ source: spec.source, path: [...base, 'spec', 'source'] });
  if (Array.isArray(spec.sources)) {
    spec.sources.forEach((source, i) => {
      if (isRecord(source)) sources.push({ source, path: [...base, 'spec', 'sources', i] });
    });
  }
  const out: HelmDeployment[] = [];
  for (const { source, path } of sources) {
    const helm = isRecord(source.helm) ? source.helm : undefined;
    const chartName = str(source.chart);
    if (!helm && !chartName) continue; // a directory or kustomize source: its manifests are files of some repository
    const repo = str(source.repoURL);
    const chart = chartName ? `chart ${chartName}${repo ? ` from ${repo}` : ''}` : `chart at ${str(source.path) ?? '.'}${repo ? ` in ${repo}` : ''}`;
    const values: { value: unknown; path: NodePath; text?: string }[] = [];
    if (helm) {
      if (helm.valuesObject !== undefined) values.push({ value: helm.valuesObject, path: [...path, 'helm', 'valuesObject'] });
      if (typeof helm.values === 'string') {
        let parsed: unknown;
        try {
          parsed = loadYaml(helm.values);
        } catch {
          parsed = undefined; // not YAML: Argo CD fails the sync; nothing to read here
        }
        values.push({ value: parsed, path: [...path, 'helm', 'values'], text: helm.values });
      } else if (isRecord(helm.values)) values.push({ value: helm.values, path: [...path, 'helm', 'values'] });
    }
    const releaseName = str(helm?.releaseName) ?? obj.name;
    out.push({ kind: 'Application', chart, releaseName, ...(targetNamespace ? { targetNamespace } : {}), values });
  }
  return out;
}

/** Keys that make chart values describe the pods themselves (bjw-s `controllers`, `containers` maps or lists). */
const POD_KEYS = new Set(['controllers', 'containers', 'initContainers']);

/**
 * Whether chart values describe the chart's pods (a bjw-s `controllers` section, or `containers`
 * anywhere): then what the pods refer to is written in the values, where keyref reads it. Bounded.
 */
export function valuesDescribePods(values: unknown): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: values, depth: 0 }];
  let visited = 0;
  while (stack.length > 0 && ++visited <= MAX_VISITED) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push({ node: child, depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (POD_KEYS.has(key) && typeof child === 'object' && child !== null) return true;
      stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

/**
 * Adds the references of a HelmRelease's or Application's chart values (and HelmRelease
 * `valuesFrom`) to `out`. Returns false when the object deploys no chart (its pod specs are searched
 * as usual), true when it was handled here.
 */
export function extractHelmValues(obj: ManifestObject, ownNamespaces: () => (string | undefined)[], out: Reference[], shared?: SharedParts): boolean {
  const deployments = helmDeploymentsOf(obj);
  if (deployments === undefined) return false;
  const ns = typeof obj.namespace === 'string' && obj.namespace !== '' ? obj.namespace : undefined;
  const owner = { kind: obj.kind, name: obj.name, ...(ns !== undefined ? { namespace: ns } : {}) };
  const path = obj.path;
  const docIndex = typeof obj.docIndex === 'number' ? obj.docIndex : 0;
  for (const d of deployments) {
    // The chart's pods run in the target namespace; an Argo CD Application without one deploys where its manifests say.
    const namespaces = d.targetNamespace !== undefined ? [d.targetNamespace] : d.kind === 'HelmRelease' ? ownNamespaces() : [undefined];
    for (const v of d.values) {
      if (!isRecord(v.value)) continue;
      const made = chartMadeNames(v.value);
      const text = v.text;
      const locate = text === undefined ? undefined : (nodePath: NodePath): Location => ({ path, docIndex, nodePath: v.path, inner: { text, nodePath } });
      const ctx: Ctx = {
        obj,
        owner,
        namespaces,
        out,
        ...(shared ? { shared } : {}),
        base: text === undefined ? v.path : [],
        ...(locate ? { locate } : {}),
        rename: (name, kind) => releaseName(name, d.releaseName, namespaces, made[kind]),
      };
      walkValues(v.value, [...ctx.base], undefined, ctx, { visited: 0, made });
    }
  }
  if (isFluxHelmRelease(obj)) extractValuesFrom(obj, ownNamespaces(), out, shared);
  return true;
}

/** ConfigMaps/Secrets the chart itself makes from its values (bjw-s `configMaps.<id>` / `secrets.<id>`): their identifiers. */
function chartMadeNames(values: Record<string, unknown>): Record<ProvidedKind, Set<string>> {
  const made: Record<ProvidedKind, Set<string>> = { ConfigMap: new Set(), Secret: new Set() };
  for (const [key, kind] of [
    ['configMaps', 'ConfigMap'],
    ['secrets', 'Secret'],
  ] as const) {
    const section = values[key];
    if (!isRecord(section)) continue;
    for (const [id, item] of Object.entries(section)) if (isRecord(item) && item.enabled !== false) made[kind].add(id);
  }
  return made;
}

/** `{{ .Release.Name }}` / `{{- .Release.Namespace -}}` (no nested quantifiers: linear on any input). */
const RELEASE_FIELD = /\{\{-?[ \t]*\.Release\.(Name|Namespace)[ \t]*-?\}\}/g;

/**
 * A name from chart values as the chart renders it: the release's name and namespace filled in.
 * Undefined when the chart makes the object itself (its name ends with `-<identifier>` of a
 * `configMaps`/`secrets` entry), so that it is not looked for in the repository.
 */
function releaseName(name: string, release: string, namespaces: readonly (string | undefined)[], made: ReadonlySet<string>): string | undefined {
  let unknown = false;
  const filled = name.includes('{{')
    ? name.replace(RELEASE_FIELD, (_m, what: string) => {
        if (what === 'Name') return release;
        const only = namespaces.length === 1 ? namespaces[0] : undefined;
        if (only === undefined) unknown = true;
        return only ?? '';
      })
    : name;
  if (unknown) return undefined;
  for (const id of made) if (filled === id || filled.endsWith(`-${id}`)) return undefined;
  return filled;
}

interface Budget {
  visited: number;
  readonly made: Record<ProvidedKind, Set<string>>;
}

const MAX_DEPTH = 16;
const MAX_VISITED = 20000;
/** Keys read by walkValues itself, or that define objects rather than refer to them. */
const HANDLED = new Set(['env', 'envFrom', 'volumes', 'imagePullSecrets', 'persistence', 'containers', 'initContainers', 'configMaps', 'secrets']);

/** `container app`, or where in the values the list is: `values extraEnv`. */
function describe(container: string | undefined, listPath: NodePath, ctx: Ctx): string {
  return container !== undefined ? `container ${container}` : `values ${listPath.slice(ctx.base.length).map(String).join('.')}`;
}

/** Walks chart values, reading every pod-spec-shaped part (see the module comment). */
function walkValues(node: unknown, path: (string | number)[], container: string | undefined, ctx: Ctx, budget: Budget): void {
  if (path.length - ctx.base.length > MAX_DEPTH || ++budget.visited > MAX_VISITED) return;
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      if (typeof child !== 'object' || child === null) return;
      // an item with a name and an image is a container (sidecars, extraContainers…)
      const name = isRecord(child) && child.image !== undefined ? str(child.name) : undefined;
      walkValues(child, [...path, i], name ?? container, ctx, budget);
    });
    return;
  }
  if (!isRecord(node) || node.enabled === false) return;
  readEnv(node.env, [...path, 'env'], container, describe(container, [...path, 'env'], ctx), ctx);
  readEnvFrom(node.envFrom, [...path, 'envFrom'], container, describe(container, [...path, 'envFrom'], ctx), ctx, budget.made);
  extractVolumes(node.volumes, [...path, 'volumes'], ctx);
  extractPullSecrets(node.imagePullSecrets, [...path, 'imagePullSecrets'], ctx);
  readPersistence(node.persistence, [...path, 'persistence'], ctx);
  for (const key of ['containers', 'initContainers']) {
    const list = node[key];
    if (isRecord(list)) {
      // bjw-s map form: the key is the container's name
      for (const [name, c] of Object.entries(list)) walkValues(c, [...path, key, name], name, ctx, budget);
    } else if (Array.isArray(list)) {
      list.forEach((c, i) => {
        if (isRecord(c)) walkValues(c, [...path, key, i], str(c.name) ?? `#${i + 1}`, ctx, budget);
      });
    }
  }
  for (const key of Object.keys(node)) {
    if (HANDLED.has(key)) continue;
    const child = node[key];
    if (Array.isArray(child)) readShapedList(child, [...path, key], container, ctx);
    if (typeof child === 'object' && child !== null) walkValues(child, [...path, key], container, ctx, budget);
  }
}

/**
 * A list under any other key (`extraEnv`, `extraEnvFrom`, `extraVolumes`, `sidecars[].env`…), read by the
 * shape of its items: `{name, valueFrom}` env vars, `{configMapRef|secretRef}` envFrom sources,
 * `{name, configMap|secret|projected}` volumes. Items of no such shape give nothing.
 */
function readShapedList(list: readonly unknown[], path: NodePath, container: string | undefined, ctx: Ctx): void {
  const described = describe(container, path, ctx);
  list.forEach((entry, j) => {
    if (!isRecord(entry) || !isRecord(entry.valueFrom)) return;
    const envVar = str(entry.name);
    extractEnvVar(entry.valueFrom, [...path, j, 'valueFrom'], envVar, `env ${envVar ?? `#${j + 1}`} of ${described}`, container, ctx);
  });
  extractEnvFrom(list, path, container, described, ctx);
  extractVolumes(
    list.map((v) => (isRecord(v) && typeof v.name === 'string' ? v : undefined)),
    path,
    ctx,
  );
}

/** `env` as a list (`- name: X` + `valueFrom`) or as a map (`X: {valueFrom: …}`); bjw-s also takes `secretKeyRef` without `valueFrom`. */
function readEnv(env: unknown, path: NodePath, container: string | undefined, described: string, ctx: Ctx): void {
  const one = (entry: unknown, entryPath: NodePath, envVar: string | undefined) => {
    if (!isRecord(entry)) return;
    const where = `env ${envVar ?? '?'} of ${described}`;
    if (isRecord(entry.valueFrom)) extractEnvVar(entry.valueFrom, [...entryPath, 'valueFrom'], envVar, where, container, ctx);
    else extractEnvVar(entry, entryPath, envVar, where, container, ctx);
  };
  if (Array.isArray(env)) env.forEach((entry, j) => one(entry, [...path, j], isRecord(entry) ? str(entry.name) : undefined));
  else if (isRecord(env)) for (const [name, entry] of Object.entries(env)) one(entry, [...path, name], name);
}

/** `envFrom`: `configMapRef`/`secretRef` with a name, or the bjw-s `{configMap: x}` / `{secret: x}` (x: an identifier of the chart's own, or a name). */
function readEnvFrom(envFrom: unknown, path: NodePath, container: string | undefined, described: string, ctx: Ctx, made: Budget['made']): void {
  if (!Array.isArray(envFrom)) return;
  extractEnvFrom(envFrom, path, container, described, ctx);
  envFrom.forEach((entry, j) => {
    if (!isRecord(entry)) return;
    for (const [fieldName, form, kind] of [
      ['configMap', 'envfrom-configmap', 'ConfigMap'],
      ['secret', 'envfrom-secret', 'Secret'],
    ] as const) {
      const name = entry[fieldName];
      if (typeof name !== 'string' || made[kind].has(name)) continue;
      push(ctx, { form, targetKind: kind, name, namePath: [...path, j, fieldName], optional: false, where: `envFrom of ${described}`, container });
    }
  });
}

/** bjw-s `persistence.<id>` of `type: configMap|secret` with a `name` (an `identifier` names the chart's own object). */
function readPersistence(persistence: unknown, path: NodePath, ctx: Ctx): void {
  if (!isRecord(persistence)) return;
  for (const [id, item] of Object.entries(persistence)) {
    if (!isRecord(item) || item.enabled === false || item.identifier !== undefined) continue;
    const kind: ProvidedKind | undefined = item.type === 'configMap' ? 'ConfigMap' : item.type === 'secret' ? 'Secret' : undefined;
    if (!kind) continue;
    push(ctx, {
      form: kind === 'ConfigMap' ? 'volume-configmap' : 'volume-secret',
      targetKind: kind,
      name: item.name,
      namePath: [...path, id, 'name'],
      keys: itemKeys(item.items, [...path, id, 'items']),
      optional: false,
      where: `persistence ${id}`,
    });
  }
}

/** Flux `spec.valuesFrom[]`: a ConfigMap/Secret in the HelmRelease's own namespace, with key `valuesKey` (default `values.yaml`). */
function extractValuesFrom(obj: ManifestObject, namespaces: (string | undefined)[], out: Reference[], shared?: SharedParts): void {
  const list = field(obj.value, 'spec', 'valuesFrom');
  if (!Array.isArray(list)) return;
  const base: NodePath = [...(Array.isArray(obj.basePath) ? obj.basePath : []), 'spec', 'valuesFrom'];
  const ns = typeof obj.namespace === 'string' && obj.namespace !== '' ? obj.namespace : undefined;
  const ctx: Ctx = { obj, owner: { kind: obj.kind, name: obj.name, ...(ns !== undefined ? { namespace: ns } : {}) }, namespaces, out, base, ...(shared ? { shared } : {}) };
  list.forEach((entry, i) => {
    if (!isRecord(entry) || (entry.kind !== 'ConfigMap' && entry.kind !== 'Secret')) return;
    const explicitKey = readableKey(entry.valuesKey);
    const key = explicitKey ? (entry.valuesKey as string) : 'values.yaml';
    push(ctx, {
      form: 'helm-values-from',
      targetKind: entry.kind,
      name: entry.name,
      namePath: [...base, i, 'name'],
      keys: entry.valuesKey === undefined || explicitKey ? [{ key, path: [...base, i, explicitKey ? 'valuesKey' : 'name'] }] : [],
      optional: entry.optional === true,
      where: 'valuesFrom',
    });
  });
}
