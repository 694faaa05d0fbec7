/**
 * Key names in messages. A key comes from the repository and may be derived from a value — a kustomize
 * env-file line without `=` (`API_PASSWORD: hunter2`) becomes a key holding the whole line — so a key
 * is printed only when it is a valid ConfigMap/Secret data key (what the API server accepts:
 * `[-._a-zA-Z0-9]+`, at most 253 characters). Anything else is described by its length, never quoted.
 */

export const MAX_DATA_KEY_LENGTH = 253;

/** Whether the API server accepts `key` as a ConfigMap/Secret data key (its character set and length). */
export function isDataKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_DATA_KEY_LENGTH) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95; // a-z A-Z 0-9 - . _
    if (!ok) return false;
  }
  return true;
}

/** "a key that is not a valid data key (17 characters)": what is said instead of an invalid key. */
export function describeInvalidKey(key: string): string {
  const n = [...key].length;
  return `a key that is not a valid data key (${n} character${n === 1 ? '' : 's'})`;
}

/** `"KEY"` (or `` `KEY` `` with quote '`') for a valid data key, else its description. */
export function quotedKey(key: string, quote: '"' | '`' = '"'): string {
  return isDataKey(key) ? `${quote}${key}${quote}` : describeInvalidKey(key);
}

/** `key "KEY"` for a valid data key, else its description (`a key that is not a valid data key (17 characters)`). */
export function keyText(key: string, quote: '"' | '`' = '"'): string {
  return isDataKey(key) ? `key ${quote}${key}${quote}` : describeInvalidKey(key);
}

/**
 * A list of keys for messages: the valid ones quoted (at most `max`), the rest counted:
 * `"a", "b" and 2 keys that are not valid data keys`.
 */
export function keyList(keys: readonly string[], max = 5, conjunction: 'or' | 'and' = 'or'): string {
  const valid = keys.filter((k) => isDataKey(k));
  const invalid = keys.length - valid.length;
  const parts = valid.slice(0, max).map((k) => `"${k}"`);
  if (valid.length > max) parts.push(`${valid.length - max} more`);
  if (invalid > 0) parts.push(invalid === 1 ? 'a key that is not a valid data key' : `${invalid} keys that are not valid data keys`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts.at(-1)}`;
}
