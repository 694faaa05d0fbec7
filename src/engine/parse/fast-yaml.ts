import { KUBERNETES_SCHEMA } from './schema.js';

/**
 * A fast reader for the plain block YAML that almost every Kubernetes manifest is written in:
 * block mappings and sequences indented with spaces, plain and quoted scalars (also over several
 * lines), literal and folded block scalars, flow collections (JSON style included), anchors and
 * aliases of block values, comments.
 *
 * It gives exactly the value js-yaml gives with KUBERNETES_SCHEMA, or gives up (`undefined`) as soon
 * as the text leaves that subset or might be invalid (tags, merge keys, tabs in indentation,
 * scalars over several lines inside flow collections, duplicate keys, CRLF, control characters…).
 * The caller then loads the document with js-yaml, which also reports syntax errors: this reader
 * never decides that a document is invalid. A differential property test holds it to js-yaml.
 *
 * Why: js-yaml's general-purpose state machine costs about as much as everything else keyref does.
 * Reading the common subset line by line costs a fraction of that (see README › Benchmarks).
 */

/** Thrown (never escapes fastLoadYaml) when the text leaves the subset. No stack trace is built. */
const GIVE_UP: unknown = Object.freeze({ giveUp: true });

/** Characters that make a document unsafe for this reader (js-yaml rejects some of them, handles others its own way). */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\x00-\x08\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

const MAX_DEPTH = 100;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const ASTERISK = 0x2a;

type Implicit = { resolve(data: string): boolean; construct(data: string): unknown };
const IMPLICIT = (KUBERNETES_SCHEMA as unknown as { compiledImplicit: Implicit[] }).compiledImplicit;

/**
 * A plain scalar's value under the schema's implicit types (null, bool, int, float, merge), in
 * js-yaml's order. Most scalars start with a letter none of those types can start with.
 */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  if (((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) && c !== 0x6e && c !== 0x4e && c !== 0x74 && c !== 0x54 && c !== 0x66 && c !== 0x46) {
    return s;
  }
  for (const type of IMPLICIT) if (type.resolve(s)) return type.construct(s);
  return s;
}

/** Starts that js-yaml does not read as a plain scalar (indicators), in any context. */
function isIndicatorStart(c: number, next: number): boolean {
  switch (c) {
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case SQUOTE:
    case DQUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case SPACE:
    case TAB:
    case LF:
      return true;
    case 0x3f: // ?
    case DASH:
    case COLON:
      return next === SPACE || next === TAB || next === LF || Number.isNaN(next);
    default:
      return false;
  }
}

/** What each single-character escape of a double-quoted scalar stands for, as js-yaml reads them. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\x00', a: '\x07', b: '\x08', t: '\x09', '\t': '\x09', n: '\x0A', v: '\x0B', f: '\x0C', r: '\x0D', e: '\x1B',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xA0', L: '\u2028', P: '\u2029',
};

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * The escape whose backslash is at `text[i]`: what it stands for and where the text goes on. Gives up
 * on unknown escapes (an error) and on code points beyond Unicode.
 */
function escapeAt(text: string, i: number): { value: string; next: number } {
  const e = text[i + 1] ?? '';
  const simple = Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, e) ? SIMPLE_ESCAPES[e] : undefined;
  if (simple !== undefined) return { value: simple, next: i + 2 };
  const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (len === 0) throw GIVE_UP;
  const hex = text.slice(i + 2, i + 2 + len);
  if (hex.length !== len || !HEX.test(hex)) throw GIVE_UP;
  const code = Number.parseInt(hex, 16);
  if (code > 0x10ffff) throw GIVE_UP; // js-yaml makes something of it; not worth copying
  // js-yaml writes a code point above U+FFFF as a surrogate pair (so a lone surrogate stays one)
  const value = code <= 0xffff ? String.fromCharCode(code) : String.fromCharCode(((code - 0x10000) >> 10) + 0xd800, ((code - 0x10000) & 0x3ff) + 0xdc00);
  return { value, next: i + 2 + len };
}

/** Whether the line at p starts with `---` or `...` (js-yaml takes even `---a` for a marker on a document's first line). */
function startsLikeMarker(s: string, p: number): boolean {
  const c = s.charCodeAt(p);
  return (c === DASH || c === 0x2e) && s.charCodeAt(p + 1) === c && s.charCodeAt(p + 2) === c;
}

