/**
 * Real kustomize as the oracle: renders each root kustomization of a repository with
 * `kubectl kustomize` and compares what it outputs with what keyref's kustomize model says the
 * build holds — ConfigMaps/Secrets (final name, namespace, keys) and pod references (owner and
 * target final names, namespace). Shared by `npm run kustomize-parity` (over ../shared/corpus) and
 * the parity test (over the repository's fixtures), so both count the same differences.
 *
 * Not part of the engine: it spawns kubectl and reads the file system.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDirectory } from '../../src/cli/files.js';
import { dirOf, isRemote, resolveEntry } from '../../src/engine/kustomize/paths.js';
import type { KustomizeModel } from '../../src/engine/kustomize/model.js';
import { placementsIn } from '../../src/engine/kustomize/namespaces.js';
import type { BuildPlacement, ManifestObject, ParsedRepository, ProvidedKind, Provider, Reference } from '../../src/engine/model.js';
import { loadAllYaml } from '../../src/engine/parse/schema.js';
import { extractReferences } from '../../src/engine/references/index.js';
import { resolveReference } from '../../src/engine/resolve/resolve-reference.js';
import type { RuleContext } from '../../src/engine/rules/rule.js';
import { analyzeRepository } from '../../src/engine/scan.js';
import { isRecord } from '../../src/engine/untrusted.js';
import { rules } from '../../src/engine/rules/index.js';

/** Difference categories, in print order. */
export const CATEGORIES = [
  /** kubectl renders a ConfigMap/Secret the model does not place in that build. */
  'missing objects',
  /** The model places a ConfigMap/Secret in a build that kubectl does not render (e.g. a patch whose target is not there). */
  'phantom objects',
  /** Same object on both sides, but the model's key set differs (a model with unknown keys is not compared). */
  'keys differ',
  /** Same object name on both sides, in another namespace. */
  'object namespaces differ',
  /** A pod reference of the rendered build that the model does not have (typically added by a JSON 6902 patch). */
  'patch references unseen',
  /** A pod reference the model has that the rendered build does not (removed by a patch, or a phantom workload). */
  'phantom references',
  /** Same pod reference on both sides, but the pod runs in another namespace. */
  'namespaces differ',
  /** A reference that dangles in its own rendered build, which the engine resolves through an object only another build defines, without a cross-build-reference finding. */
  'cross-build resolutions',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Difference {
  readonly category: Category;
  readonly root: string;
  readonly detail: string;
}

export interface RepositoryParity {
  readonly repository: string;
  /** Root kustomizations compared. */
  readonly builds: number;
  /** Roots kubectl could not build (the reason's first line), or that were not tried (remote bases). */
  readonly notBuilt: readonly { readonly root: string; readonly reason: string }[];
  readonly differences: readonly Difference[];
}

/** Whether `kubectl kustomize` is available. */
export function kubectlAvailable(): boolean {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0;
}

// kustomize appends `-` and ten characters of an encoded hash to generated names (api/hasher: hex with 0→g, 1→h, 3→k, a→m, e→t).
const HASH_SUFFIX = /-[245-9bcdfghkmt]{10}$/;
function unhashed(name: string): string {
  return name.replace(HASH_SUFFIX, '');
}

/** Provider modules whose objects kustomize itself outputs as ConfigMaps/Secrets. */
const RENDERED_VIA = new Set(['ConfigMap', 'Secret', 'SOPS Secret', 'kustomize configMapGenerator', 'kustomize secretGenerator', 'kustomize patch']);

interface ViewObject {
  readonly kind: ProvidedKind;
  readonly name: string;
  readonly namespace: string | undefined;
  keys: Set<string> | 'unknown';
  /** Names before the build renamed it (for the model's side). */
  readonly original: string;
}
interface ViewReference {
  readonly id: string;
  readonly targetKind: ProvidedKind;
  readonly target: string;
  readonly namespace: string | undefined;
  readonly ref?: Reference;
}
interface BuildView {
  readonly objects: Map<string, ViewObject[]>;
  readonly references: ViewReference[];
}

function addObject(view: BuildView, o: ViewObject): void {
  const key = `${o.kind}/${o.name}`;
  const list = view.objects.get(key) ?? [];
  const same = list.find((x) => x.namespace === o.namespace);
  if (same === undefined) {
    list.push(o);
    view.objects.set(key, list);
  } else if (same.keys !== 'unknown') {
    if (o.keys === 'unknown') same.keys = 'unknown';
    else for (const k of o.keys) same.keys.add(k);
  }
}

function refId(ownerKind: string, ownerName: string, r: Reference, target: string): string {
  return `${ownerKind}/${ownerName} ${r.where} → ${r.targetKind}/${target}`;
}

const NO_KUSTOMIZE: KustomizeModel = { scopesOf: () => [], scopesOfKustomization: () => [], generators: [] };

/** What kubectl rendered: ConfigMaps/Secrets and pod references, generated names without their hash. */
export function renderedView(yaml: string): BuildView {
  const view: BuildView = { objects: new Map(), references: [] };
  const objects: ManifestObject[] = [];
  loadAllYaml(yaml).forEach((doc, docIndex) => {
    if (!isRecord(doc) || typeof doc['kind'] !== 'string') return;
    const metadata = isRecord(doc['metadata']) ? doc['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    const namespace = typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : undefined;
    objects.push({ apiVersion: String(doc['apiVersion'] ?? ''), kind: doc['kind'], name, ...(namespace ? { namespace } : {}), path: 'rendered', docIndex, basePath: [], value: doc });
    if ((doc['kind'] === 'ConfigMap' || doc['kind'] === 'Secret') && doc['apiVersion'] === 'v1') {
      const fields = doc['kind'] === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
      const keys = new Set(fields.flatMap((f) => (isRecord(doc[f]) ? Object.keys(doc[f]) : [])));
      addObject(view, { kind: doc['kind'], name: unhashed(name), namespace, keys, original: name });
    }
  });
  const repo: ParsedRepository = { objects, kustomizations: [], problems: [], auxFiles: new Map(), documentCount: objects.length };
  for (const r of extractReferences(repo, NO_KUSTOMIZE)) {
    const target = unhashed(r.name);
    view.references.push({ id: refId(r.owner.kind, r.owner.name, r, target), targetKind: r.targetKind, target, namespace: r.owner.namespace });
  }
  return view;
}

/** What the model says root build `root` holds, read from the providers and references the rules see. */
export function modelView(context: RuleContext, root: string): BuildView {
  const view: BuildView = { objects: new Map(), references: [] };
  for (const p of context.providers.all()) {
    if (!RENDERED_VIA.has(p.via)) continue;
    for (const b of p.builds ?? []) {
      if (b.root !== root) continue;
      addObject(view, { kind: p.kind, name: b.name, namespace: b.namespace, keys: p.keys === 'unknown' ? 'unknown' : new Set(p.keys), original: p.name });
    }
  }
  const renamed = new Map<string, string>();
  for (const list of view.objects.values()) for (const o of list) if (!renamed.has(`${o.kind}/${o.original}`)) renamed.set(`${o.kind}/${o.original}`, o.name);
  for (const r of context.references) {
    for (const b of r.builds ?? helmPlacements(context, r)) {
      if (b.root !== root) continue;
      const target = renamed.get(`${r.targetKind}/${r.name}`) ?? r.name;
      view.references.push({ id: refId(r.owner.kind, b.name, r, target), targetKind: r.targetKind, target, namespace: b.namespace, ref: r });
    }
  }
  return view;
}

/**
 * Where a reference from Helm values (a HelmRelease / Application) sits in the builds. The engine
 * gives those references no build placement on purpose (Flux or Argo CD installs the chart, not
 * kustomize, and its pods use what any of the repository's builds define), but kustomize does render
 * the HelmRelease with its values: the comparison places them in the builds of the file, so that a
 * patch that changes the values, which the model would not see, shows as a difference.
 */
function helmPlacements(context: RuleContext, r: Reference): readonly BuildPlacement[] {
  if (r.owner.kind !== 'HelmRelease' && r.owner.kind !== 'Application') return [];
  // The placement's namespace is the HelmRelease's own in that build, as the rendered side counts it.
  return placementsIn(r.owner.name, r.owner.namespace, context.kustomize.scopesOf(r.path));
}

function sameKeys(a: Set<string> | 'unknown', b: Set<string> | 'unknown'): boolean {
  if (a === 'unknown' || b === 'unknown') return true;
  return a.size === b.size && [...a].every((k) => b.has(k));
}

/** Whether the engine resolves `ref` only through objects that other builds (not `root`) define. */
function resolvedThroughAnotherBuild(context: RuleContext, ref: Reference, root: string): boolean {
  const r = resolveReference(ref, context.providers, context.kustomize);
  if (r.status !== 'ok' && r.status !== 'missing-keys') return false;
  const providers: readonly Provider[] = r.providers;
  return providers.length > 0 && providers.every((p) => (p.builds?.length ?? 0) > 0 && !p.builds!.some((b) => b.root === root));
}

/** The differences between one rendered build and the model's view of it. */
export function compareBuild(context: RuleContext, root: string, rendered: BuildView, reported: ReadonlySet<Reference> = new Set()): Difference[] {
  const model = modelView(context, root);
  const out: Difference[] = [];
  const diff = (category: Category, detail: string) => out.push({ category, root, detail });

  for (const [key, list] of rendered.objects) {
    const mine = model.objects.get(key) ?? [];
    for (const o of list) {
      const same = mine.find((m) => m.namespace === o.namespace);
      if (same) {
        if (!sameKeys(same.keys, o.keys)) diff('keys differ', `${key} (${o.namespace ?? 'no namespace'})`);
      } else if (mine.length > 0) diff('object namespaces differ', `${key}: ${o.namespace ?? 'none'} rendered, ${mine.map((m) => m.namespace ?? 'none').join(', ')} in the model`);
      else diff('missing objects', `${key} (${o.namespace ?? 'no namespace'})`);
    }
  }
  for (const [key, list] of model.objects) {
    const theirs = rendered.objects.get(key) ?? [];
    for (const o of list) if (theirs.length === 0) diff('phantom objects', `${key} (${o.namespace ?? 'no namespace'})`);
  }

  const count = (refs: readonly ViewReference[]) => {
    const m = new Map<string, ViewReference[]>();
    for (const r of refs) m.set(r.id, [...(m.get(r.id) ?? []), r]);
    return m;
  };
  const theirs = count(rendered.references);
  const mine = count(model.references);
  for (const [id, list] of theirs) {
    const have = mine.get(id) ?? [];
    if (have.length === 0) diff('patch references unseen', id);
    else if (!list.every((r) => have.some((h) => h.namespace === r.namespace))) diff('namespaces differ', `${id}: ${list[0]!.namespace ?? 'none'} rendered, ${have[0]!.namespace ?? 'none'} in the model`);
  }
  for (const [id] of mine) if (!theirs.has(id)) diff('phantom references', id);

  for (const r of model.references) {
    if (r.ref === undefined || reported.has(r.ref)) continue;
    const dangling = !(rendered.objects.get(`${r.targetKind}/${r.target}`)?.length);
    if (dangling && resolvedThroughAnotherBuild(context, r.ref, root)) diff('cross-build resolutions', `${r.id} (${r.ref.path})`);
  }
  return out;
}

/** Root kustomizations of the model: those it builds from themselves (not included by another, not Components). */
export function rootsOf(context: RuleContext): string[] {
  return context.repo.kustomizations
    .filter((k) => k.value['kind'] !== 'Component')
    .map((k) => k.path)
    .filter((path) => context.kustomize.scopesOfKustomization(path).some((s) => s.root === path))
    .sort();
}

/** Whether building `root` would fetch something remote (kubectl would go to the network): such builds are not tried. */
function reachesRemote(context: RuleContext, root: string): boolean {
  const byDir = new Map(context.repo.kustomizations.map((k) => [dirOf(k.path), k] as const));
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const path = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const k = context.repo.kustomizations.find((x) => x.path === path);
    if (!k) continue;
    for (const field of ['resources', 'bases', 'components']) {
      const list = k.value[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        if (typeof entry === 'string' && isRemote(entry.trim())) return true;
        const child = byDir.get(resolveEntry(dirOf(path), entry) ?? '\0');
        if (child) stack.push(child.path);
      }
    }
  }
  return false;
}

export interface RenderOptions {
  /** Directory where kubectl outputs are kept between runs (keyed by absolute path). */
  readonly cacheDir?: string;
  readonly timeoutMs?: number;
}

/** The error line of kubectl's stderr (after its warnings), without klog's timestamp prefix. */
function failureReason(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('# Warning'));
  const last = lines[lines.length - 1] ?? 'failed';
  const err = /err="(.*)"\s*$/.exec(last);
  const reason = (err ? err[1]! : last).trim();
  // kustomize nests its errors: the innermost cause is at the end.
  return reason.length > 300 ? `${reason.slice(0, 100)} … ${reason.slice(-200)}` : reason;
}

