import { createHash, hash } from 'node:crypto';

/** One-shot hashing (Node ≥ 20.12) avoids a Hash object per finding; the digest is the same. */
const sha256Hex: (data: string) => string =
  typeof hash === 'function' ? (data) => hash('sha256', data, 'hex') : (data) => createHash('sha256').update(data).digest('hex');

/**
 * A finding's stable identity: rule, file and the rule's own identity parts (object, container,
 * env var, referenced name/key…), never a line number, so it survives unrelated edits.
 * Hashing keeps it opaque: identities may hold key names, never values, but a hash leaks neither.
 * The hashed text is the parts joined with NUL (SHA-256, first 20 hex digits).
 */
export function fingerprintOf(ruleId: string, path: string, identity: readonly string[]): string {
  return sha256Hex([ruleId, path, ...identity].join('\0')).slice(0, 20);
}
