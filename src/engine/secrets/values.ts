/**
 * Value heuristics: placeholders, references, shapes, base64, URLs with passwords, config-file lines.
 * Every function here is total (never throws) and returns descriptions that contain no character of the value.
 */

import { credentialKindOfName, type CredentialKind } from './names.js';
import { pemBlocks } from './pem.js';

/** Values longer than this are not inspected by the shape checks (config files are inspected line by line). */
const MAX_VALUE = 256 * 1024;

/** `$(VAR)`, `${VAR}`, `{{ .Values.x }}`, SOPS `ENC[…]`, jasypt `ENC(…)`, Spring `{cipher}`, argocd-vault-plugin `<path:…>`, `vault:`… */
const MAY_REFER = /[$%{<@#:]|ENC|^projects\//;
const REFERENCE = [
  /\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{|\{\{|[#%@]\{[^{}]*\}|<path:[^<>]*>|ENC\[[A-Z0-9_]+,/,
  /^\$[A-Za-z_][A-Za-z0-9_]*$|^ENC\(.*\)$|^\{cipher\}|^projects\/[^/]+\/secrets\/|^%[sdv]$|^%\([a-z_]+\)s$/i,
  /^arn:aws:(secretsmanager|ssm|kms):/i,
];
const SECRET_MANAGER_URI = /^(vault|ref\+[a-z0-9]+|secret|secrets|sm|gcpsm|awssm|awsssm|azkv|akv|op|bws|doppler|infisical|ssm):\/{0,2}\S+/i;

export function isReferenceOrEncrypted(value: string): boolean {
  if (!MAY_REFER.test(value)) return false;
  const v = value.trim();
  for (const r of REFERENCE) if (r.test(v)) return true;
  return SECRET_MANAGER_URI.test(v) && !v.includes('@');
}

/** Words that stand for "no value yet": never a credential. */
const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changeit', 'change_it', 'replaceme', 'replace_me', 'replace-me', 'replace', 'todo', 'tbd', 'fixme',
  'placeholder', 'dummy', 'example', 'sample', 'fake', 'redacted', 'notset', 'not-set', 'not_set', 'unset', 'none', 'null', 'nil', 'undefined',
  'empty', 'n/a', 'na', '-', '--', '?', 'xyz', 'value', 'changemeplease',
]);

/**
 * Passwords that products ship with or that people type when asked for one (`admin`, `postgres`,
 * `minio123`, `supersecret`): a real credential, and the first one an attacker tries. Reported as
 * "a well-known default credential" wherever it is committed.
 */
const DEFAULT_CREDENTIALS = new Set([
  'secret', 'password', 'passw0rd', 'pass', 'pwd', 'pw', 'test', 'testing', 'foo', 'bar', 'foobar', 'baz', 'admin', 'root', 'guest',
  'default', 'user', 'username', 'token', 'apikey', 'api_key', 'api-key', 'key', 'mysecret', 'my-secret', 'mypassword', 'my-password',
  'yourpassword', 'your-password', 'your_password', 'supersecret', 'super-secret', 'topsecret', 'postgres', 'mysql', 'mongo', 'redis',
  'rabbitmq', 'elastic', 'kibana', 'minio', 'minio123', 'minioadmin', 'tmp', 'temp', 'demo', 'abc',
  'abc123', 'qwerty', 'letmein', 'welcome', 'secret123', 'password123', 'password1', 'admin123', 'pass123', 'test123', 'sonar', 'grafana',
  'prom-operator', 'keycloak', 'jenkins', 'airflow', 'superset', 'wordpress', 'ghost', 'harbor12345', 'rootpassword', 'rootpass',
  'adminpassword', 'adminpass', 'dbpassword', 'dbpass', 'userpassword', 'secretkey', 'secret-key', 'secret_key',
  'insecure', 'unsafe', 'development', 'dev', 'local', 'localhost',
]);

/** Lower-case words joined by dashes whose last word says what it is (`accounts-pwd`, `db-password`): a made-up default. */
const SELF_NAMED_DEFAULT = /^[a-z]+(-[a-z]+)*-(pwd|pass|passwd|password|secret)$/;

/** A well-known default or self-describing password (see DEFAULT_CREDENTIALS). Decided on the trimmed, unquoted value. */
export function isDefaultCredential(value: string): boolean {
  const v = value.trim().replace(QUOTED, '$1$2');
  if (v.length === 0 || v.length > 64) return false;
  const lower = v.toLowerCase();
  return DEFAULT_CREDENTIALS.has(lower) || SELF_NAMED_DEFAULT.test(lower);
}

/** A single value (not a config file, not a list of settings): whole-value placeholder and reference checks apply to it. */
export function isSingleValue(value: string): boolean {
  const v = value.trim();
  return !v.includes('\n') && !/[=;]\S/.test(v);
}

/** Empty values and obvious placeholders: `changeme`, `<your-key>`, `REPLACE_ME`, `xxx`, `***`, `TODO`, `dummy`, `example`… */
const QUOTES = /^["']|["']$/g;
const PLACEHOLDER_LOWER = [
  // my-token, your_api_key, some-secret: the value names what should be there
  /^((my|your|our)[\s_.-]?|(some|the|a|an)[\s_.-])([a-z0-9]+[\s_.-]){0,6}[a-z]*(secret|token|password|passwd|pass|pwd|key|apikey|credentials?)s?$/,
  /\bhere\b|^the\s|^some\s|^your\s|\bplease\b|^(.)\1+$|^(0123456789?|123456789?0?|1234|12345|123456|1234567|12345678)$/,
  /(change|replace)[\s_.-]*(me|it|this)|replace[\s_.-]*with|your[\s_.-]*(own[\s_.-]*)?[a-z]|^enter[\s_.-]|^insert[\s_.-]|^put[\s_.-]|^add[\s_.-]/,
  /(^|[^a-z])(todo|tbd|fixme|not[\s_-]?set|to[\s_-]?be[\s_-]?(set|filled|replaced)|fill[\s_-]?me|set[\s_-]?me)([^a-z]|$)|example|dummy|placeholder|sample|fake|redacted|changeme|replaceme|notreal|not-real/,
];
const PLACEHOLDER_RAW = [
  // nvapi-NVKEY, sk-YOUR_TOKEN: an upper-case segment that names itself
  /(^|[^A-Za-z0-9])[A-Z_]*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|APIKEY)([^A-Za-z0-9]|$)/,
  /^<[^<>]*>$|^\[[^\][]*\]$|^__[A-Za-z0-9_]+__$|^@[A-Za-z0-9_]+@$|x{3,}|\*{3,}|\.{3,}|#{3,}|_{3,}/i,
];

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (v.length > 512) return false; // placeholders are short; keeps every pattern below linear in practice
  const lower = v.toLowerCase().replace(QUOTES, '');
  if (lower.length === 0) return true;
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  for (const r of PLACEHOLDER_RAW) if (r.test(v)) return true;
  for (const r of PLACEHOLDER_LOWER) if (r.test(lower)) return true;
  return false;
}

export type Shape = 'no' | 'weak' | 'real';

const BOOLEAN_LIKE = /^(true|false|yes|no|on|off|y|n|enabled?|disabled?|none|null|nil|auto|required|optional|always|never)$/i;
const NUMBER_LIKE = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?(ms|s|m|h|d|w|y|ns|us|\u00b5s|k|ki|m|mi|g|gi|t|ti|kb|mb|gb|b|%)?$/i;
const ALGORITHMS = /^(rs|hs|es|ps)(256|384|512)$|^eddsa$|^(hmac[-_]?)?sha-?(1|224|256|384|512)$|^(hmac[-_]?)?md5$|^aes[-_]?(128|192|256)([-_](gcm|cbc|ctr))?$|^(bcrypt|argon2(id|i|d)?|scrypt|pbkdf2([-_]sha\d+)?|plain|plaintext|clear|cleartext|basic|bearer|digest|oauth2?|oidc|saml|ldap|kerberos|ntlm|jwt|hmac|rsa|ecdsa|ed25519|scram-sha-(1|256|512)|md5|crypt|sha512crypt)$/i;
const HEADER_NAME = /^(authorization|proxy-authorization|x-[a-z0-9-]+|[a-z]+(-[a-z]+)+-(key|token|secret|auth|authorization|signature))$/i;

/** Shannon entropy of the string, in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
    n++;
  }
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

function characterClasses(value: string): number {
  let n = 0;
  if (/[a-z]/.test(value)) n++;
  if (/[A-Z]/.test(value)) n++;
  if (/[0-9]/.test(value)) n++;
  if (/[^A-Za-z0-9]/.test(value)) n++;
  return n;
}

/** Keyboard and counting sequences that people type into examples: 1234, 5678, abcd, qwerty. */
export function hasSequence(value: string): boolean {
  return /0123|1234|2345|3456|4567|5678|6789|abcd|bcde|cdef|qwert|asdf/i.test(value);
}

/**
 * Does a value stored under a credential-looking name look like a credential?
 * 'no' for booleans, numbers, durations, paths, plain URLs, e-mail addresses, header names, algorithm names,
 * object names, sentences, references and placeholders; 'real' for values with the length and entropy of a
 * secret; 'weak' for the rest (short or word-like values: probably a credential, but a weak or default one).
 */
const QUOTED = /^"(.*)"$|^'(.*)'$/s;
/** Shapes that are never a secret: paths, plain URLs, e-mail addresses, sentences, object and host names, IPs, file names, ENV_VAR_NAMES. */
const NOT_SECRET_SHAPES = [
  /^(\/|\.{1,2}\/|~\/|[A-Za-z]:\\|file:)|^[^\s@]+@[^\s@]+\.[a-z]{2,}$|\s/i,
  /^[a-z]+(-[a-z]+)+$/, // object names: my-app-secret
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$|^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/, // host names, IPs
  /^[\w.-]+\.(pem|key|crt|cer|json|ya?ml|txt|p12|pfx|jks|keystore|conf|properties)$/i,
  /^(?=[A-Z0-9_]*_)[A-Z_][A-Z0-9_]{0,38}$/, // ENV_VAR_NAME
];
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
const SELF_NAMING = /pass(word|wd)?|secret|token|changeme|admin/i;

export function shapeOf(value: string): Shape {
  const v = value.trim().replace(QUOTED, '$1$2');
  if (v.length === 0 || v.length > 4096) return 'no';
  if (isReferenceOrEncrypted(v) || isPlaceholder(v)) return 'no';
  if (isDefaultCredential(v)) return 'weak';
  if (BOOLEAN_LIKE.test(v) || NUMBER_LIKE.test(v) || ALGORITHMS.test(v) || HEADER_NAME.test(v)) return 'no';
  if (URL_START.test(v) && !hasUrlPassword(v)) return 'no';
  for (const r of NOT_SECRET_SHAPES) if (r.test(v)) return 'no';
  if (isPasswordHash(v)) return 'no';
  // the value names itself (Password$123456, supersecretpassword) or counts (abcd-1234-5678): a default, not a secret
  if (SELF_NAMING.test(v) || hasSequence(v)) return 'weak';
  const h = entropy(v);
  const classes = characterClasses(v);
  if (v.length >= 8 && h >= 3 && classes >= 2) return 'real';
  if (v.length >= 16 && h >= 3.3) return 'real';
  if (v.length >= 12 && classes >= 3) return 'real';
  if (v.length >= 20 && classes >= 2 && h >= 2.5) return 'real';
  return 'weak';
}

/** A single token of 16+ characters with the entropy and character mix of generated secrets (not words joined by punctuation). */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || value.length > 4096 || /\s/.test(value)) return false;
  if (entropy(value) < 3.5 || hasSequence(value)) return false;
  const alnum = value.replace(/[^A-Za-z0-9]/g, '');
  if (alnum.length < value.length * 0.8) return false;
  const classes = (/[a-z]/.test(alnum) ? 1 : 0) + (/[A-Z]/.test(alnum) ? 1 : 0) + (/[0-9]/.test(alnum) ? 1 : 0);
  if (classes < 2) return false;
  // generated strings switch between letters and digits often; words and names do not
  const switches = alnum.match(/[A-Za-z][0-9]|[0-9][A-Za-z]|[a-z][A-Z]/g)?.length ?? 0;
  return switches >= Math.max(3, alnum.length / 8);
}

/** PEM blocks whose bodies are placeholders (`<your-client-private-key>`, `A key`, `...`). */
export function isPemPlaceholder(text: string): boolean {
  if (!text.includes('-----BEGIN ')) return false;
  let blocks = 0;
  for (const block of pemBlocks(text)) {
    if (block.endLabel === undefined) continue;
    blocks++;
    const body = block.body.replace(/\\n/g, '\n').replace(/\s+/g, '');
    if (body.length >= 64 && /^[A-Za-z0-9+/=]+$/.test(body) && !isPlaceholder(body)) return false;
  }
  return blocks > 0;
}

/** "a" or "an" before a number written in digits: an 8-character, an 11-character, a 12-character. */
export function articleForNumber(n: number): string {
  return /^(8|1[18](\d{3})*$)/.test(String(n)) ? 'an' : 'a';
}

/** A description of a value that reveals nothing of it: "a 24-character high-entropy string", "a 3-line value". */
export function describeValue(value: string): string {
  const n = [...value].length;
  if (n === 0) return 'an empty value';
  const lines = value.trim().split('\n').length;
  if (lines > 1) return `${articleForNumber(lines)} ${lines}-line value`;
  if (looksRandom(value)) return `${articleForNumber(n)} ${n}-character high-entropy string`;
  return `${articleForNumber(n)} ${n}-character value`;
}

/** bcrypt, crypt(3), argon2, LDAP-style password hashes. */
export function isPasswordHash(value: string): boolean {
  const v = value.trim();
  return /^\$(2[abxy]?|5|6|argon2(id|i|d)|scrypt|pbkdf2[\w-]*|apr1|1)\$/.test(v) || /^\{(SSHA|SHA|SSHA256|SSHA512|BCRYPT|PBKDF2[\w-]*)\}/i.test(v);
}

// ---------------------------------------------------------------------------------------------- base64

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const CRLF = /[\r\n]/g;

/**
 * Decodes a Secret `data` value the way the API server does (Go's StdEncoding: standard alphabet,
 * padding required, CR/LF ignored). Returns undefined when the API server would reject it.
 */
export function decodeSecretData(value: string): Uint8Array | undefined {
  const compact = value.includes('\n') || value.includes('\r') ? value.replace(CRLF, '') : value;
  if (compact.length % 4 !== 0 || !BASE64_CHARS.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** The bytes as text when they are (nearly all) printable UTF-8; undefined for binary content. */
export function bytesAsText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return '';
  const text = UTF8.decode(bytes);
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f) bad++;
  }
  return bad <= text.length * 0.02 ? text : undefined;
}

