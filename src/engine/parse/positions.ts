import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import type { Location, NodePath } from '../model.js';
import { documentsOf, newlinesIn, type DocumentChunk } from './documents.js';
import { docLines, fastLocate, type DocLines } from './fast-locate.js';

export interface LineResolverOptions {
  /** Use the indentation-based fast path when it is sure (default true; tests compare both). */
  readonly fastPath?: boolean;
}

export interface LineRange {
  readonly line: number;
  readonly endLine: number;
}

/** A node's source range [start, end) in its document's text. */
type Span = readonly [number, number];

interface FileIndex {
  readonly text: string;
  readonly chunks: DocumentChunk[];
  /** 1-based line of each chunk's start, counted on first use up to the chunks asked for (most files are one document: nothing to count). */
  readonly chunkLines: number[];
  /** Position-keeping parse of each document, made on first use (null: could not be parsed). */
  readonly docs: Map<number, Document.Parsed | null>;
  /** Lines of each document for the fast path, made on first use. */
  readonly lines: Map<number, DocLines>;
}

interface NodeLike {
  range?: readonly [number, number, number] | null;
}

function spanOf(node: unknown): Span | undefined {
  const range = (node as NodeLike | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function keyMatches(key: unknown, segment: string | number): boolean {
  if (!isScalar(key)) return false;
  const wanted = String(segment);
  if (String(key.value) === wanted) return true;
  return typeof key.source === 'string' && key.source === wanted;
}

/**
 * The span to report for a node path: the value (or key) of the deepest node that exists.
 * When the path stops early at a map entry, its key line is reported (the `data:` line of a missing key).
 */
function locate(doc: Document.Parsed, path: NodePath, part: 'key' | 'value'): { at: Span; whole: Span } | undefined {
  let node: unknown = doc.contents;
  let key: unknown;
  let complete = true;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, segment));
      if (!pair) {
        complete = false;
        break;
      }
      key = pair.key;
      node = pair.value;
      if (node === null || node === undefined) {
        // `key:` with no value node: only the key exists
        complete = i === path.length - 1;
        node = undefined;
        break;
      }
    } else if (isSeq(node)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      const item: unknown = index >= 0 ? node.items[index] : undefined;
      if (item === undefined || item === null) {
        complete = false;
        break;
      }
      key = undefined;
      node = item;
    } else {
      // a scalar or an alias: the path goes on where this file has no node
      complete = false;
      break;
    }
  }
  const keySpan = spanOf(key);
  const valueSpan = spanOf(node);
  const wantKey = part === 'key' || !complete;
  const at = (wantKey ? (keySpan ?? valueSpan) : (valueSpan ?? keySpan)) ?? undefined;
  if (!at) return undefined;
  let whole: Span = at;
  if (valueSpan) whole = [Math.min(at[0], valueSpan[0]), Math.max(at[1], valueSpan[1])];
  if (part === 'key' && complete && keySpan) whole = keySpan;
  return { at, whole };
}

function parseChunk(index: FileIndex, docIndex: number): Document.Parsed | null {
  const cached = index.docs.get(docIndex);
  if (cached !== undefined) return cached;
  let doc: Document.Parsed | null = null;
  const chunk = index.chunks[docIndex];
  if (chunk) {
    try {
      const text = index.text.slice(chunk.start, chunk.end);
      const docs = parseAllDocuments(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
      if (Array.isArray(docs)) doc = docs.find((d) => d.contents !== null) ?? docs[0] ?? null;
    } catch {
      doc = null; // deeply nested input can overflow the stack
    }
  }
  index.docs.set(docIndex, doc);
  return doc;
}

/** 1-based line on which a chunk starts, counting only as far as the chunks asked for so far. */
function lineOfChunk(index: FileIndex, docIndex: number): number {
  const known = index.chunkLines;
  if (known.length === 0) known.push(1 + newlinesIn(index.text, 0, index.chunks[0]?.start ?? 0));
  while (known.length <= docIndex) {
    const i = known.length;
    known.push(known[i - 1]! + newlinesIn(index.text, index.chunks[i - 1]!.start, index.chunks[i]!.start));
  }
  return known[docIndex]!;
}

/** The end of a span, ignoring the blank lines, comment lines and line breaks it may end with. */
function trimmedEnd(text: string, start: number, end: number): number {
  let e = end;
  for (;;) {
    while (e > start + 1 && /\s/.test(text[e - 1] ?? '')) e--;
    const lineStart = text.lastIndexOf('\n', e - 1) + 1;
    if (lineStart <= start || !/^[ \t]*#/.test(text.slice(lineStart, e))) break;
    e = lineStart;
  }
  return Math.max(start, e - 1);
}

/** Files whose line tables and parses the resolver keeps (see createLineResolver). */
const RECENT_FILES = 64;

/**
 * Returns a function mapping a Location to 1-based lines, parsing a file with positions (the `yaml`
 * package) only the first time one of its locations is asked for, one document at a time.
 * Never throws: an unknown file or node gives the nearest known line, or line 1.
 */
export function createLineResolver(texts: ReadonlyMap<string, string>, options: LineResolverOptions = {}): (location: Location) => LineRange {
  const fast = options.fastPath !== false;
  // The files most recently asked about, oldest first: a file's index (its line tables and position-keeping
  // parses, tens of kilobytes per document) is only needed while its findings are placed, and a scan of a
  // large repository has findings in thousands of files.
  const files = new Map<string, FileIndex | null>();
  const indexOf = (path: string): FileIndex | null => {
    let index = files.get(path);
    if (index !== undefined) {
      files.delete(path);
      files.set(path, index);
      return index;
    }
    const text = texts.get(path);
    index = typeof text === 'string' ? { text, chunks: documentsOf(path, text), chunkLines: [], docs: new Map(), lines: new Map() } : null;
    files.set(path, index);
    if (files.size > RECENT_FILES) files.delete(files.keys().next().value!);
    return index;
  };
  return (location) => {
    if (location.line !== undefined && location.line >= 1) {
      return { line: location.line, endLine: Math.max(location.line, location.endLine ?? location.line) };
    }
    try {
      const index = indexOf(location.path);
      if (!index) return { line: 1, endLine: 1 };
      const docIndex = location.docIndex ?? 0;
      const chunk = index.chunks[docIndex];
      if (!chunk) return { line: 1, endLine: 1 };
      const chunkLine = lineOfChunk(index, docIndex);
      if (fast) {
        let lines = index.lines.get(docIndex);
        if (!lines) {
          lines = docLines(index.text.slice(chunk.start, chunk.end));
          index.lines.set(docIndex, lines);
        }
        const quick = fastLocate(lines, location.nodePath ?? [], location.part ?? 'value');
        if (quick) return { line: chunkLine + quick.line, endLine: chunkLine + Math.max(quick.line, quick.endLine) };
      }
      const doc = parseChunk(index, docIndex);
      const found = doc ? locate(doc, location.nodePath ?? [], location.part ?? 'value') : undefined;
      if (!found) return { line: chunkLine, endLine: chunkLine };
      const line = chunkLine + newlinesIn(index.text, chunk.start, chunk.start + found.at[0]);
      const endLine = chunkLine + newlinesIn(index.text, chunk.start, chunk.start + trimmedEnd(index.text.slice(chunk.start, chunk.end), found.whole[0], found.whole[1]));
      return { line, endLine: Math.max(line, endLine) };
    } catch {
      return { line: 1, endLine: 1 };
    }
  };
}
