/** Manifests are untrusted input: any field may have any type. */

/** A plain mapping (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of plain data, or undefined when any step is missing or of the wrong type. */
export function field(v: unknown, ...path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (!isRecord(cur) || !Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
      cur = cur[step];
    }
  }
  return cur;
}
