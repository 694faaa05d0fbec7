/**
 * `s` without its trailing slashes, in one backward pass: `/\/+$/` backtracks quadratically on a long
 * run of slashes followed by another character, and a request URL is chosen by whoever sends it.
 */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47 /* / */) end--;
  return end === s.length ? s : s.slice(0, end);
}
