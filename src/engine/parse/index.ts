import { isKustomizationPath } from '../candidates.js';
import { undecodableReason } from '../decode.js';
import type { FileProblem, KustomizationDoc, ManifestObject, ParsedRepository, SourceFile } from '../model.js';
import { countLine, documentsOf, type DocumentChunk } from './documents.js';
import { checkAliases, mayUseAliases } from './safety.js';
import { loadYaml, loadYamlLastKeyWins } from './schema.js';
import { screen as screenDocument } from './screen.js';
import { isRecord } from '../untrusted.js';

export interface ParseOptions {
  /** Files larger than this are skipped with a notice (bytes). Default 5 MiB. */
  readonly maxFileBytes?: number;
  /** Parse every document, even those the pre-screen says cannot matter (tests, benchmarks). */
  readonly noScreen?: boolean;
  /** Told the path of each file as its reading starts (the app's engine worker reports where a slow review was). */
  readonly onFile?: (path: string) => void;
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

const YAML_OR_JSON = /\.(ya?ml|json)$/i;
const JSON_PATH = /\.json$/i;
/** First character that is not blank or a BOM (decides whether JSON.parse is worth a try). */
const FIRST_CHAR = /[^\s\uFEFF]/;

/** Whether a path is read as YAML/JSON (everything else is an auxiliary file). */
export function isParsedPath(path: string): boolean {
  return YAML_OR_JSON.test(path) || isKustomizationPath(path);
}

/** A file "looks like a manifest" when a parse error in it deserves a finding. */
function looksLikeManifest(path: string, text: string): boolean {
  return isKustomizationPath(path) || /^(?:apiVersion|kind)[ \t]*:|["'](?:apiVersion|kind)["'][ \t]*:/m.test(text);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 size of a string, without allocating. */
function utf8Bytes(text: string, stopAbove: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > stopAbove) return bytes;
  }
  return bytes;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

/** Why a file cannot be read at all (size, binary, encoding), or undefined. */
function unreadable(text: string, maxBytes: number): string | undefined {
  if (text.length > maxBytes) {
    const bytes = NON_ASCII.test(text) ? utf8Bytes(text, Infinity) : text.length;
    return `file too large (${formatBytes(bytes)}, limit ${formatBytes(maxBytes)})`;
  }
  if (text.length * 3 > maxBytes) {
    const bytes = NON_ASCII.test(text) ? utf8Bytes(text, maxBytes) : text.length;
    if (bytes > maxBytes) return `file too large (more than ${formatBytes(maxBytes)})`;
  }
  return undecodableReason(text);
}

/**
 * A parser's error message without anything quoted from the file: js-yaml appends a source snippet,
 * and some reasons name tags or aliases.
 */
export function safeReason(error: unknown): string {
  let reason = 'invalid YAML';
  if (error instanceof RangeError) return 'document is nested too deeply';
  if (error && typeof error === 'object') {
    const e = error as { reason?: unknown; message?: unknown };
    if (typeof e.reason === 'string' && e.reason) reason = e.reason;
    else if (typeof e.message === 'string' && e.message) reason = e.message.split('\n')[0] ?? reason;
  }
  reason = reason
    .replace(/ ?\(\d+:\d+\)\s*$/, '')
    .replace(/!<[^>!]*>/g, '!<…>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\s+/g, ' ')
    .trim();
  if (reason.length > 120) reason = `${reason.slice(0, 117)}…`;
  return reason || 'invalid YAML';
}

interface LoadError {
  readonly reason: string;
  /** 0-based line within the loaded text, when the parser says. */
  readonly line?: number;
}

/** `json`: the value came from JSON.parse (its objects, arrays and strings are exact already). */
type Loaded = { ok: true; value: unknown; duplicate?: LoadError; json?: true } | { ok: false; error: LoadError };

function errorOf(error: unknown): LoadError {
  const mark = (error as { mark?: { line?: unknown } } | null)?.mark;
  const line = typeof mark?.line === 'number' ? mark.line : undefined;
  return line === undefined ? { reason: safeReason(error) } : { reason: safeReason(error), line };
}

/**
 * One document's value: JSON.parse for JSON-looking text (much faster), js-yaml with the Kubernetes
 * schema for everything else and for every syntax error.
 */
function loadDocument(doc: string, jsonFirst: boolean): Loaded {
  if (jsonFirst) {
    try {
      return { ok: true, value: JSON.parse(doc), json: true };
    } catch {
      // not strict JSON (comments, trailing commas, YAML flow style): js-yaml reads JSON too
    }
  }
  try {
    return { ok: true, value: loadYaml(doc) };
  } catch (error) {
    const failure = errorOf(error);
    if (!failure.reason.startsWith('duplicated mapping key')) return { ok: false, error: failure };
    // A repeated key: kubectl keeps the last value and applies the object, so read it that way and say so.
    try {
      return { ok: true, value: loadYamlLastKeyWins(doc), duplicate: failure };
    } catch (again) {
      return { ok: false, error: errorOf(again) };
    }
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function objectOf(
  value: Record<string, unknown>,
  path: string,
  docIndex: number,
  basePath: readonly (string | number)[],
  fallback?: { apiVersion: string; kind: string },
): ManifestObject | undefined {
  const apiVersion = str(value['apiVersion']) ?? fallback?.apiVersion;
  const kind = str(value['kind']) ?? fallback?.kind;
  if (apiVersion === undefined || kind === undefined) return undefined;
  const metadata = value['metadata'];
  const name = isRecord(metadata) ? (str(metadata['name']) ?? '') : '';
  const namespace = isRecord(metadata) ? str(metadata['namespace']) : undefined;
  return {
    apiVersion,
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    path,
    docIndex,
    basePath,
    value,
  };
}

/** The objects a document holds: itself, or the items of a `*List`. */
function objectsOf(value: unknown, path: string, docIndex: number): ManifestObject[] {
  if (!isRecord(value)) return [];
  const kind = str(value['kind']);
  const apiVersion = str(value['apiVersion']);
  const items = value['items'];
  if (kind !== undefined && apiVersion !== undefined && kind.endsWith('List') && Array.isArray(items)) {
    // Typed lists (ConfigMapList from the API) omit the items' apiVersion/kind.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    const fallback = itemKind ? { apiVersion, kind: itemKind } : undefined;
    const out: ManifestObject[] = [];
    items.forEach((item, i) => {
      if (!isRecord(item)) return;
      const obj = objectOf(item, path, docIndex, ['items', i], fallback);
      if (obj) out.push(obj);
    });
    return out;
  }
  const obj = objectOf(value, path, docIndex, []);
  return obj ? [obj] : [];
}

/**
 * For a value JSON cannot rebuild exactly (see keptValue): replaces every array by an exact-size copy. js-yaml builds arrays by pushing, which
 * gives even a one-item list room for 17 (152 bytes of elements): a Deployment's parsed value is 22%
 * smaller compacted, and a scan holds every kept document until its end (50,000 manifests: ~12,000
 * Deployments). Copied right after the parse, the old arrays die young and cost a scavenge, not a
 * mark-compact. Depth is bounded (checkAliases ran; a value nested deeper is left as it is).
 *
 * Long strings are copied too (see ownString): js-yaml parses a copy of the document's text, and V8
 * makes a scalar of 13 characters or more a slice of that copy, so a single kept string held the whole
 * copy alive — a second copy of every kept document's text for the whole scan (generated:50,000: ~21 MB).
 */
function compactArrays(value: object, depth: number): void {
  if (depth > 64) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) value[i] = compacted(item, depth + 1);
      else if (typeof item === 'string' && item.length >= SLICE_MIN_LENGTH) value[i] = ownString(item);
    }
    return;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item === 'string') {
      if (item.length >= SLICE_MIN_LENGTH) (value as Record<string, unknown>)[key] = ownString(item);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) (value as Record<string, unknown>)[key] = compacted(item, depth + 1);
    else compactArrays(item, depth + 1);
  }
}

/** V8 copies a shorter substring; from this length on it makes a slice that keeps its whole parent alive. */
const SLICE_MIN_LENGTH = 13;

/**
 * An equal string with storage of its own, not a slice of (or a concatenation over) the text it was
 * parsed from. JSON round-tripping is exact for every string (lone surrogates included) and is the one
 * portable way to get that; it costs a few milliseconds per 20,000 strings.
 */
function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

function compacted(value: object, depth: number): object {
  const v = Array.isArray(value) ? value.slice() : value;
  compactArrays(v, depth);
  return v;
}

/** YAML's `.nan` and `.inf` in the core schema's spellings, which JSON would turn into `null` (one pass over the text). */
const NAN_OR_INF = /\.(?:nan|NaN|NAN|inf|Inf|INF)/;

/**
 * A document's value as the scan keeps it: rebuilt by a JSON round trip where that is exact, otherwise
 * compacted in place (compactArrays). JSON.parse makes every object and array exactly the size it needs
 * (js-yaml grows objects a property at a time and arrays by pushing) and strings of their own, in native
 * code: cheaper than walking the value in JavaScript, and smaller. It is exact unless the document has a
 * tag (`!!binary` → Uint8Array, `!!timestamp` → Date, `!!set`…), an alias (shared nodes would be copied
 * apart) or `.nan`/`.inf` (→ null); those documents are compacted instead. A negative zero becomes 0, which
 * no stage can tell apart (numbers are only ever printed or compared).
 */
function keptValue(value: object, doc: string, json: boolean, aliases: boolean): object {
  if (json) return value; // JSON.parse made it: exact already
  if (!aliases && !doc.includes('!') && !NAN_OR_INF.test(doc)) {
    try {
      return JSON.parse(JSON.stringify(value)) as object;
    } catch {
      // nested too deeply for the round trip's recursion: compacted as it is
    }
  }
  compactArrays(value, 0);
  return value;
}

interface FileResult {
  objects: ManifestObject[];
  kustomizations: KustomizationDoc[];
  problems: FileProblem[];
  documents: number;
}

function parseFile(file: SourceFile, maxBytes: number, screen: boolean): FileResult {
  const { path, text } = file;
  const result: FileResult = { objects: [], kustomizations: [], problems: [], documents: 0 };
  const cannotRead = unreadable(text, maxBytes);
  if (cannotRead) {
    result.problems.push({ path, kind: 'skipped', reason: cannotRead });
    return result;
  }
  const kustomization = isKustomizationPath(path);
  const json = JSON_PATH.test(path);
  const chunks = documentsOf(path, text);
  result.documents = chunks.length;
  let failure: { reason: string; line: number; docIndex: number } | undefined;
  for (let docIndex = 0; docIndex < chunks.length; docIndex++) {
    const chunk = chunks[docIndex] as DocumentChunk;
    const doc = text.slice(chunk.start, chunk.end);
    // A Kubernetes object has both words somewhere; a document without them yields nothing, and its
    // parse errors would be ignored anyway (values.yaml, workflows…): not parsing it is exact.
    if (!kustomization && !(doc.includes('apiVersion') && doc.includes('kind'))) continue;
    const verdict = screen && !kustomization ? screenDocument(doc) : 'keep';
    if (verdict === 'skip' && !json) continue;
    const first = FIRST_CHAR.exec(doc)?.[0];
    const loaded = loadDocument(doc, first === '{' || (json && first === '['));
    if (!loaded.ok) {
      failure ??= {
        reason: loaded.error.reason,
        line: countLine(text, chunk.start) + (loaded.error.line ?? 0),
        docIndex,
      };
      continue;
    }
    if (loaded.duplicate) {
      const line = countLine(text, chunk.start) + (loaded.duplicate.line ?? 0);
      result.problems.push({ path, kind: 'duplicate-key', reason: loaded.duplicate.reason, line, docIndex });
    }
    const value = loaded.value;
    if (value === null || typeof value !== 'object') continue;
    const aliased = mayUseAliases(doc);
    if (aliased) {
      const aliases = checkAliases(value);
      if (aliases !== 'ok') {
        result.problems.push({
          path,
          kind: 'skipped',
          reason: aliases === 'cycle' ? 'document uses a recursive YAML alias' : 'YAML aliases expand to too many nodes',
          docIndex,
        });
        continue;
      }
    }
    if (kustomization) {
      // kustomize reads one document; a second one would give two kustomizations for one path
      if (!isRecord(value)) failure ??= { reason: 'a kustomization must be a YAML mapping', line: countLine(text, chunk.start), docIndex };
      else if (result.kustomizations.length === 0) result.kustomizations.push({ path, value });
      continue;
    }
    if (verdict === 'inert') continue; // parsed for its syntax, not kept: no stage reads it
    for (const o of objectsOf(keptValue(value, doc, loaded.json === true, aliased), path, docIndex)) result.objects.push(o); // no spread: a List may hold 100k items
  }
  if (failure) {
    const template = text.includes('{{') ? 'Helm/Go template' : text.includes('{%') ? 'Jinja template' : undefined;
    if (template) {
      // Not a manifest until rendered: nothing read from it is trustworthy.
      return { objects: [], kustomizations: [], problems: [{ path, kind: 'skipped', reason: `${template} (not valid YAML before rendering)` }], documents: result.documents };
    }
    if (looksLikeManifest(path, text)) {
      result.problems.push({ path, kind: 'parse-error', reason: failure.reason, line: failure.line, docIndex: failure.docIndex });
    }
  }
  return result;
}

/** What parsing one file gave: its objects, kustomization, problems and document count, or `aux` (not YAML/JSON). */
export type ParsedFile = FileResult | 'aux';

/**
 * One file of parseRepository, on its own: files are parsed independently, so a caller that receives a
 * tree in parts (the CLI's worker, while the main thread is still reading) can parse each part as it
 * arrives and hand the results to parseRepository (`ahead`). Never throws.
 */
export function parseSourceFile(file: SourceFile, options: ParseOptions = {}): ParsedFile {
  if (!isParsedPath(file.path)) return 'aux';
  try {
    return parseFile(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, options.noScreen !== true);
  } catch (error) {
    return { objects: [], kustomizations: [], problems: [fileFailed(file, error)], documents: 0 };
  }
}

function fileFailed(file: SourceFile | undefined, error: unknown): FileProblem {
  return { path: String(file?.path), kind: 'skipped', reason: error instanceof RangeError ? 'document is nested too deeply' : 'could not be read' };
}

/**
 * Reads every YAML/JSON file into Kubernetes objects and kustomizations. Other files (kustomize
 * generator inputs) are kept as auxFiles. Never throws: a file that cannot be read becomes a problem.
 * `ahead`: results of parseSourceFile (same options) for some of these files, keyed by the file
 * object they were computed from; those files are not parsed again.
 */
export function parseRepository(files: readonly SourceFile[], options: ParseOptions = {}, ahead?: ReadonlyMap<SourceFile, ParsedFile>): ParsedRepository {
  const objects: ManifestObject[] = [];
  const kustomizations: KustomizationDoc[] = [];
  const problems: FileProblem[] = [];
  const auxFiles = new Map<string, string>();
  let documentCount = 0;
  for (const file of files) {
    try {
      if (typeof file?.path !== 'string' || typeof file.text !== 'string') continue;
      let r = ahead?.get(file);
      if (r === undefined) {
        options.onFile?.(file.path);
        r = parseSourceFile(file, options);
      }
      if (r === 'aux') {
        auxFiles.set(file.path, file.text);
        continue;
      }
      for (const o of r.objects) objects.push(o); // no spread: a List may hold 100k items
      for (const k of r.kustomizations) kustomizations.push(k);
      for (const p of r.problems) problems.push(p);
      documentCount += r.documents;
    } catch (error) {
      problems.push(fileFailed(file, error));
    }
  }
  return { objects, kustomizations, problems, auxFiles, documentCount };
}
