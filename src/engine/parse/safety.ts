/**
 * js-yaml resolves aliases by sharing the anchored value, and an alias inside its own anchor makes a cycle.
 * Both are harmless for js-yaml but fatal for anything that walks the value afterwards
 * (a "billion laughs" document expands to 10^9 nodes; a cycle never ends). This walk measures the
 * expanded size with memoisation, so it costs one visit per distinct node.
 */

/** Expanded documents larger than this (and much larger than their distinct nodes) are refused. */
export const MAX_EXPANDED_NODES = 100_000;
const MAX_EXPANSION_RATIO = 10;

export type AliasVerdict = 'ok' | 'cycle' | 'expansion';

export function checkAliases(value: unknown): AliasVerdict {
  const size = new Map<object, number>();
  const inProgress = new Set<object>();
  let distinct = 0;
  let cycle = false;
  const visit = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = size.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) {
      cycle = true;
      return 1;
    }
    inProgress.add(node);
    distinct++;
    let total = 1;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      total += visit(child);
      if (cycle) break;
    }
    inProgress.delete(node);
    size.set(node, total);
    return total;
  };
  let total: number;
  try {
    total = visit(value);
  } catch {
    return 'expansion'; // too deep to walk
  }
  if (cycle) return 'cycle';
  return total > MAX_EXPANDED_NODES && total > MAX_EXPANSION_RATIO * distinct ? 'expansion' : 'ok';
}

/** Whether a document's text may use aliases at all (cheap test before the walk). */
export function mayUseAliases(doc: string): boolean {
  return doc.includes('&') && doc.includes('*');
}
