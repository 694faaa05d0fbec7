/**
 * Splits a YAML stream into its documents without parsing it, so that
 *  - parseRepository can skip documents that cannot matter (see screen.ts), and
 *  - parseRepository and the line resolver number documents identically (both use this function).
 *
 * A document marker is `---` (start) or `...` (end) at column 0 followed by a blank or the line end,
 * exactly as YAML defines them: neither can appear at column 0 inside a valid document.
 */

/** One document: [start, end) offsets in the file text. The range includes its leading comments and its `---` line. */
export interface DocumentChunk {
  readonly start: number;
  readonly end: number;
}

/**
 * Whether a document marker (`---` or `...`) starts at `pos`: followed by a blank, a line end or the
 * end of the text (the line ends JavaScript's multiline `$` knows, as the regex this replaced did).
 */
function isMarkerAt(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  if ((c !== 0x2d && c !== 0x2e) || text.charCodeAt(pos + 1) !== c || text.charCodeAt(pos + 2) !== c) return false;
  if (pos + 3 >= text.length) return true;
  const next = text.charCodeAt(pos + 3);
  return next === 0x20 || next === 0x09 || next === 0x0d || next === 0x0a || next === 0x2028 || next === 0x2029;
}
const BOM = '\uFEFF';

/** True when [from, to) holds something other than blank lines, comments and directives. */
function hasContent(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    // at a line start
    let j = i;
    while (j < to && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
    const c = text[j];
    if (j < to && c !== '\n' && c !== '#' && !(j === i && c === '%') && c !== BOM) return true;
    const nl = text.indexOf('\n', j);
    if (nl === -1 || nl >= to) return false;
    i = nl + 1;
  }
  return false;
}

function endOfLine(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

/**
 * The documents of a YAML file. Leading comments/directives belong to the document that follows them;
 * a `---` always opens a document (even an empty one); text after `...` is a document only if it has content.
 * `json` files are one document.
 */
export function splitDocuments(text: string, json = false): DocumentChunk[] {
  const base = text.startsWith(BOM) ? 1 : 0;
  if (json) return hasContent(text, base, text.length) ? [{ start: 0, end: text.length }] : [];
  const chunks: DocumentChunk[] = [];
  let pending = 0; // start of the current (not yet pushed) region
  let open = false; // the current region was opened by `---`
  const markers: { pos: number; start: boolean }[] = [];
  if (base === 1 && /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/.test(text.slice(1, 5))) markers.push({ pos: 1, start: text[1] === '-' });
  // Lines here end with \n (LF or CRLF): a marker starts the text or follows a \n. Found with
  // indexOf rather than a multiline regex, which tried every position of every file.
  for (let pos = 0; pos !== -1 && pos < text.length; pos = text.indexOf('\n', pos) + 1 || -1) {
    if (isMarkerAt(text, pos)) markers.push({ pos, start: text.charCodeAt(pos) === 0x2d });
  }
  for (const { pos, start } of markers) {
    if (start) {
      if (open || hasContent(text, pending, pos)) {
        chunks.push({ start: pending, end: pos });
        pending = pos;
      }
      // else: only comments/directives so far; they lead the document this marker opens
      open = true;
    } else {
      const end = endOfLine(text, pos);
      if (open || hasContent(text, pending, pos)) chunks.push({ start: pending, end });
      pending = end;
      open = false;
    }
  }
  if (open || hasContent(text, pending, text.length)) chunks.push({ start: pending, end: text.length });
  return chunks;
}

const JSON_PATH = /\.json$/i;

/** How a file is split into documents: parseRepository and the line resolver both use this, so docIndex means the same in both. */
export function documentsOf(path: string, text: string): DocumentChunk[] {
  return splitDocuments(text, JSON_PATH.test(path));
}

/** Number of line feeds in text[from, to). */
export function newlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** 1-based line of an offset, counting newlines (for the rare one-off lookup). */
export function countLine(text: string, offset: number): number {
  return 1 + newlinesIn(text, 0, offset);
}