class Reader {
  private readonly s: string;
  private readonly n: number;
  private depth = 0;
  /** The current content line: its start, indentation (spaces) and end (index of its \n, or n). */
  private lineStart = 0;
  private indent = 0;
  private lineEnd = 0;
  /** False once every line has been read. */
  private hasLine = false;
  /** Just past the closing quote of the last quotedScalar. */
  private quotedAfter = 0;
  /** Line breaks counted by the last skipBreaks. */
  private breaks = 0;
  /** Values by anchor name (`&name`), for aliases (`*name`). */
  private anchors: Map<string, unknown> | undefined;

  constructor(text: string) {
    this.s = text;
    this.n = text.length;
  }

  /** Moves to the first line at or after `from` that holds something other than blanks and comments. */
  private seek(from: number, first = false): void {
    const s = this.s;
    let p = from;
    while (p < this.n) {
      let i = p;
      while (s.charCodeAt(i) === SPACE) i++;
      const c = s.charCodeAt(i);
      let end = s.indexOf('\n', i);
      if (end === -1) end = this.n;
      // a tab before anything else on the line: in indentation, or a blank line; either way not ours
      if (c === TAB) throw GIVE_UP;
      if (i < end && c !== HASH) {
        // `---` or `...` at column 0 ends the document: only the first line may be one (read() checks it)
        if (i === p && !first && startsLikeMarker(s, p)) throw GIVE_UP;
        this.lineStart = p;
        this.indent = i - p;
        this.lineEnd = end;
        this.hasLine = true;
        return;
      }
      p = end + 1;
    }
    this.hasLine = false;
  }

  read(): unknown {
    this.seek(0, true);
    if (!this.hasLine) throw GIVE_UP;
    const s = this.s;
    if (this.indent === 0 && startsLikeMarker(s, this.lineStart)) {
      const after = this.lineStart + 3;
      // only `---` followed by a blank, a comment or the line end; `...`, `---a` and `--- value` are js-yaml's
      if (s.charCodeAt(this.lineStart) !== DASH || (after < this.lineEnd && s.charCodeAt(after) !== SPACE)) throw GIVE_UP;
      this.expectLineRest(after);
      this.seek(this.lineEnd + 1);
      if (!this.hasLine) throw GIVE_UP;
    }
    const first = s.charCodeAt(this.lineStart + this.indent);
    if (first === 0x25 /* % */) throw GIVE_UP; // a directive
    let value: unknown;
    if (first === 0x5b || first === 0x7b) {
      // a JSON-style document (JSON.parse, tried first, found comments or trailing commas in it)
      value = this.flow(this.lineStart + this.indent);
      this.seek(this.lineEnd + 1);
    } else {
      value = this.blockNode(-1);
    }
    if (this.hasLine) throw GIVE_UP; // something left over: a dedent below the top level
    return value;
  }

  /** A block collection starting on the current line, which is indented more than `parentIndent`. */
  private blockNode(parentIndent: number): unknown {
    const start = this.lineStart + this.indent;
    if (this.indent <= parentIndent) throw GIVE_UP;
    if (this.isSequenceItem(start)) return this.sequence(this.indent);
    if (this.keyColon(start) >= 0) return this.mapping(this.indent, start);
    if (parentIndent < 0) throw GIVE_UP; // a document that is a scalar: nothing keyref reads
    return this.lineScalar(parentIndent, start);
  }

  /**
   * A quoted, plain or flow value starting at `at` (after a key's `:` or an item's `-`, or on a line of
   * its own under its key) for a node at column `col`; it may go on over several lines. Leaves the
   * reader on the next line, which must not be deeper than `col`.
   */
  private lineScalar(col: number, at: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(at);
    let value: unknown;
    if (c === DQUOTE || c === SQUOTE) {
      value = this.quotedScalar(at);
      this.expectLineRest(this.quotedAfter);
      this.seek(this.lineEnd + 1);
    } else if (c === 0x5b || c === 0x7b) {
      value = this.flow(at);
      this.seek(this.lineEnd + 1);
    } else {
      const end = this.lineEnd;
      const stop = this.plainEnd(at);
      let text = s.slice(at, stop).trimEnd();
      this.seek(end + 1);
      if (this.hasLine && this.indent > col) {
        if (stop < end) throw GIVE_UP; // a comment ended the scalar: a deeper line after it is an error
        text += this.plainContinuation(end, col);
      }
      value = resolvePlain(text);
    }
    if (this.hasLine && this.indent > col) throw GIVE_UP;
    return value;
  }

