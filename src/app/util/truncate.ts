/** Cuts `text` to at most `max` characters, ending with `note` when it had to cut (never splits a surrogate pair). */
export function truncateChars(text: string, max: number, note = '\n\n… (truncated)'): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - note.length);
  let cut = text.slice(0, room);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return (cut + note).slice(0, max);
}

/** Cuts `text` so that its UTF-8 encoding is at most `maxBytes` bytes, ending with `note` when it had to cut. */
export function truncateBytes(text: string, maxBytes: number, note = ' … (truncated)'): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  const budget = Math.max(0, maxBytes - encoder.encode(note).length);
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (encoder.encode(text.slice(0, mid)).length <= budget) lo = mid;
    else hi = mid - 1;
  }
  let cut = text.slice(0, lo);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + note;
}
