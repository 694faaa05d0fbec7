import type { Location } from '../model.js';

export interface LineRange {
  readonly line: number;
  readonly endLine: number;
}

/**
 * STUB — owned by the parse work. Returns a function mapping a Location to 1-based lines,
 * parsing a file with positions only the first time one of its locations is asked for.
 */
export function createLineResolver(_texts: ReadonlyMap<string, string>): (location: Location) => LineRange {
  return (location) => ({ line: location.line ?? 1, endLine: location.endLine ?? location.line ?? 1 });
}
