import type { BuildScope, KustomizationDoc } from '../model.js';
import { dirOf, resolveEntry } from './paths.js';
import { isRecord } from '../untrusted.js';

/** A kustomization reduced to what decides names and namespaces, and what it pulls into its build. */
interface BuildNode {
  readonly path: string;
  readonly namespace: string | undefined;
  readonly namePrefix: string;
  readonly nameSuffix: string;
  /** Kustomizations it includes as resources (resources/bases that are directories). */
  readonly kustomizations: readonly string[];
  /** Components it applies, in order: their transformers act on everything the kustomization accumulates. */
  readonly components: readonly string[];
  /** Files it includes (resource files and patch files). */
  readonly files: readonly string[];
  /** Files it names only as patches (strategic-merge or JSON 6902 patch files). */
  readonly patchFiles: readonly string[];
}

export const EMPTY_SCOPE: BuildScope = Object.freeze({ namePrefix: '', nameSuffix: '' });

/** Bounds the scopes one kustomization can have, so a pathological graph stays linear-ish. */
const MAX_SCOPES_PER_KUSTOMIZATION = 256;

function arrayOf(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Paths a kustomization names as resources, as components, and as patch files. Patch files belong to the build too: a patch can add keys to a ConfigMap. */
function includedEntries(value: Readonly<Record<string, unknown>>): { resources: unknown[]; components: unknown[]; patches: unknown[] } {
  const patches: unknown[] = [...arrayOf(value['patchesStrategicMerge'])];
  for (const field of ['patches', 'patchesJson6902']) for (const patch of arrayOf(value[field])) if (isRecord(patch)) patches.push(patch['path']);
  return { resources: [...arrayOf(value['resources']), ...arrayOf(value['bases'])], components: [...arrayOf(value['components'])], patches };
}

function buildNodes(docs: readonly KustomizationDoc[]): Map<string, BuildNode> {
  // A directory named in `resources` means the kustomization file inside it.
  const byDir = new Map<string, string>();
  for (const doc of docs) {
    const dir = dirOf(doc.path);
    if (!byDir.has(dir)) byDir.set(dir, doc.path);
  }
  const nodes = new Map<string, BuildNode>();
  for (const doc of docs) {
    if (nodes.has(doc.path)) continue;
    const value = isRecord(doc.value) ? doc.value : {};
    const dir = dirOf(doc.path);
    const kustomizations: string[] = [];
    const components: string[] = [];
    const files: string[] = [];
    const patchFiles: string[] = [];
    const entries = includedEntries(value);
    const include = (entry: unknown, into: string[], fileList: string[]) => {
      const resolved = resolveEntry(dir, entry);
      if (resolved === undefined) return;
      const child = byDir.get(resolved);
      if (child !== undefined) {
        if (child !== doc.path && !into.includes(child)) into.push(child);
      } else if (resolved !== '') {
        fileList.push(resolved);
      }
    };
    for (const entry of entries.resources) include(entry, kustomizations, files);
    for (const entry of entries.components) include(entry, components, files);
    for (const entry of entries.patches) {
      const before = files.length;
      include(entry, kustomizations, files);
      patchFiles.push(...files.slice(before));
    }
    nodes.set(doc.path, {
      path: doc.path,
      namespace: nonEmptyString(value['namespace']),
      namePrefix: typeof value['namePrefix'] === 'string' ? value['namePrefix'] : '',
      nameSuffix: typeof value['nameSuffix'] === 'string' ? value['nameSuffix'] : '',
      kustomizations,
      components,
      files,
      patchFiles,
    });
  }
  return nodes;
}

/**
 * The scope a kustomization is built in when `outer` includes it. kustomize applies the inner
 * transformers first, so the outermost `namespace:` wins, prefixes stack outermost-first and
 * suffixes innermost-first (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/).
 */
function compose(outer: BuildScope, node: BuildNode): BuildScope {
  const namespace = outer.namespace ?? node.namespace;
  return {
    ...(namespace !== undefined ? { namespace } : {}),
    namePrefix: outer.namePrefix + node.namePrefix,
    nameSuffix: node.nameSuffix + outer.nameSuffix,
    ...(outer.root !== undefined ? { root: outer.root } : {}),
  };
}

function rootScope(node: BuildNode): BuildScope {
  return compose({ namePrefix: '', nameSuffix: '', root: node.path }, node);
}

/**
 * A kustomization's components act on everything it accumulates (its resources, its generators and
 * the components before them), before its own transformers; a later component wins over an earlier
 * one (checked against kubectl kustomize). Returns the scope the kustomization's own files and
 * generators are built in, and the scope in which each component is entered.
 */
function withComponents(base: BuildScope, node: BuildNode, nodes: ReadonlyMap<string, BuildNode>): { scope: BuildScope; componentBases: BuildScope[] } {
  const componentBases: BuildScope[] = new Array<BuildScope>(node.components.length);
  let scope = base;
  for (let i = node.components.length - 1; i >= 0; i--) {
    componentBases[i] = scope;
    const component = nodes.get(node.components[i]!);
    if (component !== undefined && component !== node) scope = compose(scope, component);
  }
  return { scope, componentBases };
}

export function scopeKey(s: BuildScope): string {
  return JSON.stringify([s.namespace ?? null, s.namePrefix, s.nameSuffix, s.root ?? null]);
}

export interface BuildGraph {
  /** Scopes in which each kustomization is built. */
  readonly kustomizationScopes: ReadonlyMap<string, readonly BuildScope[]>;
  /** Kustomizations that directly include each file. */
  readonly includers: ReadonlyMap<string, readonly string[]>;
  /** Files that kustomizations name only as patches, never as resources: their objects modify others and make nothing exist. */
  readonly patchOnly: ReadonlySet<string>;
}

/**
 * Walks every chain from a root kustomization (one nothing includes) down the inclusion graph,
 * recording the scope each kustomization is reached with. A kustomization already on the current
 * chain is not entered again (cycles), and a scope already recorded for a node is not walked twice.
 */
export function buildGraph(docs: readonly KustomizationDoc[]): BuildGraph {
  const nodes = buildNodes(docs);
  const included = new Set<string>();
  const includers = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const child of [...node.kustomizations, ...node.components]) included.add(child);
    for (const file of node.files) {
      const list = includers.get(file);
      if (list === undefined) includers.set(file, [node.path]);
      else if (!list.includes(node.path)) list.push(node.path);
    }
  }

  const scopes = new Map<string, Map<string, BuildScope>>();
  const walk = (rootNode: BuildNode): void => {
    interface Frame {
      readonly node: BuildNode;
      readonly scope: BuildScope;
      readonly componentBases: readonly BuildScope[];
      next: number;
    }
    const onChain = new Set<string>();
    const stack: Frame[] = [];
    const enter = (node: BuildNode, base: BuildScope): void => {
      let recorded = scopes.get(node.path);
      if (recorded === undefined) scopes.set(node.path, (recorded = new Map()));
      const { scope, componentBases } = withComponents(base, node, nodes);
      const key = scopeKey(scope);
      if (recorded.has(key) || recorded.size >= MAX_SCOPES_PER_KUSTOMIZATION) return;
      recorded.set(key, scope);
      onChain.add(node.path);
      stack.push({ node, scope, componentBases, next: 0 });
    };
    enter(rootNode, rootScope(rootNode));
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const { kustomizations, components } = frame.node;
      if (frame.next >= kustomizations.length + components.length) {
        stack.pop();
        onChain.delete(frame.node.path);
        continue;
      }
      const index = frame.next++;
      const isComponent = index >= kustomizations.length;
      const childPath = isComponent ? components[index - kustomizations.length]! : kustomizations[index]!;
      const child = nodes.get(childPath);
      if (child === undefined || onChain.has(childPath)) continue;
      enter(child, compose(isComponent ? frame.componentBases[index - kustomizations.length]! : frame.scope, child));
    }
  };
  const sorted = [...nodes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const node of sorted) if (!included.has(node.path)) walk(node);
  // Kustomizations only reachable through a cycle have no root: build each from itself.
  for (const node of sorted) if (!scopes.has(node.path)) walk(node);

  const kustomizationScopes = new Map<string, readonly BuildScope[]>();
  for (const [path, recorded] of scopes) kustomizationScopes.set(path, [...recorded.values()]);
  const asResource = new Set<string>();
  const asPatch = new Set<string>();
  for (const node of nodes.values()) {
    for (const file of node.patchFiles) asPatch.add(file);
    for (const file of node.files) if (!node.patchFiles.includes(file)) asResource.add(file);
  }
  const patchOnly = new Set([...asPatch].filter((file) => !asResource.has(file)));
  return { kustomizationScopes, includers, patchOnly };
}
