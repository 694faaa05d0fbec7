/**
 * One decoder of file bytes for every adapter (CLI reading the disk, App reading git blobs), so a file
 * is the same text wherever keyref reads it.
 */
const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf16le = new TextDecoder('utf-16le', { fatal: false });
const utf16be = new TextDecoder('utf-16be', { fatal: false });

/**
 * UTF-8 with U+FFFD for invalid bytes (the engine skips files holding NUL or U+FFFD as binary / not UTF-8),
 * or UTF-16 when the file starts with its byte order mark: kubectl reads UTF-16 manifests with a BOM
 * (Windows editors write them), so their Secrets are applied and must be checked like any other.
 * A byte order mark is not part of the text.
 */
export function decodeBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes);
  return utf8.decode(bytes);
}

/** Why decoded text cannot be analysed as a manifest (binary, or not UTF-8/UTF-16), or undefined when it can. */
export function undecodableReason(text: string): string | undefined {
  if (text.includes('\0')) return 'binary file (contains NUL bytes)';
  if (text.includes('\uFFFD')) return 'not UTF-8 (contains undecodable bytes)';
  return undefined;
}
