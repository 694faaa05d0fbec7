/**
 * Credential detection on one extracted value: known token formats (from secretlint), JWTs, URLs with a
 * password, key-name + shape checks, config files held in a value, and base64 of any of these.
 * Every description is built from names and lengths only.
 */

import { credentialKindOfName } from './names.js';
import type { KnownToken } from './secretlint.js';
import { pemBlocks } from './pem.js';
import {
  credentialSettings,
  decodeLikelyBase64Text,
  describeValue,
  isDefaultCredential,
  isPlaceholder,
  isReferenceOrEncrypted,
  isSingleValue,
  looksLikeConfigFile,
  shapeOf,
  urlPassword,
} from './values.js';

export interface Detection {
  /** 'strong': a human will agree this is a credential; 'weak': a credential-looking name with a short or word-like value. */
  readonly strength: 'strong' | 'weak';
  /** What was found, e.g. "a GitHub token", "a password (a 12-character value)". Never contains the value. */
  readonly what: string;
  /** For a credential setting inside a config-file value: the first one's name and 1-based line within the value. */
  readonly setting?: { readonly name: string; readonly line: number };
}

/** A value to inspect, with the known tokens secretlint found in it (and in its base64-decoded text). */
export interface Inspected {
  readonly name: string;
  readonly value: string;
  readonly tokens: readonly KnownToken[];
  /** Set when the value looks like base64 of text. */
  readonly decoded?: { readonly text: string; readonly tokens: readonly KnownToken[] };
}

const URL_KIND: Record<string, string> = {
  postgres: 'a PostgreSQL connection string',
  postgresql: 'a PostgreSQL connection string',
  mysql: 'a MySQL connection string',
  mariadb: 'a MariaDB connection string',
  mongodb: 'a MongoDB connection string',
  'mongodb+srv': 'a MongoDB connection string',
  redis: 'a Redis URL',
  rediss: 'a Redis URL',
  amqp: 'an AMQP URL',
  amqps: 'an AMQP URL',
  http: 'a URL',
  https: 'a URL',
};

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
const PRIVATE_KEY = /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/;

