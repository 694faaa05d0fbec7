/**
 * Out-of-band evidence: signs in the repository that a ConfigMap/Secret no manifest defines is created
 * on purpose outside git. The reference rules turn an unresolved-reference warning into a notice that
 * cites the evidence, or drop it when the workload creates the object itself. Pure: texts and parsed
 * objects in, lookups out.
 */
import { dirOf } from '../kustomize/paths.js';
import type { ManifestObject, Reference } from '../model.js';
import { findCreatedObjects, type CreatedObject } from './commands.js';
import { findSelfCreated, type SelfCreated } from './rbac.js';
import { findFluxComponents, inFluxTree } from './flux.js';

export { findCreatedObjects, isObjectName, type CreatedObject } from './commands.js';
export { findSelfCreated, type SelfCreated } from './rbac.js';

/** Docs and scripts larger than this are not read for evidence (the adapters do not even fetch them). */
export const MAX_EVIDENCE_BYTES = 256 * 1024;

const DOC_EXTENSIONS = ['.md', '.markdown', '.mdx', '.rst', '.adoc', '.txt', '.sh', '.bash', '.zsh', '.mk', '.ps1'];
const DOC_NAMES = new Set(['makefile', 'gnumakefile', 'justfile', 'taskfile', 'dockerfile', 'tiltfile']);

/** Documentation and scripts that may create objects by hand (README.md, deploy.sh, Makefile…). */
export function isEvidencePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return DOC_NAMES.has(base) || DOC_EXTENSIONS.some((ext) => base.endsWith(ext));
}

function isYamlPath(path: string): boolean {
  const p = path.toLowerCase();
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

export type EvidenceKind = 'created-by-hand' | 'self-created' | 'flux-components' | 'platform-namespace' | 'docs-tree';

export interface Evidence {
  readonly kind: EvidenceKind;
  /** For the message, e.g. `created by hand per extras/cloudsql/README.md:62`. Names files and objects only. */
  readonly text: string;
  /** The file that holds the evidence, for `related`. */
  readonly path?: string;
  /** True when there is nothing to report at all (the workload creates the object itself). */
  readonly silences: boolean;
}

export interface EvidenceIndex {
  /** The best evidence that the object a reference names is created outside the repository's manifests. */
  forReference(ref: Reference): Evidence | undefined;
}

/**
 * Folders whose manifests illustrate rather than deploy: documentation, examples and sample data. Not
 * `samples/`: projects ship deployable add-ons there (istio's `samples/addons`), so a missing object
 * under it stays loud; nor the singular `example/`, which can be a project's main install
 * (kubeflow/manifests `example/kustomization.yaml`).
 */
const ILLUSTRATION_SEGMENTS = new Set(['docs', 'doc', 'documentation', 'examples', 'testdata', 'test-data', 'fixtures', '__fixtures__', 'snippets']);
/**
 * Folders of retired manifests (kubernetes/examples `_archived/`): no longer deployed, so a reference
 * cannot break anything. Not `archive/`, which can be a component's name (an archiving service). Not an
 * illustration folder for credentials: a value committed while the manifest was deployed may have been
 * real, and archiving it does not un-leak it.
 */
const ARCHIVE_SEGMENTS = new Set(['_archived', 'archived']);
/** Namespaces whose objects the platform creates and manages (GKE managed add-ons, Managed Prometheus). */
const PLATFORM_NAMESPACE_PREFIXES = ['gke-managed-', 'gmp-'];

/** The folder a manifest lies in that says it is not deployed, and why, e.g. `an examples/ folder (an illustration, not a deployment)`. */
function docsTree(path: string): string | undefined {
  const segments = path.split('/');
  segments.pop();
  // the innermost folder says the most (`examples/app/testdata/` is test data)
  for (const s of segments.reverse()) {
    const lower = s.toLowerCase();
    if (ILLUSTRATION_SEGMENTS.has(lower)) return `${article(lower)} ${s}/ folder (an illustration, not a deployment)`;
    if (ARCHIVE_SEGMENTS.has(lower)) return `${article(lower)} ${s}/ folder (retired, not deployed)`;
  }
  return undefined;
}

/** "a" or "an" before a folder name as it is read aloud (`an examples/`, `an _archived/`, `a docs/`). */
function article(segment: string): string {
  let i = 0;
  while (segment[i] === '_') i++;
  const first = segment.charAt(i);
  return first !== '' && 'aeiou'.includes(first) ? 'an' : 'a';
}

/** Test folders: their Secrets hold test data (expected outputs, fixtures), not a deployment's credentials. */
const TEST_SEGMENTS = new Set(['test', 'tests', 'e2e', 'testing']);

/** The docs, examples or test folder a path lies in (`docs`, `examples`, `testdata`, `test`…), when it does: the file illustrates or tests, it is not deployed. */
export function illustrationFolder(path: string): string | undefined {
  const segments = path.split('/');
  segments.pop();
  return segments.find((s) => ILLUSTRATION_SEGMENTS.has(s.toLowerCase()) || TEST_SEGMENTS.has(s.toLowerCase()));
}

function platformNamespace(ref: Reference): string | undefined {
  const nss = ref.namespaces;
  if (nss.length === 0 || nss.some((n) => n === undefined)) return undefined;
  const managed = nss.every((n) => PLATFORM_NAMESPACE_PREFIXES.some((p) => n!.startsWith(p)));
  return managed ? nss[0] : undefined;
}

/** Number of leading directory segments two paths share. */
function sharedDepth(a: string, b: string): number {
  const x = dirOf(a).split('/');
  const y = dirOf(b).split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n] && x[n] !== '') n++;
  return n;
}

