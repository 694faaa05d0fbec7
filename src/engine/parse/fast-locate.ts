/**
 * Fast path of the line resolver: finds a node path in a block-style YAML document by indentation alone,
 * the way nearly every Kubernetes manifest is written, without a position-keeping parse (the `yaml`
 * package costs about ten times a js-yaml parse).
 *
 * It answers only when it is sure: the whole path must exist and every line it inspects must be plain
 * block YAML (flow collections only where they open and close on the path's last line, no
 * anchors/aliases/tags/merge keys, no escaped or complex keys, no tabs in indentation). Anything else
 * returns undefined and the caller uses the `yaml` package.
 */
import type { NodePath } from '../model.js';
import { field } from '../untrusted.js';
import { loadYaml } from './schema.js';

/** Lines of one document, relative to its first line (0-based). */
export interface DocLines {
  /** Line texts without line ends. */
  readonly text: readonly string[];
  /** Indentation (spaces) of each line; -1 for blank and comment-only lines; -2 when a tab is in the indentation. */
  readonly indent: readonly number[];
  /** The root node's first line and the document's end (exclusive), or undefined when the header is not plain. */
  readonly root: { readonly first: number; readonly end: number } | undefined;
}

export function docLines(doc: string): DocLines {
  const text = (doc.startsWith('\uFEFF') ? doc.slice(1) : doc).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const indent = text.map((l) => {
    let i = 0;
    while (l.charCodeAt(i) === 32) i++;
    const c = l[i];
    if (c === undefined || c === '#') return -1;
    if (c === '\t') return /^[ \t]*(#|$)/.test(l) ? -1 : -2;
    return i;
  });
  return { text, indent, root: rootOf(text, indent) };
}

/** Skips the header (comments, directives, a bare `---`) and stops at `...`. */
function rootOf(text: readonly string[], indent: readonly number[]): DocLines['root'] {
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    if ((text[i] ?? '').startsWith('...') && /^\.\.\.(\s|$)/.test(text[i] ?? '')) {
      end = i;
      break;
    }
  }
  let start = 0;
  for (; start < end; start++) {
    const t = text[start] ?? '';
    if ((indent[start] ?? -1) === -1 || t.startsWith('%')) continue;
    if (/^---(\s|$)/.test(t)) {
      if (rest(t, 3) !== '') return undefined;
      continue;
    }
    break;
  }
  for (let i = start; i < end; i++) if ((indent[i] ?? -1) !== -1) return (indent[i] ?? -1) < 0 ? undefined : { first: i, end };
  return undefined;
}

/** 0-based lines within the document. */
export interface FastRange {
  readonly line: number;
  readonly endLine: number;
}

/** Where a block node lives: lines [from, to), its indentation, and an optional inline first line (`- key: v`). */
interface Region {
  readonly from: number;
  readonly to: number;
  readonly indent: number;
  /** When the node starts after `- ` on line `from`: its column and text there. */
  readonly inline?: { readonly column: number; readonly text: string };
}

const DECLINE = Symbol('decline');

function rest(line: string, from: number): string {
  const r = line.slice(from).trim();
  return r.startsWith('#') ? '' : r;
}

/** Parses a mapping key at the start of `s`: the key text and the offset after its `:`; DECLINE when not plain. */
function parseKey(s: string): { key: string; after: number } | typeof DECLINE {
  const c = s[0];
  if (c === undefined || '?&*!{}[]|>%@`,-#'.includes(c)) {
    // `-` alone is a sequence entry, `-x` a plain scalar: neither is handled here
    if (c !== '-' || /^-(\s|$)/.test(s)) return DECLINE;
  }
  let key: string;
  let end: number;
  if (c === '"') {
    end = s.indexOf('"', 1);
    if (end === -1) return DECLINE;
    key = s.slice(1, end);
    if (key.includes('\\')) return DECLINE;
    end++;
  } else if (c === "'") {
    let i = 1;
    let k = '';
    for (;;) {
      const q = s.indexOf("'", i);
      if (q === -1) return DECLINE;
      k += s.slice(i, q);
      if (s[q + 1] === "'") {
        k += "'";
        i = q + 2;
        continue;
      }
      end = q + 1;
      break;
    }
    key = k;
  } else {
    const m = /:(?=[ \t]|$)/.exec(s);
    if (!m) return DECLINE;
    key = s.slice(0, m.index).trimEnd();
    if (key.includes(' #')) return DECLINE;
    end = m.index;
  }
  let i = end;
  while (s[i] === ' ' || s[i] === '\t') i++;
  if (s[i] !== ':') return DECLINE;
  const next = s[i + 1];
  if (next !== undefined && next !== ' ' && next !== '\t') return DECLINE;
  return { key, after: i + 1 };
}

/**
 * Locates `path` in a block-style document; undefined when unsure.
 * `part: 'key'` gives the key's line (for a sequence item, the item's line).
 */
export function fastLocate(lines: DocLines, path: NodePath, part: 'key' | 'value'): FastRange | undefined {
  try {
    const r = locate(lines, path, part);
    return r === DECLINE ? undefined : r;
  } catch {
    return undefined;
  }
}

/** The first line of content in [from, to), or -1. */
function firstContent(lines: DocLines, from: number, to: number): number {
  for (let i = from; i < to; i++) if ((lines.indent[i] ?? -1) !== -1) return i;
  return -1;
}

