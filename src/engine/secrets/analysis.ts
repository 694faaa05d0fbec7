/**
 * One analysis per scan, shared by the six secret rules (memoized per RuleContext): extract candidate
 * values, run the known-token detectors once over all of them, then build each rule's reports.
 */

import type { Location, ManifestObject, ObjectRef, RuleReport, Severity } from '../model.js';
import type { RuleContext } from '../rules/rule.js';
import { article, credentialKindOfNameCached, detectCredential, hasPrivateKey, likelyBase64, type Detection } from './detect.js';
import { detectKnownTokens, mayBeLinted, type DetectorInput, type KnownToken } from './secretlint.js';
import {
  entryLocation,
  envLiterals,
  generatorsOf,
  generatorValues,
  isCoreKind,
  isSopsEncrypted,
  mapEntries,
  objectRefOf,
} from './collect.js';
import { bytesAsText, decodeSecretData, describeValue, isPasswordHash, isPemPlaceholder, looksRandom, isPlaceholder, isSingleValue, isReferenceOrEncrypted, shapeOf } from './values.js';
import { isIdentifierName, nameWords } from './names.js';
import { isRecord } from '../untrusted.js';
import { isOnlyPublicPem } from './pem.js';
import { describeInvalidKey, isDataKey, keyText, quotedKey } from '../key-names.js';

export interface SecretAnalysis {
  readonly plaintextSecret: readonly RuleReport[];
  readonly invalidSecretData: readonly RuleReport[];
  readonly secretTrailingNewline: readonly RuleReport[];
  readonly credentialInConfigMap: readonly RuleReport[];
  readonly credentialFromConfigMap: readonly RuleReport[];
  readonly hardcodedCredential: readonly RuleReport[];
}

export const WHY_SECRET =
  'Secret `data` is base64 — encoding, not encryption: anyone who can read the repository can decode it in seconds';
export const WHY_STRING_DATA = 'Secret `stringData` is not even encoded: anyone who can read the repository can read it';
export const WHY_GENERATOR = 'kustomize generator inputs are plain text in the repository: anyone who can read it can read them';
export const FIX_MOVE =
  'create the Secret out of band, or commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead';
export const ROTATE = 'rotate the credential: it stays in git history';
export const WHY_CONFIGMAP =
  'ConfigMaps have no RBAC split from ordinary configuration and no encryption hook: the value shows up in `kubectl describe`, logs and dashboards';

// ------------------------------------------------------------------------------------------- collection

/** strong: a credential; weak: credential-ish (named like one, a hash, binary); plain: values that do not look like credentials. */
type Strength = 'strong' | 'weak' | 'plain' | 'placeholder' | 'empty';

interface SecretEntry {
  readonly key: string;
  /** The value as written in the manifest (base64 for `data`). */
  readonly raw?: string;
  readonly text: string | undefined; // undefined: binary content
  readonly where: string;
  readonly location: Location;
  readonly input?: number; // index into detector inputs
  /** How to name the entry in a list of other values (default: its key, when printable). */
  readonly label?: string;
}

interface SecretGroup {
  readonly label: string;
  readonly why: string;
  readonly object?: ObjectRef;
  readonly identity: readonly string[];
  readonly entries: SecretEntry[];
  readonly related?: readonly string[];
}

/**
 * A ConfigMap or configMapGenerator value the credential rule grades. A scan may hold a hundred
 * thousand of them and reports a handful: a ConfigMap's entry keeps only its object and key, and what a
 * report says about it (owner, where, identity, location) is made only for the entries reported.
 */
interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  readonly input: number | undefined;
  readonly decodedInput?: number | undefined;
  readonly decoded?: string;
  /** The ConfigMap holding the entry (under `data`), or a generator value's own description. */
  readonly source: ManifestObject | GeneratedConfig;
}

interface GeneratedConfig {
  /** "The kustomize configMapGenerator `x`". */
  readonly owner: string;
  /** "literal `K`", "key `K` of the env file". */
  readonly where: string;
  readonly identity: readonly string[];
  readonly location: Location;
}