interface Sighting extends CreatedObject {
  readonly path: string;
}

function namespaceFits(ref: Reference, ns: string | undefined): boolean {
  return ns === undefined || ref.namespaces.some((n) => n === undefined || n === ns);
}

/**
 * Reads every doc/script (and the comments and `run:` steps of YAML files) for objects created by hand,
 * and the RBAC of the parsed objects for objects workloads create themselves.
 */
export function collectEvidence(texts: ReadonlyMap<string, string>, objects: readonly ManifestObject[]): EvidenceIndex {
  const sightings = new Map<string, Sighting[]>();
  for (const [path, text] of texts) {
    if (text.length > MAX_EVIDENCE_BYTES) continue;
    const doc = isEvidencePath(path);
    if (!doc && !isYamlPath(path)) continue;
    for (const c of findCreatedObjects(text, { literalManifests: doc, commentManifests: !doc })) {
      const key = `${c.kind}/${c.name}`;
      const list = sightings.get(key);
      if (list) list.push({ ...c, path });
      else sightings.set(key, [{ ...c, path }]);
    }
  }
  const selfCreated = new Map<string, SelfCreated>();
  for (const s of findSelfCreated(objects)) {
    const key = `${s.kind}/${s.name}`;
    if (!selfCreated.has(key)) selfCreated.set(key, s);
  }
  const flux = findFluxComponents(objects, texts);
  return {
    forReference(ref) {
      const key = `${ref.targetKind}/${ref.name}`;
      const self = selfCreated.get(key);
      if (self) {
        return {
          kind: 'self-created',
          silences: true,
          path: self.path,
          text: `created at run time by ServiceAccount ${self.serviceAccounts[0]} (${self.role.kind} ${self.role.name} in ${self.path})`,
        };
      }
      // A commented-out manifest speaks only for the file it is in (a note beside the workload that uses it).
      const seen = (sightings.get(key) ?? []).filter((s) => namespaceFits(ref, s.namespace) && (s.how !== 'comment' || s.path === ref.path));
      if (seen.length > 0) {
        // The nearest one: most shared folders with the workload's file, then the first by path and line.
        let best = seen[0]!;
        let bestDepth = sharedDepth(best.path, ref.path);
        for (const s of seen.slice(1)) {
          const d = sharedDepth(s.path, ref.path);
          if (d > bestDepth || (d === bestDepth && (s.path < best.path || (s.path === best.path && s.line < best.line)))) {
            best = s;
            bestDepth = d;
          }
        }
        // a comment is in the workload's own file: its line says where
        if (best.how === 'comment') return { kind: 'created-by-hand', silences: false, path: best.path, text: `a comment on line ${best.line} shows it` };
        const how = best.how === 'command' ? 'created by hand per' : 'defined in the docs at';
        return { kind: 'created-by-hand', silences: false, path: best.path, text: `${how} ${best.path}:${best.line}` };
      }
      const fx = flux.find((f) => inFluxTree(f, ref.path));
      if (fx !== undefined) {
        return {
          kind: 'flux-components',
          silences: false,
          path: fx.path,
          text: `it may come from the Flux components applied per ${fx.path}${fx.line !== undefined ? `:${fx.line}` : ''} (not analysed)`,
        };
      }
      const ns = platformNamespace(ref);
      if (ns !== undefined) return { kind: 'platform-namespace', silences: false, text: `namespace ${ns} is managed by the platform` };
      const folder = docsTree(ref.path);
      if (folder !== undefined) return { kind: 'docs-tree', silences: false, text: `the manifest is in ${folder}` };
      return undefined;
    },
  };
}