type Rendered = { readonly ok: true; readonly yaml: string } | { readonly ok: false; readonly reason: string };

/** `kubectl kustomize DIR`, or the first line of its error. */
export function renderWithKubectl(dir: string, options: RenderOptions = {}): Promise<Rendered> {
  const cacheFile = options.cacheDir ? join(options.cacheDir, `${createHash('sha1').update(dir).digest('hex')}.json`) : undefined;
  if (cacheFile) {
    try {
      return Promise.resolve(JSON.parse(readFileSync(cacheFile, 'utf8')) as Rendered);
    } catch {
      // not cached yet
    }
  }
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { timeout: options.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const result: Rendered = error
        ? { ok: false, reason: failureReason(stderr || error.message) }
        : { ok: true, yaml: stdout };
      if (cacheFile) {
        mkdirSync(options.cacheDir!, { recursive: true });
        writeFileSync(cacheFile, JSON.stringify(result));
      }
      resolve(result);
    });
  });
}

/** References the cross-build-reference rule reports: the count of cross-build resolutions is of those that pass silently. */
async function crossBuildReported(context: RuleContext): Promise<Set<Reference>> {
  const out = new Set<Reference>();
  const rule = rules.find((r) => r.meta.id === 'cross-build-reference');
  if (!rule) return out;
  const at = (path: string, nodePath: unknown) => `${path}\0${JSON.stringify(nodePath)}`;
  const reportedAt = new Set<string>();
  for (const report of await rule.check(context)) reportedAt.add(at(report.location.path, report.location.nodePath));
  for (const r of context.references) if (reportedAt.has(at(r.location.path, r.location.nodePath))) out.add(r);
  return out;
}

/** Compares every root build of the repository at `dir` (absolute) with kubectl's rendering. */
export async function parityOfRepository(dir: string, options: RenderOptions = {}): Promise<RepositoryParity> {
  const read = readDirectory(dir);
  const context = analyzeRepository(read.files);
  const reported = await crossBuildReported(context);
  const notBuilt: { root: string; reason: string }[] = [];
  const differences: Difference[] = [];
  let builds = 0;
  for (const root of rootsOf(context)) {
    if (reachesRemote(context, root)) {
      notBuilt.push({ root, reason: 'remote base (not fetched)' });
      continue;
    }
    const rendered = await renderWithKubectl(join(dir, dirOf(root)), options);
    if (!rendered.ok) {
      notBuilt.push({ root, reason: rendered.reason });
      continue;
    }
    builds++;
    differences.push(...compareBuild(context, root, renderedView(rendered.yaml), reported));
  }
  return { repository: dir, builds, notBuilt, differences };
}

/** Counts by category, every category present (0 when none). */
export function countByCategory(differences: readonly Difference[]): Record<Category, number> {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const d of differences) counts[d.category]++;
  return counts;
}