/**
 * A value in a ConfigMap that is probably base64 of some text: one token of the base64 alphabet,
 * at least 16 characters, decoding to printable text. Returns the decoded text.
 */
export function decodeLikelyBase64Text(value: string): string | undefined {
  if (value.length < 16 || value.length > MAX_VALUE) return undefined;
  const v = value.trim();
  if (v.length < 16) return undefined;
  if (!/^[A-Za-z0-9+/\r\n]+={0,2}$/.test(v) && !/^[A-Za-z0-9_\-\r\n]+={0,2}$/.test(v)) return undefined;
  if (/^[0-9a-f]+$/i.test(v)) return undefined;
  const bytes = new Uint8Array(Buffer.from(v.replace(/[\r\n]/g, ''), v.includes('-') || v.includes('_') ? 'base64url' : 'base64'));
  const text = bytesAsText(bytes);
  if (text === undefined || text.trim().length < 4) return undefined;
  // Require something text-like: random bytes rarely decode to printable ASCII, but be strict.
  if (!/^[\x20-\x7e\t\r\n]*$/.test(text)) return undefined;
  return text;
}

// ---------------------------------------------------------------------------------------------- URLs

const URL_WITH_USERINFO = /\b([a-z][a-z0-9+.-]{1,30}):\/\/([^\s:@/?#'"]*):([^\s@/?#'"]*)@([^\s/?#:'"]+)/gi;

/** Whether a password in userinfo is a real value (not empty, not a reference, not a placeholder). */
function isRealPassword(password: string): boolean {
  let p = password;
  try {
    p = decodeURIComponent(password);
  } catch {
    // keep raw
  }
  if (p.length === 0) return false;
  if (isReferenceOrEncrypted(p) || isPlaceholder(p)) return false;
  if (/^[$%<{[*]/.test(p)) return false;
  return true;
}

export function hasUrlPassword(text: string): boolean {
  return urlPassword(text) !== undefined;
}

/**
 * The first URL in the text whose userinfo carries a real password: its scheme (e.g. `postgres`) and
 * whether the password has the shape of a real secret ('real') or is word-like ('weak').
 */
export function urlPassword(text: string): { scheme: string; shape: 'real' | 'weak' } | undefined {
  if (text.length > MAX_VALUE || !text.includes('@')) return undefined;
  let weak: { scheme: string; shape: 'real' | 'weak' } | undefined;
  for (const m of text.matchAll(URL_WITH_USERINFO)) {
    const [, scheme, user, password] = m;
    if (user !== undefined && isReferenceOrEncrypted(user)) continue;
    if (password === undefined || !isRealPassword(password)) continue;
    let p = password;
    try {
      p = decodeURIComponent(password);
    } catch {
      // keep raw
    }
    if (shapeOf(p) === 'real') return { scheme: scheme!.toLowerCase(), shape: 'real' };
    weak ??= { scheme: scheme!.toLowerCase(), shape: 'weak' };
  }
  return weak;
}

// ---------------------------------------------------------------------------------------------- config files

export interface CredentialSetting {
  /** The setting's name inside the config file, e.g. `spring.datasource.password`. Safe to print. */
  readonly name: string;
  readonly kind: CredentialKind;
  readonly shape: Exclude<Shape, 'no'>;
  /** 1-based line inside the value. */
  readonly line: number;
}

function unquote(v: string): string {
  const t = v.trim();
  const m = /^"((?:[^"\\]|\\.)*)"\s*,?$/.exec(t) ?? /^'([^']*)'\s*,?$/.exec(t);
  if (m) return m[1]!;
  return t.replace(/,$/, '').trim();
}

/** Every name credentialKindOfName accepts contains one of these (case-insensitive); lines without one are skipped. */
const CREDENTIAL_WORD = /pass|pwd|secret|token|key|cred|auth|contrase|mot_de/i;
const LINE_PAIR = /^\s*(?:export\s+|-D|--?)?["']?([A-Za-z_][A-Za-z0-9_.\-[\]]*)["']?\s*(=|:)\s*(.*?)\s*$/;
const JSON_PAIR = /"([A-Za-z_][\w.-]*)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const XML_PAIR = /<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g;
const ARG_PAIR = /(?:^|\s)(?:-D|--?)?([A-Za-z_][A-Za-z0-9_.-]*)=(\S+)/g;
const SEGMENT_PAIR = /(?:^|[;&?])\s*([A-Za-z_][A-Za-z0-9_. -]*?)\s*=\s*([^;&]*)/g;

/**
 * Credential settings inside a text that is (or contains) a config file: `.properties`, `.env`,
 * YAML, JSON, `.ini`, XML elements, `-Dkey=value` arguments, `Password=…;` connection strings.
 */
export function credentialSettings(text: string, maxLines = 5000): CredentialSetting[] {
  const out: CredentialSetting[] = [];
  if (text.length > MAX_VALUE || !CREDENTIAL_WORD.test(text)) return out;
  const lines = text.split(/\r?\n/, maxLines);
  lines.forEach((line, i) => {
    if (line.length > 4096 || !CREDENTIAL_WORD.test(line)) return;
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#') || trimmed.startsWith(';') || trimmed.startsWith('//')) return;
    const seen = new Set<string>();
    const consider = (name: string, raw: string): void => {
      if (seen.has(name)) return;
      const kind = credentialKindOfName(name);
      if (!kind) return;
      const value = unquote(raw);
      if (value.length === 0 || /^[[{|>]$/.test(value) || /^[&*!]/.test(value)) return;
      // Config files are full of `password: required`, `passwd: files`, `token: none`: only values with
      // the shape of a real secret count there.
      const shape = shapeOf(value);
      if (shape !== 'real') return;
      seen.add(name);
      out.push({ name, kind, shape, line: i + 1 });
    };
    const m = LINE_PAIR.exec(line);
    if (m) {
      const value = m[3]!;
      // `key: value` / `key=value`; a value with further `k=v` arguments is handled below.
      if (!/\s-\w|;\s*\w+\s*=/.test(value)) consider(m[1]!, value.replace(/\s+#.*$/, ''));
    }
    for (const x of trimmed.matchAll(XML_PAIR)) consider(x[1]!, x[2]!);
    if (trimmed.includes('"')) for (const j of trimmed.matchAll(JSON_PAIR)) consider(j[1]!, j[2]!);
    if (trimmed.includes('=')) {
      for (const a of trimmed.matchAll(ARG_PAIR)) consider(a[1]!, a[2]!);
      if (trimmed.includes(';') || trimmed.includes('&')) for (const s of trimmed.matchAll(SEGMENT_PAIR)) consider(s[1]!.trim(), s[2]!);
    }
  });
  return out;
}

/** True when the text looks like a multi-setting config file rather than a single value. */
export function looksLikeConfigFile(key: string, value: string): boolean {
  if (/\.(properties|env|ya?ml|json|ini|conf|cfg|toml|xml|config|cnf|sh|txt)$/i.test(key)) return true;
  return /\n/.test(value.trim());
}
