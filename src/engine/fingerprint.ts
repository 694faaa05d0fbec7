import { createHash } from 'node:crypto';

/**
 * A finding's stable identity: rule, file and the rule's own identity parts (object, container,
 * env var, referenced name/key…), never a line number, so it survives unrelated edits.
 * Hashing keeps it opaque: identities may hold key names, never values, but a hash leaks neither.
 */
export function fingerprintOf(ruleId: string, path: string, identity: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(ruleId);
  hash.update('\0');
  hash.update(path);
  for (const part of identity) {
    hash.update('\0');
    hash.update(part);
  }
  return hash.digest('hex').slice(0, 20);
}
