/**
 * Finds ConfigMaps and Secrets that a repository's docs and scripts create by hand:
 *   - `kubectl create secret generic|tls|docker-registry NAME …` / `kubectl create configmap NAME …`
 *     (also `oc create …`, `kubectl -n ns create …`, continuation lines ending in `\`), in READMEs,
 *     shell scripts, Makefiles, workflow `run:` steps and comments in manifests;
 *   - in Markdown and in shell here-documents, a literal manifest (`kind: Secret` followed by
 *     `metadata: name: NAME`) that the reader is told to apply;
 *   - in a YAML manifest, such a literal manifest inside `#` comments (istio's
 *     `# Note: a configmap is needed …, for example:` followed by the commented-out ConfigMap).
 * Untrusted input: linear time, no regular expressions that can backtrack — lines are split with
 * indexOf and tokenised on blanks.
 */
import type { ProvidedKind } from '../model.js';

export interface CreatedObject {
  readonly kind: ProvidedKind;
  readonly name: string;
  /** `-n` / `--namespace`, when given. */
  readonly namespace?: string;
  /** 1-based line where the command (or the `kind:` line) starts. */
  readonly line: number;
  /** A command, a literal manifest in docs or a script, or a literal manifest in the comments of a YAML file. */
  readonly how: 'command' | 'manifest' | 'comment';
}

/** Flags of `kubectl create secret|configmap` (and kubectl's global flags) that take the next token as their value. */
const VALUE_FLAGS = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-o', '--output', '--from-literal', '--from-file',
  '--from-env-file', '--cert', '--key', '--docker-server', '--docker-username', '--docker-password', '--docker-email', '--type',
  '-s', '--server', '--token', '-l', '--selector', '--field-manager', '--template',
]);
/** Tokens that end a command. */
const COMMAND_END = new Set(['|', '||', '&&', ';', '>', '>>', '2>', '&', '\\']);
/** A DNS-1123 subdomain (the rule for ConfigMap and Secret names), checked without a regex. */
export function isObjectName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) continue;
    if ((c === 45 || c === 46) && i > 0 && i < s.length - 1) continue;
    return false;
  }
  return true;
}

function unquote(token: string): string {
  let t = token;
  while (t.length > 0 && (t[0] === '"' || t[0] === "'" || t[0] === '`')) t = t.slice(1);
  while (t.length > 0 && (t.at(-1) === '"' || t.at(-1) === "'" || t.at(-1) === '`' || t.at(-1) === ';' || t.at(-1) === ')')) t = t.slice(0, -1);
  return t;
}

function tokens(line: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 32;
    const blank = c === 32 || c === 9;
    if (blank) {
      if (start !== -1) out.push(line.slice(start, i));
      start = -1;
    } else if (start === -1) start = i;
  }
  return out;
}

/** Whether a token is the kubectl (or oc) command, possibly behind `$(`, a backtick, `sudo`, a path or a prompt. */
function isKubectl(token: string): boolean {
  const t = unquote(token.startsWith('$(') ? token.slice(2) : token);
  const base = t.slice(t.lastIndexOf('/') + 1);
  return base === 'kubectl' || base === 'oc' || base === 'k';
}

interface Cursor {
  i: number;
  namespace?: string;
}

/** Skips flags from `c.i`, remembering a namespace; returns the next positional token or undefined at the end of the command. */
function nextPositional(words: readonly string[], c: Cursor): string | undefined {
  while (c.i < words.length) {
    const w = words[c.i]!;
    if (COMMAND_END.has(w)) return undefined;
    if (w.startsWith('-')) {
      const eq = w.indexOf('=');
      const flag = eq === -1 ? w : w.slice(0, eq);
      if (flag === '-n' || flag === '--namespace') {
        const value = eq === -1 ? words[c.i + 1] : w.slice(eq + 1);
        if (value !== undefined) c.namespace = unquote(value);
      } else if (flag.startsWith('-n') && flag.length > 2 && !flag.startsWith('--')) c.namespace = unquote(flag.slice(2));
      c.i += eq === -1 && VALUE_FLAGS.has(flag) ? 2 : 1;
      continue;
    }
    c.i++;
    return w;
  }
  return undefined;
}

