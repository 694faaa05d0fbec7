import { hash } from 'node:crypto';

/**
 * A finding's stable identity: rule, file and the rule's own identity parts (object, container,
 * env var, referenced name/key…), never a line number, so it survives unrelated edits.
 * Hashing keeps it opaque: identities may hold key names, never values, but a hash leaks neither.
 * The hashed text is the parts joined with NUL (SHA-256, first 20 hex digits).
 */
export function fingerprintOf(ruleId: string, path: string, identity: readonly string[]): string {
  // one-shot `hash` (Node ≥ 20.12): no Hash object per finding
  return hash('sha256', [ruleId, path, ...identity].join('\0'), 'hex').slice(0, 20);
}