/** The last line of content in [from, to), or -1. */
function lastContent(lines: DocLines, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if ((lines.indent[i] ?? -1) !== -1) return i;
  return -1;
}

/** End (exclusive) of the value of a node on line `at` indented `indent`: the next content line not deeper (a `- ` entry at the same indent continues a compact sequence when `compact`). */
function blockEnd(lines: DocLines, at: number, to: number, indent: number, compact: boolean): number {
  for (let i = at + 1; i < to; i++) {
    const n = lines.indent[i] ?? -1;
    if (n === -1) continue;
    if (n === -2) return -1;
    if (n > indent) continue;
    if (n === indent && compact && /^-(\s|$)/.test((lines.text[i] ?? '').slice(n))) continue;
    return i;
  }
  return to;
}

function locate(lines: DocLines, path: NodePath, part: 'key' | 'value'): FastRange | typeof DECLINE {
  const root = lines.root;
  if (!root) return DECLINE;
  let region: Region = { from: root.first, to: root.end, indent: lines.indent[root.first] ?? 0 };
  for (let s = 0; s < path.length; s++) {
    const segment = path[s] as string | number;
    const last = s === path.length - 1;
    const head = lineText(lines, region, region.from);
    const isSeq = /^-(\s|$)/.test(head);
    let found: { line: number; valueFrom: number; column: number; restText: string } | undefined;
    if (isSeq) {
      if (typeof segment !== 'number') return DECLINE;
      let count = -1;
      for (let i = region.from; i < region.to; i++) {
        const n = indentOf(lines, region, i);
        if (n === -1 || n > region.indent) continue;
        if (n < region.indent || n === -2) return DECLINE;
        const t = lineText(lines, region, i);
        if (!/^-(\s|$)/.test(t)) break; // the sequence ended (compact sequence followed by a key)
        if (++count === segment) {
          let col = 1;
          while (t[col] === ' ') col++;
          found = { line: i, valueFrom: col, column: n + col, restText: rest(t, col) };
          break;
        }
      }
    } else {
      const wanted = String(segment);
      for (let i = region.from; i < region.to; i++) {
        const n = indentOf(lines, region, i);
        if (n === -1 || n > region.indent) continue;
        if (n < region.indent || n === -2) return DECLINE;
        const t = lineText(lines, region, i);
        if (/^-(\s|$)/.test(t)) continue; // compact sequence entry of the previous key
        const k = parseKey(t);
        if (k === DECLINE || k.key === '<<') return DECLINE;
        if (k.key === wanted) {
          found = { line: i, valueFrom: k.after, column: n + k.after, restText: rest(t, k.after) };
          break;
        }
      }
    }
    if (!found) return DECLINE;
    const r = found.restText;
    if (/^[&*!]/.test(r)) return DECLINE;
    // a flow collection that goes on to other lines may close at any indentation
    if (/^[[{]/.test(r) && !/[\]}]$/.test(r)) return DECLINE;
    if (r !== '') {
      if (!last && /^[[{]/.test(r)) {
        // a one-line flow collection (`configMapKeyRef: {name: a, key: b}`): the rest of the path is on this line
        return flowHas(r, path.slice(s + 1)) ? { line: found.line, endLine: found.line } : DECLINE;
      }
      if (!last) {
        // `- key: v` starts an inline mapping; anything else on the line is a scalar or flow node
        if (!isSeq || /^["'{[|>-]/.test(r)) return DECLINE;
        const column = found.column;
        const to = blockEnd(lines, found.line, region.to, region.indent, false);
        if (to === -1) return DECLINE;
        region = { from: found.line, to, indent: column, inline: { column, text: r } };
        continue;
      }
      const to = blockEnd(lines, found.line, region.to, region.indent, false);
      if (to === -1) return DECLINE;
      const endLine = part === 'key' && !isSeq ? found.line : Math.max(found.line, lastContent(lines, found.line, to));
      return { line: found.line, endLine };
    }
    // The value is on the following lines (or absent).
    const to = blockEnd(lines, found.line, region.to, region.indent, !isSeq);
    if (to === -1) return DECLINE;
    const child = firstContent(lines, found.line + 1, to);
    if (last) {
      if (part === 'key' && !isSeq) return { line: found.line, endLine: found.line };
      if (child === -1) return { line: found.line, endLine: found.line };
      return { line: child, endLine: lastContent(lines, child, to) };
    }
    if (child === -1) return DECLINE;
    region = { from: child, to, indent: lines.indent[child] ?? -1 };
    if (region.indent < 0) return DECLINE;
  }
  // Empty path: the document's root node.
  return { line: region.from, endLine: lastContent(lines, region.from, region.to) };
}

/** Whether a one-line flow collection holds `path`, read by js-yaml exactly as the engine reads it (else: not sure). */
function flowHas(flow: string, path: NodePath): boolean {
  try {
    // parsed values are never undefined (an empty value is null): undefined means a step is missing
    return field(loadYaml(`x: ${flow}`), 'x', ...path) !== undefined;
  } catch {
    return false;
  }
}

function indentOf(lines: DocLines, region: Region, i: number): number {
  if (region.inline && i === region.from) return region.inline.column;
  return lines.indent[i] ?? -1;
}

function lineText(lines: DocLines, region: Region, i: number): string {
  if (region.inline && i === region.from) return region.inline.text;
  const t = lines.text[i] ?? '';
  const n = lines.indent[i] ?? 0;
  return n >= 0 ? t.slice(n) : t.trimStart();
}
