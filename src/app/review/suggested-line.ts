/**
 * The replacement text of a line for a GitHub suggestion block, or undefined when keyref should not
 * suggest one. Only lines that hold nothing but a key and the value being replaced (or only the key
 * being replaced) qualify — `key: from`, `- from`, `from:` — so a suggestion never copies anything
 * else from the file (such as a value on the same line) into a comment.
 */
export function suggestedLine(lineText: string, from: string, to: string): string | undefined {
  if (from === '' || from === to || /[\r\n]/.test(to) || /[\r\n]/.test(from)) return undefined;
  const first = lineText.indexOf(from);
  if (first === -1 || lineText.indexOf(from, first + 1) !== -1) return undefined;
  const hole = '\u0000';
  const shape = lineText.slice(0, first) + hole + lineText.slice(first + from.length);
  const simple =
    /^\s*(- +)?["']?[\w.\-/]+["']?\s*:\s+(["']?)\u0000\2\s*$/.test(shape) || // key: from
    /^\s*- +(["']?)\u0000\1\s*$/.test(shape) || // - from
    /^\s*(- +)?(["']?)\u0000\2\s*:\s*$/.test(shape); // from:
  if (!simple) return undefined;
  return lineText.slice(0, first) + to + lineText.slice(first + from.length);
}