/** What a report says about a config entry: whose it is, where in it, its identity and location. */
function describeConfigEntry(c: ConfigEntry): GeneratedConfig & { readonly object?: ObjectRef } {
  const source = c.source;
  if (!('docIndex' in source)) return source;
  return {
    owner: `ConfigMap \`${source.name}\``,
    where: keyText(c.key, '`'),
    object: objectRefOf(source),
    identity: ['ConfigMap', source.namespace ?? '', source.name, c.key],
    location: entryLocation(source, 'data', c.key),
  };
}

const cache = new WeakMap<RuleContext, Promise<SecretAnalysis>>();

/** The shared analysis of a scan; computed once per context. Never rejects. */
export function analyzeSecrets(context: RuleContext): Promise<SecretAnalysis> {
  let result = cache.get(context);
  if (!result) {
    result = analyze(context).catch(() => EMPTY);
    cache.set(context, result);
  }
  return result;
}

const EMPTY: SecretAnalysis = {
  plaintextSecret: [],
  invalidSecretData: [],
  secretTrailingNewline: [],
  credentialInConfigMap: [],
  credentialFromConfigMap: [],
  hardcodedCredential: [],
};

function describeInvalid(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'number') return 'is a number, not a base64 string';
  if (typeof raw === 'boolean') return 'is a boolean, not a base64 string';
  if (typeof raw !== 'string') return 'is not a string';
  const compact = raw.replace(/[\r\n]/g, '');
  if (/[ \t]/.test(compact)) return 'contains spaces, which base64 does not allow';
  if (/[-_]/.test(compact) && /^[A-Za-z0-9_-]*={0,2}$/.test(compact)) return 'uses the URL-safe base64 alphabet (`-`, `_`); the API server expects the standard one';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || /=[^=]/.test(compact)) return 'contains characters outside the base64 alphabet';
  if (compact.length % 4 !== 0) return `has a length of ${compact.length}, not a multiple of 4 (base64 needs its \`=\` padding)`;
  return undefined;
}