  private isSequenceItem(at: number): boolean {
    if (this.s.charCodeAt(at) !== DASH) return false;
    const next = this.s.charCodeAt(at + 1);
    return next === SPACE || at + 1 === this.lineEnd;
  }

  /**
   * Where the implicit key that starts at `at` ends: the index of its `:`, or -1 when the line is not
   * `key: …` with a plain or quoted key (then it is a scalar, or something this reader does not take).
   */
  private keyColon(at: number): number {
    const s = this.s;
    const end = this.lineEnd;
    const c = s.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.closingQuote(at);
      if (close < 0) return -1; // a quoted scalar over several lines: not a key
      const colon = close + 1;
      if (s.charCodeAt(colon) !== COLON) return -1;
      const after = s.charCodeAt(colon + 1);
      return colon + 1 === end || after === SPACE ? colon : -1;
    }
    if (isIndicatorStart(c, at + 1 < end ? s.charCodeAt(at + 1) : NaN)) return -1;
    // every scan stays within the line: an unbounded indexOf would make a document quadratic
    for (let i = at + 1; i < end; i++) {
      const d = s.charCodeAt(i);
      if (d === COLON) {
        if (i + 1 === end || s.charCodeAt(i + 1) === SPACE) return i;
      } else if (d === HASH && s.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** Index of the closing quote of the quoted scalar at `at`, on the same line; gives up otherwise. */
  private quotedEnd(at: number): number {
    const close = this.closingQuote(at);
    if (close < 0) throw GIVE_UP;
    return close;
  }

  /** Index of the closing quote of the quoted scalar at `at` if it is on the same line, else -1. */
  private closingQuote(at: number): number {
    const s = this.s;
    const end = this.lineEnd;
    if (s.charCodeAt(at) === DQUOTE) {
      for (let i = at + 1; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c === DQUOTE) return i;
        if (c === BACKSLASH) i++; // an escape: the next character is not the end
      }
      return -1;
    }
    for (let i = at + 1; i < end; i++) {
      if (s.charCodeAt(i) === SQUOTE) {
        if (s.charCodeAt(i + 1) !== SQUOTE) return i;
        i++; // '' is an escaped quote
      }
    }
    return -1;
  }

  /**
   * A quoted value at `at` that may go on over several lines, folded as js-yaml folds it: a line break
   * becomes a space and n blank lines n line feeds; blanks around a break are dropped (except that
   * js-yaml keeps those before an escaped one); an escaped line break joins the lines. Leaves the
   * reader on the line of the closing quote, with quotedAfter just past it.
   */
  private quotedScalar(at: number): string {
    const s = this.s;
    const n = this.n;
    const double = s.charCodeAt(at) === DQUOTE;
    const quote = double ? DQUOTE : SQUOTE;
    let result = '';
    let pos = at + 1;
    let capStart = pos;
    let capEnd = pos;
    let multiline = false;
    for (;;) {
      if (pos >= n) throw GIVE_UP; // never closed: js-yaml's error to report
      const ch = s.charCodeAt(pos);
      if (ch === quote) {
        result += s.slice(capStart, pos);
        pos++;
        if (double || s.charCodeAt(pos) !== SQUOTE) break;
        capStart = pos; // '' is one quote: the second starts the next segment
        pos++;
        capEnd = pos;
      } else if (double && ch === BACKSLASH) {
        result += s.slice(capStart, pos);
        if (s.charCodeAt(pos + 1) === LF) {
          pos = this.skipBreaks(pos + 1);
          multiline = true;
        } else {
          const escape = escapeAt(s, pos);
          result += escape.value;
          pos = escape.next;
        }
        capStart = capEnd = pos;
      } else if (ch === LF) {
        result += s.slice(capStart, capEnd);
        pos = this.skipBreaks(pos);
        const breaks = this.breaks;
        result += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        capStart = capEnd = pos;
        multiline = true;
      } else {
        pos++;
        if (ch !== SPACE && ch !== TAB) capEnd = pos;
      }
    }
    this.quotedAfter = pos;
    if (multiline) {
      this.lineStart = s.lastIndexOf('\n', pos - 1) + 1;
      const end = s.indexOf('\n', pos);
      this.lineEnd = end === -1 ? n : end;
    }
    return result;
  }

  /**
   * From the line feed at `at`, past every following blank (spaces) and blank line, as js-yaml's
   * skipSeparationSpace does inside quoted scalars; counts the line breaks in `breaks`. A tab, or a
   * document marker at column 0, gives up.
   */
  private skipBreaks(at: number): number {
    const s = this.s;
    let pos = at;
    let breaks = 0;
    while (s.charCodeAt(pos) === LF) {
      breaks++;
      pos++;
      const lineStart = pos;
      while (s.charCodeAt(pos) === SPACE) pos++;
      if (s.charCodeAt(pos) === TAB) throw GIVE_UP;
      if (pos === lineStart && startsLikeMarker(s, pos)) throw GIVE_UP;
    }
    this.breaks = breaks;
    return pos;
  }

  /** After a value on this line: only blanks, then the line end or a comment. */
  private expectLineRest(from: number): void {
    const s = this.s;
    let i = from;
    while (s.charCodeAt(i) === SPACE) i++;
    if (i === this.lineEnd) return;
    if (s.charCodeAt(i) === HASH && i > from) return;
    throw GIVE_UP;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
  }

  /** A block mapping whose keys sit at column `col`; its first key starts at `at` on the current line. */
  private mapping(col: number, at: number): Record<string, unknown> {
    this.enter();
    const s = this.s;
    const result: Record<string, unknown> = {};
    let keyAt = at;
    for (;;) {
      const colon = this.keyColon(keyAt);
      if (colon < 0) throw GIVE_UP;
      const c = s.charCodeAt(keyAt);
      let key: string;
      if (c === DQUOTE || c === SQUOTE) key = this.quotedScalar(keyAt); // keyColon found it closed on this line
      else {
        if (s.charCodeAt(colon - 1) === SPACE) throw GIVE_UP; // `key :`; rare, and trailing blanks are js-yaml's to trim
        const raw = s.slice(keyAt, colon);
        if (raw.includes('\t')) throw GIVE_UP;
        key = String(resolvePlain(raw));
      }
      if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(result, key)) throw GIVE_UP;
      result[key] = this.value(col, colon + 1, true);
      if (!this.hasLine || this.indent < col) break;
      if (this.indent > col) throw GIVE_UP;
      keyAt = this.lineStart + this.indent;
      if (this.isSequenceItem(keyAt)) throw GIVE_UP;
    }
    this.depth--;
    return result;
  }

