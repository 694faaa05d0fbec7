import type { Location } from '../model.js';
import { createLineResolver, type LineRange } from '../parse/positions.js';

/** A block scalar header at the end of a line: `|`, `|-`, `>+`, `|2-`… (matched on the last 5 characters only). */
const BLOCK_HEADER = /[ :][|>][-+0-9]{0,2}$/;

/**
 * Wraps a line resolver so that locations inside YAML held in a string (`Location.inner`) get the line
 * of the file they are written on: for a block scalar (`values: |`) its content starts on the line
 * after the header and keeps its line structure, so line k of the string is header line + k. A string
 * written any other way (quoted, with `\\n` escapes) is reported at the string's own line.
 */
export function withEmbeddedLines(lineOf: (location: Location) => LineRange, texts: ReadonlyMap<string, string>): (location: Location) => LineRange {
  const inners = new Map<string, (location: Location) => LineRange>();
  const lines = new Map<string, string[]>();
  return (location) => {
    const outer = lineOf(location);
    const inner = location.inner;
    if (!inner || location.line !== undefined) return outer;
    try {
      let fileLines = lines.get(location.path);
      if (!fileLines) lines.set(location.path, (fileLines = (texts.get(location.path) ?? '').split('\n')));
      const header = fileLines[outer.line - 1] ?? '';
      if (!BLOCK_HEADER.test(header.trimEnd().slice(-5))) return { line: outer.line, endLine: outer.line };
      let resolve = inners.get(inner.text);
      if (!resolve) inners.set(inner.text, (resolve = createLineResolver(new Map([['', inner.text]]))));
      const at = resolve({ path: '', nodePath: inner.nodePath });
      return { line: outer.line + at.line, endLine: outer.line + at.endLine };
    } catch {
      return outer;
    }
  };
}
