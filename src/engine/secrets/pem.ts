/**
 * PEM blocks (RFC 7468: `-----BEGIN LABEL-----` … `-----END LABEL-----`), read in one linear pass.
 *
 * A regular expression over repeated blocks (`(-----BEGIN …-----[\s\S]*?-----END …-----\s*)+$`) backtracks
 * exponentially on a chain of certificates followed by any other line, and a lazy body
 * (`[\s\S]{0,N}?-----END`) tried at every `-----BEGIN` is quadratic on many unterminated blocks: a pull
 * request chooses this text. This reader only moves forward with `indexOf`, so its cost is linear.
 */

export interface PemBlock {
  /** The BEGIN label: `CERTIFICATE`, `RSA PRIVATE KEY`, … */
  readonly label: string;
  /** The text between the BEGIN line's `-----` and the `-----END ` that closes it. */
  readonly body: string;
  /** The END label, when it is well formed (`[A-Z0-9 ]+` followed by `-----`). */
  readonly endLabel: string | undefined;
  /** Offset of `-----BEGIN `. */
  readonly start: number;
  /** Offset just after the closing `-----` (after `-----END ` when the END label is not well formed). */
  readonly end: number;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

function isLabelChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 32; // A-Z 0-9 space
}

/** The label `[A-Z0-9 ]+` at `from`, followed by `-----`; undefined when there is none. */
function labelAt(text: string, from: number): { label: string; next: number } | undefined {
  let i = from;
  while (i < text.length && isLabelChar(text.charCodeAt(i))) i++;
  if (i === from || !text.startsWith(DASHES, i)) return undefined;
  return { label: text.slice(from, i), next: i + DASHES.length };
}

/**
 * Every PEM block of `text`, in order: each BEGIN is closed by the first `-----END ` after it. With
 * `wanted`, a BEGIN whose label it refuses is passed over (so it does not swallow a wanted block after it).
 */
export function pemBlocks(text: string, wanted?: (label: string) => boolean): PemBlock[] {
  const blocks: PemBlock[] = [];
  let at = text.indexOf(BEGIN);
  while (at !== -1) {
    const begin = labelAt(text, at + BEGIN.length);
    if (!begin || (wanted && !wanted(begin.label))) {
      at = text.indexOf(BEGIN, at + BEGIN.length);
      continue;
    }
    const close = text.indexOf(END, begin.next);
    if (close === -1) break; // no END after this BEGIN, so none after any later one either
    const end = labelAt(text, close + END.length);
    blocks.push({
      label: begin.label,
      body: text.slice(begin.next, close),
      endLabel: end?.label,
      start: at,
      end: end ? end.next : close + END.length,
    });
    at = text.indexOf(BEGIN, end ? end.next : close + END.length);
  }
  return blocks;
}

const PUBLIC_LABELS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'PUBLIC KEY', 'X509 CRL', 'CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST', 'PGP PUBLIC KEY BLOCK']);

/**
 * Whether `text` is nothing but public PEM material (certificates, public keys, CRLs, CSRs) and
 * whitespace: a CA bundle, not a secret. Any other text between or after the blocks — a private key,
 * a comment line — makes it false.
 */
export function isOnlyPublicPem(text: string): boolean {
  const blocks = pemBlocks(text);
  if (blocks.length === 0) return false;
  let at = 0;
  for (const block of blocks) {
    if (!PUBLIC_LABELS.has(block.label) || block.endLabel !== block.label) return false;
    if (text.slice(at, block.start).trim() !== '') return false;
    at = block.end;
  }
  return text.slice(at).trim() === '';
}
