import type { BuildScope, KustomizationDoc } from '../model.js';
import { dirOf, resolveEntry } from './paths.js';
import { isRecord } from '../untrusted.js';

/** A kustomization reduced to what decides names and namespaces, and what it pulls into its build. */
interface BuildNode {
  readonly path: string;
  readonly namespace: string | undefined;
  readonly namePrefix: string;
  readonly nameSuffix: string;
  /** Kustomizations it includes (resources/bases that are directories, components). */
  readonly kustomizations: readonly string[];
  /** Files it includes (resource files and patch files). */
  readonly files: readonly string[];
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

/** Paths a kustomization names, with the fields that hold them. Patch files belong to the build too: a patch can add keys to a ConfigMap. */
function includedEntries(value: Readonly<Record<string, unknown>>): unknown[] {
  const entries: unknown[] = [...arrayOf(value['resources']), ...arrayOf(value['bases']), ...arrayOf(value['components'])];
  entries.push(...arrayOf(value['patchesStrategicMerge']));
  for (const patch of arrayOf(value['patches'])) if (isRecord(patch)) entries.push(patch['path']);
  return entries;
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
    const files: string[] = [];
    for (const entry of includedEntries(value)) {
      const resolved = resolveEntry(dir, entry);
      if (resolved === undefined) continue;
      const child = byDir.get(resolved);
      if (child !== undefined) {
        if (child !== doc.path && !kustomizations.includes(child)) kustomizations.push(child);
      } else if (resolved !== '') {
        files.push(resolved);
      }
    }
    nodes.set(doc.path, {
      path: doc.path,
      namespace: nonEmptyString(value['namespace']),
      namePrefix: typeof value['namePrefix'] === 'string' ? value['namePrefix'] : '',
      nameSuffix: typeof value['nameSuffix'] === 'string' ? value['nameSuffix'] : '',
      kustomizations,
      files,
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
  return {
    ...(node.namespace !== undefined ? { namespace: node.namespace } : {}),
    namePrefix: node.namePrefix,
    nameSuffix: node.nameSuffix,
    root: node.path,
  };
}

export function scopeKey(s: BuildScope): string {
  return JSON.stringify([s.namespace ?? null, s.namePrefix, s.nameSuffix, s.root ?? null]);
}

export interface BuildGraph {
  /** Scopes in which each kustomization is built. */
  readonly kustomizationScopes: ReadonlyMap<string, readonly BuildScope[]>;
  /** Kustomizations that directly include each file. */
  readonly includers: ReadonlyMap<string, readonly string[]>;
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
    for (const child of node.kustomizations) included.add(child);
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
      next: number;
    }
    const onChain = new Set<string>();
    const stack: Frame[] = [];
    const enter = (node: BuildNode, scope: BuildScope): void => {
      let recorded = scopes.get(node.path);
      if (recorded === undefined) scopes.set(node.path, (recorded = new Map()));
      const key = scopeKey(scope);
      if (recorded.has(key) || recorded.size >= MAX_SCOPES_PER_KUSTOMIZATION) return;
      recorded.set(key, scope);
      onChain.add(node.path);
      stack.push({ node, scope, next: 0 });
    };
    enter(rootNode, rootScope(rootNode));
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next >= frame.node.kustomizations.length) {
        stack.pop();
        onChain.delete(frame.node.path);
        continue;
      }
      const childPath = frame.node.kustomizations[frame.next++]!;
      const child = nodes.get(childPath);
      if (child !== undefined && !onChain.has(childPath)) enter(child, compose(frame.scope, child));
    }
  };
  const sorted = [...nodes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const node of sorted) if (!included.has(node.path)) walk(node);
  // Kustomizations only reachable through a cycle have no root: build each from itself.
  for (const node of sorted) if (!scopes.has(node.path)) walk(node);

  const kustomizationScopes = new Map<string, readonly BuildScope[]>();
  for (const [path, recorded] of scopes) kustomizationScopes.set(path, [...recorded.values()]);
  return { kustomizationScopes, includers };
}
