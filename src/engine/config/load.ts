import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { distance } from 'fastest-levenshtein';
import { z, type ZodIssue, type ZodTypeAny } from 'zod';
import { rules as registeredRules } from '../rules/index.js';
import { configSchema, DEFAULT_CONFIG, type EngineConfig } from './schema.js';

export type ConfigResult =
  | { readonly ok: true; readonly config: EngineConfig }
  | {
      readonly ok: false;
      /** Every problem, one per line, each naming the file, line and field: "`.github/keyref.yml` line 4: rules.missing-key: …". */
      readonly message: string;
      /** Line of the first problem, when known. */
      readonly line?: number;
    };

export interface ParseConfigOptions {
  /** Valid rule ids for `rules:`; default: the ids of the rule registry. */
  readonly ruleIds?: readonly string[];
}

type Path = readonly (string | number)[];

/** `rules.missing-key`, `externalObjects[0].kind` */
export function formatFieldPath(path: Path): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** The line of the node at `path`, else of its nearest ancestor that exists. With `key`, the line of that key in the map at `path`. */
function lineOf(doc: Document, counter: LineCounter, path: Path, key?: string): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node)) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
    }
    if (node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The fields the schema allows in the mapping at `path` (unwrapping defaults, optionals and arrays). */
function allowedKeys(path: Path): string[] {
  let schema: ZodTypeAny = configSchema;
  const unwrap = () => {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema._def.innerType as ZodTypeAny;
  };
  unwrap();
  for (const part of path) {
    if (schema instanceof z.ZodArray && typeof part === 'number') schema = schema.element as ZodTypeAny;
    else if (schema instanceof z.ZodObject && typeof part === 'string') {
      const next = (schema.shape as Record<string, ZodTypeAny>)[part];
      if (!next) return [];
      schema = next;
    } else return [];
    unwrap();
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}

function unknownFieldText(path: Path, key: string): string {
  const allowed = allowedKeys(path);
  const near = allowed.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(k.length / 4)));
  const hint = near.length > 0 ? ` (did you mean "${near[0]}"?)` : '';
  return `${formatFieldPath([...path, key])}: unknown field${hint}${allowed.length > 0 ? `; valid fields: ${allowed.join(', ')}` : ''}`;
}

function issueText(issue: ZodIssue, data: unknown): { path: Path; key?: string; text: string }[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path, key, text: unknownFieldText(path, key) }));
    case 'invalid_enum_value':
      return [{ path, text: `${formatFieldPath(path)}: expected one of ${issue.options.join('|')}` }];
    case 'invalid_type': {
      const got = valueAt(data, path);
      return [
        {
          path,
          text: `${formatFieldPath(path)}: ${issue.received === 'undefined' ? `missing required field (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(got)}`}`,
        },
      ];
    }
    default:
      return [{ path, text: `${formatFieldPath(path) || '(top level)'}: ${issue.message}` }];
  }
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

function fail(problems: { line?: number; text: string }[], sourceName: string): ConfigResult {
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const message = problems.map((p) => `\`${sourceName}\`${p.line !== undefined ? ` line ${p.line}` : ''}: ${p.text}`).join('\n');
  const line = problems[0]?.line;
  return line !== undefined ? { ok: false, message, line } : { ok: false, message };
}

/**
 * Reads `.github/keyref.yml` (or any configuration text). Pure: never throws; every problem names
 * the file, the line and the field. An empty file (or only comments) is the default configuration.
 */
export function parseConfig(text: string, sourceName: string, options: ParseConfigOptions = {}): ConfigResult {
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return fail([{ text: `not valid YAML (${error instanceof Error ? error.message : String(error)})` }], sourceName);
  }
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.slice(0, 5).map((e) => ({ line: counter.linePos(e.pos[0]).line, text: `not valid YAML: ${e.message.split('\n')[0]}` })),
      sourceName,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return fail([{ text: `not valid YAML (${error instanceof Error ? error.message : String(error)})` }], sourceName);
  }
  if (data === null || data === undefined) return { ok: true, config: DEFAULT_CONFIG };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([{ line: lineOf(doc, counter, []) ?? 1, text: `expected a mapping of settings at the top level, got ${describe(data)}` }], sourceName);
  }

  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issueText(issue, data).map((p) => {
        const line = lineOf(doc, counter, p.path, p.key);
        return line !== undefined ? { line, text: p.text } : { text: p.text };
      }),
    );
    return fail(problems, sourceName);
  }

  const known = new Set(options.ruleIds ?? registeredRules.map((r) => r.meta.id));
  const unknown = Object.keys(parsed.data.rules).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const valid = [...known].sort().join(', ') || '(no rules are registered)';
    return fail(
      unknown.map((id) => {
        const line = lineOf(doc, counter, ['rules'], id);
        const near = [...known].filter((k) => distance(k, id) <= Math.max(1, Math.floor(k.length / 4)));
        const text = `rules.${id}: unknown rule id${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ''}; valid ids: ${valid}`;
        return line !== undefined ? { line, text } : { text };
      }),
      sourceName,
    );
  }
  return { ok: true, config: parsed.data };
}