/** A JSON Web Token whose header decodes to JSON with an `alg`. */
export function hasJwt(value: string): boolean {
  if (value.length > 256 * 1024) return false;
  const m = JWT.exec(value);
  if (!m) return false;
  try {
    const header = JSON.parse(Buffer.from(m[0].split('.')[0]!, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header && (header as { alg: unknown }).alg !== 'none';
  } catch {
    return false;
  }
}

const isPrivateKeyLabel = (label: string): boolean => /(?:^| )PRIVATE KEY(?: BLOCK)?$/.test(label);

/** A PEM private key with a body (at least 64 base64 characters), not `<your-key>` or `A key`. */
export function hasPrivateKey(value: string): boolean {
  if (!PRIVATE_KEY.test(value)) return false;
  for (const block of pemBlocks(value, isPrivateKeyLabel)) {
    const body = block.body.replace(/\\n/g, '\n').replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    if (body.length >= 64 && /^[A-Za-z0-9+/=]+$/.test(body) && !isPlaceholder(body)) return true;
  }
  return false;
}

const kindCache = new Map<string, ReturnType<typeof credentialKindOfName>>();

/** credentialKindOfName, memoized: the same few hundred names repeat across a repository. */
export function credentialKindOfNameCached(name: string): ReturnType<typeof credentialKindOfName> {
  if (kindCache.has(name)) return kindCache.get(name);
  const kind = credentialKindOfName(name);
  if (kindCache.size > 10_000) kindCache.clear();
  kindCache.set(name, kind);
  return kind;
}

/** "a" or "an" before a word. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => `\`${n}\``);
  return names.length > 3 ? `${shown.join(', ')} and ${names.length - 3} more` : shown.join(', ');
}

/**
 * Under a password-named key, a value of 8+ characters mixing letters with digits or symbols is a
 * password, however guessable (`s3cr3t-Passw0rd-2024`): a weak password committed is still leaked.
 * Shorter or single-word values stay uncertain.
 */
function isPasswordLike(value: string): boolean {
  if (value.length < 8 || value.length > 256 || /\s/.test(value)) return false;
  let letters = false;
  let others = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters = true;
    else others = true;
  }
  return letters && others;
}

/** Detection on text that is not base64-decoded further. */
function detectText(name: string, value: string, tokens: readonly KnownToken[]): Detection | undefined {
  if (tokens.length > 0) return { strength: 'strong', what: tokens.map((t) => t.kind).join(' and ') };
  if (hasPrivateKey(value)) return { strength: 'strong', what: 'a PEM private key' };
  if (hasJwt(value)) return { strength: 'strong', what: 'a JSON Web Token' };
  const url = urlPassword(value);
  if (url) return { strength: url.shape === 'real' ? 'strong' : 'weak', what: `${URL_KIND[url.scheme] ?? `a ${url.scheme} URL`} with an embedded password` };
  const kind = credentialKindOfNameCached(name);
  const configLike = looksLikeConfigFile(name, value);
  if (kind && !configLike) {
    const shape = shapeOf(value);
    const trimmed = value.trim();
    // admin, postgres, minio123, accounts-pwd: a real credential that everyone knows — uncertain only in how much it matters
    if (shape !== 'no' && isDefaultCredential(trimmed)) return { strength: 'weak', what: `a well-known default credential (${describeValue(trimmed)})` };
    // a private key is never a short single token: short values under such names are examples
    const real = (shape === 'real' || (kind === 'password' && shape === 'weak' && isPasswordLike(trimmed))) && (kind !== 'private key' || trimmed.length >= 64);
    if (shape !== 'no') return { strength: real ? 'strong' : 'weak', what: `${article(kind)} ${kind} (${describeValue(trimmed)})` };
  }
  if (configLike || value.includes('=') || (value.includes('{') && value.includes(':'))) {
    const settings = credentialSettings(value);
    if (settings.length > 0) {
      const strong = settings.filter((s) => s.shape === 'real');
      const chosen = strong.length > 0 ? strong : settings;
      const names = [...new Set(chosen.map((s) => s.name))];
      const lines = chosen.map((s) => s.line);
      const where = configLike ? ` (line ${lines.slice(0, 3).join(', ')} of the value)` : '';
      const first = chosen[0]!;
      return {
        strength: strong.length > 0 ? 'strong' : 'weak',
        what: `${names.length === 1 ? 'a credential setting' : 'credential settings'} ${listNames(names)}${where}`,
        ...(configLike ? { setting: { name: first.name, line: first.line } } : {}),
      };
    }
  }
  return undefined;
}

/** Does this value hold a credential? Undefined when it does not (or is a reference, an encrypted value or a placeholder). */
export function detectCredential(input: Inspected): Detection | undefined {
  const { name, value } = input;
  if (value.trim().length === 0) return undefined;
  // Fast path, for the bulk of configuration values: no token, no decoded text, a name that does not
  // say credential, and nothing that could carry one (no `@`, no `=`, no newline, no JSON, no PEM/JWT).
  if (
    input.tokens.length === 0 &&
    input.decoded === undefined &&
    !/[@=\n{]|eyJ|PRIVATE KEY/.test(value) &&
    credentialKindOfNameCached(name) === undefined
  ) {
    return undefined;
  }
  if (input.tokens.length === 0 && isSingleValue(value) && (isReferenceOrEncrypted(value) || isPlaceholder(value))) return undefined;
  const direct = detectText(name, value, input.tokens);
  if (direct?.strength === 'strong') return direct;
  if (input.decoded) {
    const inner = detectText(name, input.decoded.text, input.decoded.tokens);
    if (inner && inner.strength === 'strong') return { strength: 'strong', what: `base64 of ${inner.what.replace(/ \(line [^)]*\)$/, '')}` };
  }
  return direct;
}

/** The decoded text of a ConfigMap value / env value that looks like base64 of text, when worth inspecting. */
export function likelyBase64(value: string): string | undefined {
  if (value.includes('\n') && !/^[A-Za-z0-9+/=\r\n]+$/.test(value.trim())) return undefined;
  return decodeLikelyBase64Text(value);
}