/** The object a tokenised command line creates, if it is `kubectl create secret|configmap`; `name` may be a variable (`$$s`). */
function createdBy(words: readonly string[], from: number): Omit<CreatedObject, 'line' | 'how'> | undefined {
  const c: Cursor = { i: from };
  const verb = nextPositional(words, c);
  let kind: ProvidedKind;
  if (verb === 'secrets') {
    // OpenShift's older form: `oc secrets new NAME SOURCE…` (also new-basicauth, new-sshauth, new-dockercfg)
    const sub = nextPositional(words, c);
    if (sub !== 'new' && sub !== 'new-basicauth' && sub !== 'new-sshauth' && sub !== 'new-dockercfg') return undefined;
    kind = 'Secret';
  } else if (verb === 'create') {
    const what = nextPositional(words, c);
    if (what === 'secret') {
      kind = 'Secret';
      const type = nextPositional(words, c);
      if (type !== 'generic' && type !== 'tls' && type !== 'docker-registry') return undefined;
    } else if (what === 'configmap' || what === 'cm') kind = 'ConfigMap';
    else return undefined;
  } else return undefined;
  const raw = nextPositional(words, c);
  if (raw === undefined) return undefined;
  const name = unquote(raw);
  if (!isObjectName(name) && variableName(name) === undefined) return undefined;
  // A namespace flag may also follow the name: read on to the end of the command, a bounded number
  // of words (each word is then read by at most a few commands: linear overall).
  const stop = Math.min(words.length, c.i + 32);
  while (c.i < stop && !isKubectl(words[c.i]!) && nextPositional(words, c) !== undefined) {
    /* nextPositional records -n */
  }
  return c.namespace !== undefined && isObjectName(c.namespace) ? { kind, name, namespace: c.namespace } : { kind, name };
}

const MAX_LIST = 64;

function isIdentifier(s: string): boolean {
  if (s.length === 0 || s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** `$s`, `$$s` (make), `${s}`, `$${s}`, `$(S)` (make) → `s`; anything else → undefined. */
function variableName(token: string): string | undefined {
  let t = token;
  if (t.startsWith('$$')) t = t.slice(2);
  else if (t.startsWith('$')) t = t.slice(1);
  else return undefined;
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  else if (t.startsWith('(')) t = t.endsWith(')') ? t.slice(1, -1) : t.slice(1); // unquote() may have taken the `)`
  return isIdentifier(t) ? t : undefined;
}

/**
 * Lists a script or Makefile loops over: `SECRETS := a b` / `SECRETS="a b"` assignments and
 * `for s in $(SECRETS); do` / `for s in a b; do` loops, so that `kubectl create secret generic $$s`
 * inside the loop names `a` and `b`. Only simple lists of words; the last binding of a name wins.
 */
class ShellLists {
  private readonly vars = new Map<string, string[]>();
  private readonly loops = new Map<string, string[]>();

  read(line: string): void {
    const t = line.trim();
    const words = tokens(t);
    const forAt = words.findIndex((w) => w === 'for' || w === '@for' || w === '-for' || w === '@-for');
    if (forAt !== -1 && words[forAt + 2] === 'in' && isIdentifier(words[forAt + 1] ?? '')) {
      const items: string[] = [];
      for (let i = forAt + 3; i < words.length && items.length < MAX_LIST; i++) {
        let w = words[i]!;
        if (w === 'do' || w === ';') break;
        const last = w.endsWith(';');
        if (last) w = w.slice(0, -1);
        items.push(...this.expand(unquote(w)));
        if (last) break;
      }
      this.loops.set(words[forAt + 1]!, items.slice(0, MAX_LIST));
      return;
    }
    const eq = t.indexOf('=');
    if (eq <= 0) return;
    let nameEnd = eq;
    if (t[eq - 1] === ':' || t[eq - 1] === '?' || t[eq - 1] === '+') nameEnd = eq - 1;
    const name = t.slice(0, nameEnd).trim();
    const bare = name.startsWith('export ') ? name.slice(7).trim() : name;
    if (!isIdentifier(bare)) return;
    const value = t.slice(eq + 1).trim();
    const quoted = value.startsWith('"') || value.startsWith("'") ? value.slice(1, value.indexOf(value[0]!, 1) === -1 ? undefined : value.indexOf(value[0]!, 1)) : value;
    const hash = quoted.indexOf(' #');
    const items = tokens(hash === -1 ? quoted : quoted.slice(0, hash)).map(unquote).filter(isObjectName);
    if (items.length > 0) this.vars.set(bare, items.slice(0, MAX_LIST));
  }

  private expand(word: string): string[] {
    const v = variableName(word);
    if (v !== undefined) return this.vars.get(v) ?? [];
    return isObjectName(word) ? [word] : [];
  }

  /** The names a created object's name stands for: itself, or the words of the loop over its variable. */
  names(name: string): string[] {
    if (isObjectName(name)) return [name];
    const v = variableName(name);
    return v === undefined ? [] : (this.loops.get(v) ?? []);
  }
}

/** Logical lines: physical lines joined where one ends with `\`, each with its 1-based first line number. */
function logicalLines(text: string, each: (line: string, lineNo: number) => void): void {
  let pending = '';
  let pendingStart = 0;
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    lineNo++;
    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (pending === '') pendingStart = lineNo;
    const trimmed = line.trimEnd();
    // Keep a continued command bounded: a hostile file of backslashes must not grow one line forever.
    if (trimmed.endsWith('\\') && pending.length < 4096) pending += `${trimmed.slice(0, -1)} `;
    else {
      each(pending + line, pendingStart);
      pending = '';
    }
    pos = end + 1;
  }
  if (pending !== '') each(pending, pendingStart);
}

/** `kind: Secret` → 'Secret' (trimmed line, optional list dash or quotes), else undefined. */
function kindLine(line: string): ProvidedKind | undefined {
  const t = line.trim();
  if (!t.startsWith('kind:')) return undefined;
  const v = unquote(t.slice(5).trim());
  return v === 'Secret' || v === 'ConfigMap' ? v : undefined;
}

function nameLine(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith('name:')) return undefined;
  let v = t.slice(5).trim();
  const hash = v.indexOf(' #');
  if (hash !== -1) v = v.slice(0, hash).trim();
  v = unquote(v);
  return isObjectName(v) ? v : undefined;
}

