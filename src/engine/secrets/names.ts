/**
 * Key-name heuristics: does the name of an env var, a ConfigMap key or a config-file setting say
 * "this holds a credential"? Names are safe to print; values never are.
 */

/** Splits `spring.datasource.password`, `DB_PASSWORD`, `dbPassword`, `api-key` into upper-case words. */
const wordsCache = new Map<string, readonly string[]>();

export function nameWords(name: string): readonly string[] {
  let words = wordsCache.get(name);
  if (words === undefined) {
    words = splitWords(name);
    if (wordsCache.size > 20_000) wordsCache.clear();
    wordsCache.set(name, words);
  }
  return words;
}

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

/** Words that, as the last word of a name, say the value is about a credential but is not one. */
const NOT_A_VALUE_SUFFIXES = new Set([
  'FILE', 'FILES', 'PATH', 'PATHS', 'DIR', 'DIRECTORY', 'LOCATION', 'MOUNT', 'NAME', 'NAMES', 'REF', 'REFS', 'REFERENCE',
  'URL', 'URI', 'URLS', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'ADDR', 'ADDRESS', 'HEADER', 'HEADERS', 'ALGORITHM', 'ALGORITHMS', 'ALG', 'ALGO',
  'ID', 'IDS', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'EXPIRE', 'LIFETIME', 'TIMEOUT', 'DURATION', 'AGE', 'INTERVAL', 'PERIOD',
  'LENGTH', 'LEN', 'SIZE', 'BITS', 'MIN', 'MAX', 'COUNT', 'LIMIT', 'RETRIES', 'ATTEMPTS',
  'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED', 'ENFORCED', 'ALLOWED', 'ON', 'OFF', 'FLAG',
  'TYPE', 'KIND', 'MODE', 'POLICY', 'FORMAT', 'STRATEGY', 'METHOD', 'SCHEME', 'PROVIDER', 'SOURCE', 'STORE', 'BACKEND', 'ENGINE',
  'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'VERSION', 'PREFIX', 'SUFFIX', 'FIELD', 'PARAM', 'PARAMETER', 'PROPERTY', 'ATTRIBUTE',
  'VAR', 'VARIABLE', 'ENV', 'LABEL', 'ANNOTATION', 'NAMESPACE', 'SELECTOR', 'KEYS', 'HASH', 'HASHED', 'SALT', 'ROUNDS', 'ITERATIONS',
  'COMPLEXITY', 'STRENGTH', 'RESET', 'CHANGE', 'HINT', 'PROMPT', 'DESCRIPTION', 'HELP', 'MESSAGE', 'PATTERN', 'REGEX', 'VALIDATION',
  'ARN', 'USER', 'USERNAME', 'LOGIN', 'ACCOUNT', 'EMAIL', 'ROLE', 'GROUP', 'PUB', 'PUBLIC', 'TEMPLATE', 'GENERATOR', 'CERT', 'CERTIFICATE', 'CA',
]);

/** Words anywhere in the name that say the value is public or not a credential. */
const NOT_A_CREDENTIAL_WORDS = new Set(['PUBLIC', 'PUB', 'SITE', 'PUBLISHABLE', 'CSRF', 'XSRF']);

export type CredentialKind = 'password' | 'token' | 'secret' | 'API key' | 'private key' | 'access key' | 'credential';

/**
 * What kind of credential a key name announces, or undefined when the name does not say credential
 * (or says something *about* a credential: `PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_URL`, `CLIENT_ID`…).
 */
export function credentialKindOfName(name: string): CredentialKind | undefined {
  if (name.length === 0 || name.length > 200) return undefined;
  const words = nameWords(name);
  if (words.length === 0) return undefined;
  const last = words[words.length - 1]!;
  if (NOT_A_VALUE_SUFFIXES.has(last)) return undefined;
  if (words.some((w) => NOT_A_CREDENTIAL_WORDS.has(w))) return undefined;
  const joined = ('_' + words.join('_') + '_').replace(/_1PASSWORD_/g, '_ONEPW_');
  if (/_(PASSWORD|PASSWD|PASSPHRASE|PASSWORT|MOT_DE_PASSE|CONTRASENA)_/.test(joined)) return 'password';
  if (/_[A-Z0-9]*(PASSWORD|PASSWD)_/.test(joined)) return 'password';
  if (/_(PWD|PASS)_$/.test(joined)) return 'password';
  if (/_PRIVATE_?KEY_/.test(joined) || /_PRIVATEKEY_/.test(joined)) return 'private key';
  if (/_(API_?KEY|APIKEY)_/.test(joined)) return 'API key';
  if (/_(ACCESS_KEY|SECRET_KEY|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|ACCOUNT_KEY|AUTH_KEY|SHARED_KEY)_/.test(joined)) return 'access key';
  if (/_[A-Z0-9]*SECRET_/.test(joined)) return 'secret';
  if (/_[A-Z0-9]*TOKEN_/.test(joined)) return 'token';
  if (/_(CREDENTIAL|CREDENTIALS|CREDS)_/.test(joined)) return 'credential';
  if (joined === '_AUTH_') return 'credential';
  return undefined;
}

/** Names whose value is an identifier or a location, never the secret itself: `CLIENT_ID`, `DB_HOST`, `SECRET_NAME`, `username`. */
export function isIdentifierName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  return last !== undefined && NOT_A_VALUE_SUFFIXES.has(last);
}