  /** A block sequence whose dashes sit at column `col`, starting on the current line. */
  private sequence(col: number): unknown[] {
    this.enter();
    const s = this.s;
    const result: unknown[] = [];
    for (;;) {
      const dash = this.lineStart + this.indent;
      let v = dash + 1;
      while (s.charCodeAt(v) === SPACE) v++;
      if (v < this.lineEnd && s.charCodeAt(v) !== HASH) {
        if (this.isSequenceItem(v)) throw GIVE_UP; // `- - x`
        const c = s.charCodeAt(v);
        if (c !== DQUOTE && c !== SQUOTE && c !== 0x5b && c !== 0x7b && c !== 0x7c && c !== 0x3e && this.keyColon(v) >= 0) {
          // `- key: value`: a mapping whose keys sit where this one starts
          result.push(this.mapping(v - this.lineStart, v));
        } else if ((c === DQUOTE || c === SQUOTE) && this.keyColon(v) >= 0) {
          throw GIVE_UP; // `- "key": value`
        } else {
          result.push(this.value(col, dash + 1, false));
        }
      } else {
        result.push(this.value(col, dash + 1, false));
      }
      if (!this.hasLine || this.indent < col) break;
      if (this.indent > col) throw GIVE_UP;
      if (!this.isSequenceItem(this.lineStart + this.indent)) break; // the parent mapping goes on at this column
    }
    this.depth--;
    return result;
  }