/** How far below `kind:` a literal manifest's `metadata.name` may be (labels and annotations come between). */
const NAME_WINDOW = 12;

export interface ScanOptions {
  /** Also read literal manifests (`kind: Secret` + `name:`) — for Markdown and scripts, not for YAML manifests (those are parsed). */
  readonly literalManifests: boolean;
  /** Read literal manifests inside `#` comment lines only — for YAML manifests, whose live objects are parsed. */
  readonly commentManifests?: boolean;
}

/** The text of a whole-line `#` comment without its `#` marks, or undefined when the line is not one. */
function commentBody(line: string): string | undefined {
  const t = line.trimStart();
  if (!t.startsWith('#')) return undefined;
  let i = 0;
  while (t[i] === '#') i++;
  return t.slice(i);
}

/** Every ConfigMap/Secret the text creates by command (or shows as a literal manifest), in order. */
export function findCreatedObjects(text: string, options: ScanOptions): CreatedObject[] {
  const out: CreatedObject[] = [];
  const hasCreate = text.includes('create') || text.includes('secrets new');
  const inComments = !options.literalManifests && options.commentManifests === true;
  // (cheap pre-checks: most manifests have no commented-out ConfigMap or Secret)
  const hasKind =
    text.includes('kind:') && (options.literalManifests || (inComments && text.includes('#') && (text.includes('Secret') || text.includes('ConfigMap'))));
  const how = inComments ? 'comment' : 'manifest';
  if (!hasCreate && !hasKind) return out;
  let kindAt: { kind: ProvidedKind; line: number } | undefined;
  const lists = new ShellLists();
  logicalLines(text, (line, lineNo) => {
    // in a YAML file only comment lines are read, and a live line ends the commented-out object
    const body = inComments ? commentBody(line) : line;
    if (body === undefined) kindAt = undefined;
    else if (hasKind) {
      const k = kindLine(body);
      if (k) kindAt = { kind: k, line: lineNo };
      else if (kindAt) {
        const name = nameLine(body);
        if (name !== undefined) {
          out.push({ kind: kindAt.kind, name, line: kindAt.line, how });
          kindAt = undefined;
        } else if (lineNo - kindAt.line > NAME_WINDOW) kindAt = undefined;
      }
    }
    if (!hasCreate) return;
    if (line.length <= 4096 && (line.includes('=') || line.includes('for '))) lists.read(line);
    if (!line.includes('create') && !line.includes('secrets new')) return;
    const words = tokens(line);
    for (let i = 0; i < words.length; i++) {
      // `openshift/origin cli secrets new …` (the CLI inside the OpenShift image) counts as oc
      if (!isKubectl(words[i]!) && !(words[i] === 'cli' && words[i + 1] === 'secrets')) continue;
      const made = createdBy(words, i + 1);
      if (made) for (const name of lists.names(made.name)) out.push({ ...made, name, line: lineNo, how: 'command' });
    }
  });
  return out;
}