/** A single line that ends with a newline, and is not a file or structured content whose parser ignores it. */
function singleLineWithNewline(key: string, text: string): boolean {
  // One `\n`, at the end, after something other than whitespace (no regex: `^[^\n]*\S[^\n]*\n$` is quadratic).
  if (text.indexOf('\n') !== text.length - 1 || !/\S/.test(text)) return false;
  if (isFileKey(key) || key.startsWith('.') || hasPrivateKey(text)) return false;
  return !/^\s*[[{]/.test(text);
}

function isFileKey(key: string): boolean {
  return /\.(crt|cert|pem|key|conf|cfg|ini|json|ya?ml|toml|xml|properties|env|txt|sh|cnf|config)$/i.test(key);
}

async function analyze(context: RuleContext): Promise<SecretAnalysis> {
  const { repo, kustomize } = context;
  const inputs: DetectorInput[] = [];
  // detectKnownTokens sends only the inputs that may hold a known token to secretlint; a value that
  // cannot (too short or too long to be linted) is not made an input at all: it has no known token.
  const addInput = (name: string, value: string): number | undefined => (mayBeLinted(value) ? inputs.push({ name, value }) - 1 : undefined);

  const secretGroups: SecretGroup[] = [];
  const invalidSecretData: RuleReport[] = [];
  const secretTrailingNewline: RuleReport[] = [];
  const configEntries: ConfigEntry[] = [];

  const progress = context.onProgress ?? (() => {});
  const objects = Array.isArray(repo.objects) ? repo.objects : [];
  for (const obj of objects) {
    if (typeof obj !== 'object' || obj === null || typeof obj.value !== 'object' || obj.value === null) continue;
    progress(obj.path);
    if (isCoreKind(obj, 'Secret')) {
      if (isSopsEncrypted(obj)) continue;
      const ref = objectRefOf(obj);
      const label = `Secret \`${obj.name}\``;
      const identity = ['Secret', obj.namespace ?? '', obj.name];
      const dataEntries: SecretEntry[] = [];
      for (const e of mapEntries(obj, 'data')) {
        if (e.raw === null || e.raw === undefined) continue;
        if (typeof e.raw === 'string' && isReferenceOrEncrypted(e.raw) && /ENC\[/.test(e.raw)) continue;
        const where = fieldKey('data', e.key);
        const bytes = typeof e.raw === 'string' ? decodeSecretData(e.raw) : undefined;
        if (!bytes) {
          const reason = describeInvalid(e.raw);
          if (reason && !(typeof e.raw === 'string' && (isReferenceOrEncrypted(e.raw) || isPlaceholder(e.raw)))) {
            invalidSecretData.push({
              location: e.location,
              object: ref,
              identity: [...identity, 'data', e.key],
              message: `${where} of ${label} ${reason}.`,
              help:
                'The API server rejects the whole Secret. Put plain values under `stringData`, or encode with `printf %s "$VALUE" | base64` — ' +
                'and do not commit a real value either way (see plaintext-secret).',
            });
          }
          if (typeof e.raw === 'string' && e.raw.length > 0) {
            dataEntries.push({ key: e.key, raw: e.raw, text: e.raw, where, location: e.location, input: addInput(e.key, e.raw) });
          }
          continue;
        }
        const text = bytesAsText(bytes);
        if (text !== undefined && singleLineWithNewline(e.key, text)) {
          secretTrailingNewline.push({
            location: e.location,
            object: ref,
            identity: [...identity, 'data', e.key],
            message: `${where} of ${label} decodes to a single line that ends with a newline (\`echo\` without \`-n\`).`,
            help:
              'The application receives the value with a trailing `\\n` (a password that never matches). ' +
              'Re-encode it with `echo -n "$VALUE" | base64` or `printf %s "$VALUE" | base64`.',
          });
        }
        dataEntries.push({ key: e.key, raw: e.raw as string, text, where, location: e.location, ...(text !== undefined ? { input: addInput(e.key, text) } : {}) });
      }
      if (dataEntries.length > 0) secretGroups.push({ label, why: WHY_SECRET, object: ref, identity: [...identity, 'data'], entries: dataEntries });
      const stringEntries: SecretEntry[] = [];
      for (const e of mapEntries(obj, 'stringData')) {
        if (e.raw === null || e.raw === undefined) continue;
        const text = typeof e.raw === 'string' ? e.raw : typeof e.raw === 'number' || typeof e.raw === 'boolean' ? String(e.raw) : undefined;
        if (text === undefined) continue;
        if (/ENC\[/.test(text) && isReferenceOrEncrypted(text)) continue;
        const where = fieldKey('stringData', e.key);
        if (singleLineWithNewline(e.key, text)) {
          secretTrailingNewline.push({
            location: e.location,
            object: ref,
            identity: [...identity, 'stringData', e.key],
            message: `${where} of ${label} is a single line that ends with a newline (a \`|\` block scalar keeps it).`,
            help: 'The application receives the value with a trailing `\\n` (a password that never matches). Use `|-` or a plain scalar.',
          });
        }
        stringEntries.push({ key: e.key, text, where, location: e.location, input: addInput(e.key, text) });
      }
      if (stringEntries.length > 0) {
        secretGroups.push({ label, why: WHY_STRING_DATA, object: ref, identity: [...identity, 'stringData'], entries: stringEntries });
      }
      continue;
    }
    if (isCoreKind(obj, 'ConfigMap')) {
      if (isSopsEncrypted(obj)) continue;
      const data = obj.value['data'];
      if (!isRecord(data)) continue;
      for (const key of Object.keys(data)) {
        const raw = data[key];
        if (typeof raw !== 'string' || raw.trim().length === 0) continue;
        const decoded = likelyBase64(raw);
        configEntries.push({
          key,
          value: raw,
          source: obj,
          input: addInput(key, raw),
          ...(decoded !== undefined ? { decoded, decodedInput: addInput(key, decoded) } : {}),
        });
      }
    }
  }

  for (const gen of generatorsOf(kustomize, 'Secret')) {
    progress(gen.kustomization);
    const values = generatorValues(gen, repo.auxFiles instanceof Map ? repo.auxFiles : new Map());
    if (values.length === 0) continue;
    const label = `the kustomize secretGenerator \`${gen.name}\``;
    secretGroups.push({
      label,
      why: WHY_GENERATOR,
      identity: ['secretGenerator', gen.kustomization, gen.name],
      entries: values.map((v) => ({ key: v.key, text: v.value, where: v.where, location: v.location, input: addInput(v.key, v.value), ...(v.malformed ? { label: v.where } : {}) })),
      related: [...new Set([gen.kustomization, ...(gen.envs ?? []).map((e) => e.source), ...(gen.files ?? []).map((f) => f.source)])],
    });
  }
  for (const gen of generatorsOf(kustomize, 'ConfigMap')) {
    progress(gen.kustomization);
    for (const v of generatorValues(gen, repo.auxFiles instanceof Map ? repo.auxFiles : new Map())) {
      if (v.value.trim().length === 0) continue;
      const decoded = likelyBase64(v.value);
      configEntries.push({
        source: {
          owner: `The kustomize configMapGenerator \`${gen.name}\``,
          where: v.where,
          identity: ['configMapGenerator', gen.kustomization, gen.name, v.key],
          location: v.location,
        },
        key: v.key,
        value: v.value,
        input: addInput(v.key, v.value),
        ...(decoded !== undefined ? { decoded, decodedInput: addInput(v.key, decoded) } : {}),
      });
    }
  }

  const envs = envLiterals(repo).map((env) => {
    const decoded = likelyBase64(env.value);
    return {
      env,
      input: addInput(env.name, env.value),
      ...(decoded !== undefined ? { decoded, decodedInput: addInput(env.name, decoded) } : {}),
    };
  });

  const tokens = await detectKnownTokens(inputs);
  const tokensOf = (i: number | undefined): readonly KnownToken[] => (i === undefined ? [] : (tokens[i] ?? []));

  // ------------------------------------------------------------------------------------------ reports

  const plaintextSecret = secretGroups.map((g) => (progress(g.entries[0]?.location.path ?? ''), secretGroupReport(g, tokensOf))).filter((r): r is RuleReport => r !== undefined);

  const credentialInConfigMap: RuleReport[] = [];
  for (const c of configEntries) {
    progress('docIndex' in c.source ? c.source.path : c.source.location.path);
    const detection = detectCredential({
      name: c.key,
      value: c.value,
      tokens: tokensOf(c.input),
      ...(c.decoded !== undefined ? { decoded: { text: c.decoded, tokens: tokensOf(c.decodedInput) } } : {}),
    });
    if (!detection) continue;
    const d = describeConfigEntry(c);
    credentialInConfigMap.push({
      severity: detection.strength === 'strong' ? 'error' : 'warning',
      location: atSetting(d.location, detection),
      ...(d.object ? { object: d.object } : {}),
      identity: d.identity,
      message: `${d.owner} holds ${detection.what} in ${d.where}.`,
      help: `${weakHelp(detection)}${WHY_CONFIGMAP}. Move it to a Secret (${FIX_MOVE}) and reference it with \`secretKeyRef\`; ${ROTATE}.`,
    });
  }

  const hardcodedCredential: RuleReport[] = [];
  for (const { env, input, decoded, decodedInput } of envs) {
    progress(env.location.path);
    const detection = detectCredential({
      name: env.name,
      value: env.value,
      tokens: tokensOf(input),
      ...(decoded !== undefined ? { decoded: { text: decoded, tokens: tokensOf(decodedInput) } } : {}),
    });
    if (!detection) continue;
    hardcodedCredential.push({
      severity: detection.strength === 'strong' ? 'error' : 'warning',
      location: env.location,
      object: env.owner,
      identity: [env.owner.kind, env.owner.namespace ?? '', env.owner.name, env.container, env.name],
      message: `Env \`${env.name}\` of container \`${env.container}\` sets ${detection.what} as a literal value.`,
      help:
        `${weakHelp(detection)}It is in ${env.owner.kind} \`${env.owner.name}\`: anyone who can read the repository or the ${env.owner.kind} sees it. ` +
        `Put it in a Secret (${FIX_MOVE}) and use \`valueFrom.secretKeyRef\`; ${ROTATE}.`,
    });
  }

  const credentialFromConfigMap: RuleReport[] = [];
  const references = Array.isArray(context.references) ? context.references : [];
  for (const ref of references) {
    if (ref.form !== 'env-configmap-key' || typeof ref.envVar !== 'string') continue;
    const kind = credentialKindOfNameCached(ref.envVar);
    if (!kind) continue;
    const key = ref.keys[0];
    credentialFromConfigMap.push({
      location: key?.location ?? ref.location,
      object: ref.owner,
      identity: [ref.owner.kind, ref.owner.namespace ?? '', ref.owner.name, ref.container ?? '', ref.envVar],
      message: `${capitalize(ref.where)} is named like ${article(kind)} ${kind} but takes its value from ConfigMap \`${ref.name}\`.`,
      help:
        `It reads ${key ? keyText(key.key, '`') : 'a key'} through \`configMapKeyRef\`. ${WHY_CONFIGMAP}. ` +
        'Keep the value in a Secret and use `secretKeyRef` instead of `configMapKeyRef`.',
    });
  }

  return { plaintextSecret, invalidSecretData, secretTrailingNewline, credentialInConfigMap, credentialFromConfigMap, hardcodedCredential };
}

/** `` `data.KEY` ``, or "a key that is not a valid data key (17 characters) under `data`". */
function fieldKey(field: 'data' | 'stringData', key: string): string {
  return isDataKey(key) ? `\`${field}.${key}\`` : `${describeInvalidKey(key)} under \`${field}\``;
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const NON_SECRET_KEY_WORDS = new Set(['USER', 'USERNAME', 'LOGIN', 'HOST', 'HOSTNAME', 'PORT', 'DATABASE', 'DB', 'NAME', 'URL', 'ENDPOINT', 'REGION', 'BUCKET', 'EMAIL', 'ID', 'CRT', 'CA', 'CERT']);

interface Graded {
  readonly entry: SecretEntry;
  readonly strength: Strength;
  /** Among entries of one strength: 3 known token, 2 credential by name or format, 1 high entropy, 0 other. */
  readonly priority: number;
  readonly detection?: Detection;
}

function gradeSecretEntry(entry: SecretEntry, tokensOf: (i: number | undefined) => readonly KnownToken[]): Graded {
  const text = entry.text;
  if (entry.raw !== undefined && entry.raw !== text && (isPlaceholder(entry.raw) || isReferenceOrEncrypted(entry.raw))) {
    return { entry, strength: 'placeholder', priority: 0 };
  }
  if (text !== undefined && isPasswordHash(text)) {
    return { entry, strength: 'weak', priority: 0, detection: { strength: 'weak', what: 'a password hash' } };
  }
  if (text === undefined) return { entry, strength: 'weak', priority: 0, detection: { strength: 'weak', what: 'binary content' } };
  const trimmed = text.trim();
  if (trimmed.length === 0) return { entry, strength: 'empty', priority: 0 };
  const tokens = tokensOf(entry.input);
  if (tokens.length === 0 && isSingleValue(text) && (isPlaceholder(text) || isReferenceOrEncrypted(text))) return { entry, strength: 'placeholder', priority: 0 };
  if (isOnlyPublicPem(text) || isPemPlaceholder(text)) return { entry, strength: 'placeholder', priority: 0 };
  // A value that is itself base64 of a placeholder (double-encoded examples).
  const inner = !text.includes('\n') ? likelyBase64(trimmed) : undefined;
  if (tokens.length === 0 && inner !== undefined && isPlaceholder(inner)) return { entry, strength: 'placeholder', priority: 0 };
  const detection = detectCredential({ name: entry.key, value: text, tokens });
  if (detection?.strength === 'strong') return { entry, strength: 'strong', priority: tokens.length > 0 ? 3 : 2, detection };
  // In a Secret, a credential-named key holds a credential: strong when it has the shape of one.
  const kind = isFileKey(entry.key) ? undefined : credentialKindOfNameCached(entry.key);
  if (kind && !trimmed.includes('\n')) {
    const shape = shapeOf(trimmed);
    const what = `${article(kind)} ${kind} (${describeValue(trimmed)})`;
    const longEnough = kind !== 'private key' || trimmed.length >= 64;
    if (shape === 'real' && longEnough) return { entry, strength: 'strong', priority: 2, detection: { strength: 'strong', what } };
    return { entry, strength: 'weak', priority: 1, detection: { strength: 'weak', what } };
  }
  if (!isIdentifierName(entry.key) && !plainKeyName(entry.key) && detection === undefined && looksRandom(trimmed)) {
    return { entry, strength: 'strong', priority: 1, detection: { strength: 'strong', what: describeValue(trimmed) } };
  }
  return detection ? { entry, strength: 'weak', priority: 0, detection } : { entry, strength: 'plain', priority: 0 };
}

/** A location that points at the line of the credential setting inside a multi-line value, when there is one. */
function atSetting(location: Location, detection: Detection): Location {
  if (!detection.setting || location.line !== undefined || location.nodePath === undefined) return location;
  return { ...location, valueLine: { index: detection.setting.line, name: detection.setting.name } };
}

/** The caveat of a weak detection, as the help's first sentence; a well-known default credential needs none (it is a credential, just a known one). */
function weakHelp(detection: Detection): string {
  return detection.strength === 'weak' && !detection.what.startsWith('a well-known default') ? 'The value is short or word-like: check whether it is a real credential. ' : '';
}

function plainKeyName(key: string): boolean {
  const words = nameWords(key);
  return words.length > 0 && words.every((w) => NON_SECRET_KEY_WORDS.has(w));
}


const RANK: Record<Strength, number> = { strong: 4, weak: 3, plain: 2, placeholder: 1, empty: 0 };

function secretGroupReport(group: SecretGroup, tokensOf: (i: number | undefined) => readonly KnownToken[]): RuleReport | undefined {
  const graded = group.entries.map((e) => gradeSecretEntry(e, tokensOf));
  let best: Graded | undefined;
  for (const g of graded) {
    if (!best || RANK[g.strength] > RANK[best.strength] || (RANK[g.strength] === RANK[best.strength] && g.priority > best.priority)) best = g;
  }
  if (!best || best.strength === 'empty') return undefined; // a Secret with no values: filled by a controller
  const others = graded.filter((g) => g !== best && g.strength !== 'empty').map((g) => g.entry.label ?? quotedKey(g.entry.key, '`'));
  const more = others.length === 0 ? '' : ` It also holds ${others.length === 1 ? 'a value' : `${others.length} values`} in ${others.slice(0, 5).join(', ')}${others.length > 5 ? '…' : ''}.`;
  const severity: Severity = best.strength === 'strong' ? 'error' : best.strength === 'weak' ? 'warning' : 'notice';
  let message: string;
  let help: string;
  if (best.strength === 'plain') {
    message = `${capitalize(group.label)} commits values that do not look like credentials (${best.entry.where}${others.length > 0 ? ` and ${others.length} more` : ''}).`;
    help = `${others.length > 0 ? `The others: ${others.slice(0, 5).join(', ')}${others.length > 5 ? '…' : ''}. ` : ''}${group.why}. If any of them is sensitive: ${FIX_MOVE}.`;
  } else if (severity === 'notice') {
    message = `${capitalize(group.label)} is committed with only empty or placeholder values (${best.entry.where}).`;
    help = `Fine as a template, but when the real values arrive, do not commit them: ${FIX_MOVE}.`;
  } else {
    const what = best.detection?.what ?? describeValue(best.entry.text ?? '');
    message = `${capitalize(group.label)} commits ${what} in ${best.entry.where}.`;
    help =
      `${best.detection ? weakHelp(best.detection) : ''}${more.trim()}${more ? ' ' : ''}${group.why}. ` +
      `${capitalize(FIX_MOVE)}; ${severity === 'error' ? ROTATE : 'if it is a real credential, rotate it: it stays in git history'}.`;
  }
  return {
    severity,
    location: best.detection ? atSetting(best.entry.location, best.detection) : best.entry.location,
    ...(group.object ? { object: group.object } : {}),
    identity: group.identity,
    message,
    help,
    ...(group.related ? { related: group.related } : {}),
  };
}