  /**
   * The value after a key's `:` or an item's `-` at `from` on the current line, for a node at column
   * `col`. Leaves the reader on the next content line.
   */
  private value(col: number, from: number, inMapping: boolean): unknown {
    const s = this.s;
    let v = from;
    while (s.charCodeAt(v) === SPACE) v++;
    const end = this.lineEnd;
    if (v === end || s.charCodeAt(v) === HASH) {
      this.seek(end + 1);
      if (!this.hasLine) return null;
      if (this.indent > col) return this.blockNode(col);
      // kubectl's style: a mapping's sequence at the mapping's own column
      if (this.isSequenceItem(this.lineStart + this.indent)) {
        if (inMapping && this.indent === col) return this.sequence(col);
        // js-yaml reads a `-` after an empty item as this sequence's next item, however little it is indented
        if (!inMapping && this.indent < col) throw GIVE_UP;
      }
      return null;
    }
    if (v === from) throw GIVE_UP; // `key:value` is not ours (the caller found `: `)
    const c = s.charCodeAt(v);
    if (c === AMPERSAND) {
      // `&name value`: the value is also known by that name from here on
      const nameEnd = this.propertyNameEnd(v + 1);
      let next = nameEnd;
      while (s.charCodeAt(next) === SPACE) next++;
      const following = s.charCodeAt(next);
      if (following === AMPERSAND || following === ASTERISK || following === 0x21 /* ! */) throw GIVE_UP; // more properties, or an anchored alias (an error)
      const anchored = this.value(col, nameEnd, inMapping);
      (this.anchors ??= new Map()).set(s.slice(v + 1, nameEnd), anchored);
      return anchored;
    }
    if (c === ASTERISK) {
      // `*name`: the value anchored under that name earlier (the same object, as js-yaml gives it)
      const nameEnd = this.propertyNameEnd(v + 1);
      this.expectLineRest(nameEnd);
      const name = s.slice(v + 1, nameEnd);
      if (!this.anchors?.has(name)) throw GIVE_UP; // unknown alias: js-yaml's error to report
      this.seek(end + 1);
      if (this.hasLine && this.indent > col) throw GIVE_UP;
      return this.anchors.get(name);
    }
    if (c === 0x7c /* | */ || c === 0x3e /* > */) return this.blockScalar(col, v);
    return this.lineScalar(col, v);
  }

