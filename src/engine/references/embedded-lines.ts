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
  const fileLinesOf = (path: string): string[] => {
    let fileLines = lines.get(path);
    if (!fileLines) lines.set(path, (fileLines = (texts.get(path) ?? '').split('\n')));
    return fileLines;
  };
  /**
   * The file line of a setting inside a block scalar: line `index` of a literal scalar is header + index;
   * otherwise (folded, blank lines) the first line of the block that starts with the setting's name
   * followed by `=`, `:` or a blank. Anything else keeps the value's own line.
   */
  const settingLine = (outer: LineRange, path: string, at: { index: number; name: string }): LineRange => {
    const fileLines = fileLinesOf(path);
    const header = fileLines[outer.line - 1] ?? '';
    if (!BLOCK_HEADER.test(header.trimEnd().slice(-5)) || at.name.length === 0) return outer;
    const holds = (n: number): boolean => {
      if (n <= outer.line || n > outer.endLine) return false;
      const t = (fileLines[n - 1] ?? '').trim();
      if (!t.startsWith(at.name)) return false;
      const next = t.charAt(at.name.length);
      return next === '=' || next === ':' || next === ' ' || next === '\t' || next === '"' || next === "'";
    };
    const guess = outer.line + at.index;
    if (holds(guess)) return { line: guess, endLine: guess };
    for (let n = outer.line + 1; n <= outer.endLine; n++) if (holds(n)) return { line: n, endLine: n };
    return outer;
  };
  return (location) => {
    const outer = lineOf(location);
    if (location.valueLine && location.line === undefined) return settingLine(outer, location.path, location.valueLine);
    const inner = location.inner;
    if (!inner || location.line !== undefined) return outer;
    try {
      const fileLines = fileLinesOf(location.path);
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