  /**
   * The continuation lines of a multi-line plain scalar whose first line ended at `prevEnd`, folded as
   * js-yaml folds them: a line break becomes a space, n blank lines become n line feeds. The reader
   * is on the first continuation line (indented more than the node); it is left on the next line that
   * is not one. A comment among the lines, or a line that starts like an indicator, gives up.
   */
  private plainContinuation(prevEnd: number, col: number): string {
    const s = this.s;
    let folded = '';
    let lastEnd = prevEnd;
    while (this.hasLine && this.indent > col) {
      let breaks = 0;
      for (let i = lastEnd; i < this.lineStart; i++) {
        const c = s.charCodeAt(i);
        if (c === LF) breaks++;
        else if (c !== SPACE) throw GIVE_UP; // a comment line in between
      }
      const at = this.lineStart + this.indent;
      const c = s.charCodeAt(at);
      if (c === DASH || c === 0x3f || c === COLON) throw GIVE_UP; // js-yaml's reading of these is subtle
      const stop = this.plainEnd(at);
      if (stop < this.lineEnd) throw GIVE_UP; // a comment ends the scalar
      folded += (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)) + s.slice(at, stop).trimEnd();
      lastEnd = this.lineEnd;
      this.seek(this.lineEnd + 1);
    }
    return folded;
  }


  /**
   * End of an anchor's or alias's name starting at `at` (js-yaml's rule: up to a blank, a line end or a
   * flow indicator); what follows must be a blank or the line end.
   */
  private propertyNameEnd(at: number): number {
    const s = this.s;
    const end = this.lineEnd;
    let i = at;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === TAB || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) break;
      i++;
    }
    if (i === at || (i < end && s.charCodeAt(i) !== SPACE)) throw GIVE_UP;
    return i;
  }

  /**
   * Where the plain scalar starting at `at` ends on this line: the line end, or the blank before a
   * comment (so `stop < lineEnd` means a comment follows). Gives up on what js-yaml would read differently.
   */
  private plainEnd(at: number): number {
    const s = this.s;
    const end = this.lineEnd;
    if (isIndicatorStart(s.charCodeAt(at), at + 1 < end ? s.charCodeAt(at + 1) : NaN)) throw GIVE_UP;
    for (let i = at + 1; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === HASH) {
        if (s.charCodeAt(i - 1) === SPACE) return i - 1;
      } else if (c === COLON) {
        if (i + 1 === end || s.charCodeAt(i + 1) === SPACE) throw GIVE_UP; // `a: b: c` or `a: b:`
      } else if (c === TAB) {
        throw GIVE_UP;
      }
    }
    return end;
  }


  /**
   * A flow collection (`[a, "b"]`, `{app: web}`, `[{port: 80}]`), which may go on over several lines
   * (JSON-style manifests). Leaves the reader on the line of its closing bracket, which must end there.
   */
  private flow(at: number): unknown {
    const out: unknown[] = [];
    this.expectLineRest(this.flowCollection(at, out));
    return out[0];
  }

  /** The flow sequence or mapping at `at`, pushed onto `out`; returns the index after its closing bracket. */
  private flowCollection(at: number, out: unknown[]): number {
    this.enter();
    const s = this.s;
    const isSequence = s.charCodeAt(at) === 0x5b;
    const close = isSequence ? 0x5d : 0x7d;
    const items: unknown[] = [];
    const map: Record<string, unknown> = {};
    let i = this.flowSpace(at + 1);
    // js-yaml, like JSON5, takes a comma before the closing bracket
    while (s.charCodeAt(i) !== close) {
      if (isSequence) {
        i = this.flowNode(i, close, items);
      } else {
        const keyStart = s.charCodeAt(i);
        if (keyStart === 0x5b || keyStart === 0x7b) throw GIVE_UP; // a collection as a key
        i = this.flowNode(i, COLON, items);
        // `key: value`; `{a:b}` and `{a}` mean other things, left to js-yaml
        if (s.charCodeAt(i) !== COLON || s.charCodeAt(i + 1) !== SPACE) throw GIVE_UP;
        if (keyStart !== DQUOTE && keyStart !== SQUOTE && s.charCodeAt(i - 1) === SPACE) throw GIVE_UP;
        const key = String(items.pop());
        if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) throw GIVE_UP;
        i = this.flowNode(this.flowSpace(i + 2), close, items);
        map[key] = items.pop();
      }
      i = this.flowSpace(i);
      const d = s.charCodeAt(i);
      if (d === 0x2c) i = this.flowSpace(i + 1);
      else if (d !== close) throw GIVE_UP;
    }
    out.push(isSequence ? items : map);
    this.depth--;
    return i + 1;
  }

  /**
   * Past the blanks, line breaks and comments between the tokens of a flow collection, from `at`;
   * the reader's current line follows along. Tabs, and document markers at column 0, give up.
   */
  private flowSpace(at: number): number {
    const s = this.s;
    let i = at;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === SPACE) {
        i++;
      } else if (c === LF) {
        const start = i + 1;
        const end = s.indexOf('\n', start);
        this.lineStart = start;
        this.lineEnd = end === -1 ? this.n : end;
        if (startsLikeMarker(s, start)) throw GIVE_UP;
        i = start;
      } else if (c === HASH) {
        // YAML wants a blank before a comment; js-yaml does not: leave the difference to js-yaml
        const before = s.charCodeAt(i - 1);
        if (before !== SPACE && before !== LF) throw GIVE_UP;
        i = this.lineEnd;
      } else if (c === TAB) {
        throw GIVE_UP;
      } else {
        return i;
      }
    }
  }

  /**
   * One node of a flow collection at `at`, pushed onto `out`; returns where it ends. A plain scalar
   * ends at a comma or at `stop` (the closing bracket, or the colon of a key). Comments, multi-line
   * collections and anything else unusual give up.
   */
  private flowNode(at: number, stop: number, out: unknown[]): number {
    const s = this.s;
    const end = this.lineEnd;
    const c = s.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) return this.flowCollection(at, out);
    if (c === DQUOTE || c === SQUOTE) {
      this.quotedEnd(at); // inside a flow collection, only quoted scalars that close on their line
      out.push(this.quotedScalar(at));
      return this.quotedAfter;
    }
    const next = at + 1 < end ? s.charCodeAt(at + 1) : NaN;
    if (isIndicatorStart(c, next)) throw GIVE_UP;
    // in a flow collection `-`, `?` and `:` also need something other than a flow indicator after them
    if ((c === DASH || c === 0x3f || c === COLON) && (next === 0x2c || next === 0x5b || next === 0x5d || next === 0x7b || next === 0x7d)) throw GIVE_UP;
    let j = at;
    for (; j < end; j++) {
      const d = s.charCodeAt(j);
      if (d === 0x2c || d === stop) break;
      if (d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d || d === COLON || d === HASH || d === TAB) throw GIVE_UP;
    }
    if (j === end) throw GIVE_UP; // the collection goes on on the next line
    const text = s.slice(at, j).trimEnd();
    if (text === '') throw GIVE_UP;
    out.push(resolvePlain(text));
    return j;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at `at`, for a node at column `col`:
   * js-yaml's rules for indentation, folding and chomping, without explicit indentation indicators.
   */
  private blockScalar(col: number, at: number): string {
    const s = this.s;
    const n = this.n;
    const folded = s.charCodeAt(at) === 0x3e;
    let chomp = 0; // 0 clip, 1 keep, -1 strip
    let h = at + 1;
    const ch = s.charCodeAt(h);
    if (ch === 0x2b /* + */) {
      chomp = 1;
      h++;
    } else if (ch === DASH) {
      chomp = -1;
      h++;
    }
    const next = s.charCodeAt(h);
    if (h < this.lineEnd && next !== SPACE) throw GIVE_UP; // an indentation indicator or junk
    this.expectLineRest(h);
    if (this.lineEnd >= n) throw GIVE_UP;

    let textIndent = col + 1;
    let detected = false;
    let emptyLines = 0;
    let didRead = false;
    let atMoreIndented = false;
    let result = '';
    let p = this.lineEnd + 1;
    for (;;) {
      let lineIndent = 0;
      while ((!detected || lineIndent < textIndent) && s.charCodeAt(p + lineIndent) === SPACE) lineIndent++;
      if (!detected && lineIndent > textIndent) textIndent = lineIndent;
      const q = p + lineIndent;
      if (q < n && s.charCodeAt(q) === LF) {
        emptyLines++;
        p = q + 1;
        continue;
      }
      if (q >= n && lineIndent > 0) {
        // blanks then the end of the text: js-yaml sees an empty line (it appends a line feed)
        emptyLines++;
        p = n;
        continue;
      }
      if (!detected && textIndent === 0) throw GIVE_UP;
      if (q >= n || lineIndent < textIndent) {
        if (!didRead) throw GIVE_UP; // an empty block scalar: rare, and js-yaml's rules for it are subtle
        if (chomp === 1) result += '\n'.repeat(1 + emptyLines);
        else if (chomp === 0) result += '\n';
        break;
      }
      if (folded) {
        const c = s.charCodeAt(q);
        if (c === SPACE || c === TAB) {
          atMoreIndented = true;
          result += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
        } else if (atMoreIndented) {
          atMoreIndented = false;
          result += '\n'.repeat(emptyLines + 1);
        } else if (emptyLines === 0) {
          if (didRead) result += ' ';
        } else {
          result += '\n'.repeat(emptyLines);
        }
      } else {
        result += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
      }
      didRead = true;
      detected = true;
      emptyLines = 0;
      let e = s.indexOf('\n', q);
      if (e === -1) e = n;
      result += s.slice(q, e);
      p = e + 1;
      if (p > n) p = n;
    }
    // p is the start of the line that ended the scalar
    this.seek(p);
    if (this.hasLine && this.indent > col) throw GIVE_UP; // less indented than the content, more than the key: an error
    return result;
  }
}

/**
 * The value of one YAML document, exactly as js-yaml would load it with KUBERNETES_SCHEMA, or
 * undefined when the document uses anything beyond plain block YAML (the caller then uses js-yaml).
 */
export function fastLoadYaml(text: string): unknown {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}
