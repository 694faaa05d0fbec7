/**
 * GitHub's published contract, for the tests: REST requests and responses checked against GitHub's
 * own OpenAPI description (`@octokit/openapi`: api.github.com and the oldest GitHub Enterprise Server
 * it ships), webhook payloads against the webhook schemas of the same description, and GraphQL
 * documents (with their variables, and the stand-in's answers) against GitHub's published GraphQL
 * schema (`@octokit/graphql-schema`). Development only: the stand-in and the nock-based app tests use
 * it; production code never loads it.
 *
 * OpenAPI 3.0 schemas are JSON Schema with a few differences; the only one GitHub's description relies
 * on is `nullable: true`, rewritten here to a `null` type before ajv sees the schemas.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import {
  buildClientSchema,
  execute,
  getVariableValues,
  Kind,
  parse,
  validate as validateDocument,
  type DocumentNode,
  type GraphQLAbstractType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
} from 'graphql';

// ajv-formats is CommonJS with a `default` export; NodeNext typings see the module object.
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (ajv: Ajv) => Ajv;

/** The descriptions every request and response is checked against (all of them must accept it). */
export const OPENAPI_SPECS = ['api.github.com', 'ghes-3.17'] as const;
export type SpecName = (typeof OPENAPI_SPECS)[number];

type Json = Record<string, any>;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly literals: number;
  readonly pointer: string;
  readonly op: Json;
}

/** What a check found wrong, one line each (empty: conforms). */
export type Problems = string[];

/**
 * Running totals of this process (written to `KEYREF_CONTRACT_REPORT` at exit, summed by scripts/test.mjs):
 * REST requests, responses (REST and GraphQL answers), GraphQL documents sent, webhook payloads.
 */
export const contractCounts = { requests: 0, responses: 0, graphql: 0, webhooks: 0 };

let reportHooked = false;
function hookReport(): void {
  if (reportHooked) return;
  reportHooked = true;
  const file = process.env.KEYREF_CONTRACT_REPORT;
  if (!file) return;
  process.on('exit', () => {
    if (contractCounts.requests + contractCounts.responses + contractCounts.graphql + contractCounts.webhooks === 0) return;
    try {
      appendFileSync(file, `${JSON.stringify(contractCounts)}\n`);
    } catch {
      // the summary is informative only
    }
  });
}

/** Keys that carry prose or examples, never constraints (dropped: a third of the size, a faster load). */
const PROSE = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'tags', 'x-github', 'x-stackQL-resource', 'x-displayName']);

/**
 * OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a `null` type (or an `anyOf` with null when there is
 * no `type`); prose and examples are dropped (`inNames`: the keys are names, as in `properties`, and kept).
 */
function toJsonSchema(node: unknown, inNames = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (!inNames && ((k === 'nullable' && v === true) || PROSE.has(k))) continue;
    out[k] = toJsonSchema(v, !inNames && (k === 'properties' || k === 'patternProperties'));
  }
  if (inNames || (node as Json).nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (Array.isArray(out.type)) return out.type.includes('null') ? out : { ...out, type: [...out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

/** Bump when `toJsonSchema` changes: the converted descriptions are cached under node_modules/.cache. */
const CONVERSION = 1;

/** The converted description `name`, from the cache when it is there (reading 13 MB and converting it costs seconds). */
function readSpec(name: SpecName): Json {
  const pkg = fileURLToPath(import.meta.resolve('@octokit/openapi/package.json'));
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  const cacheDir = join(dirname(pkg), '..', '..', '.cache', 'keyref-contract');
  const cached = join(cacheDir, `${name}-${version}-${CONVERSION}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as Json;
  } catch {
    // not cached yet (or unreadable): convert
  }
  const spec = toJsonSchema(JSON.parse(readFileSync(join(dirname(pkg), 'generated', `${name}.json`), 'utf8'))) as Json;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(spec));
    renameSync(tmp, cached); // atomic: test processes run in parallel
  } catch {
    // a read-only install: convert every time
  }
  return spec;
}

function pointerEscape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function formatErrors(errors: readonly ErrorObject[] | null | undefined, what: string): Problems {
  if (!errors || errors.length === 0) return [];
  // anyOf/oneOf failures repeat every branch's error: keep the first few, they name the place
  // (KEYREF_CONTRACT_ERRORS=40 shows more, when fixing many at once).
  return errors.slice(0, Number(process.env.KEYREF_CONTRACT_ERRORS ?? 4)).map((e) => `${what}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
}

class OpenApiSpec {
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly id: string;

  constructor(
    readonly name: SpecName,
    private readonly spec: Json,
    private readonly ajv: Ajv,
    private readonly coercing: Ajv,
  ) {
    this.id = `https://keyref.invalid/openapi/${name}.json`;
    ajv.addSchema(spec, this.id);
    coercing.addSchema(spec, this.id);
    for (const [template, item] of Object.entries(spec.paths as Json)) {
      const names: string[] = [];
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      });
      const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = (item as Json)[method] as Json | undefined;
        if (!op) continue;
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${source}$`),
          names,
          literals,
          pointer: `#/paths/${pointerEscape(template)}/${method}`,
          op,
        });
      }
    }
    // The most specific template first (`/pulls/comments/{id}` before `/pulls/{pull_number}/...`).
    this.operations.sort((a, b) => b.literals - a.literals);
  }

  find(method: string, path: string): (Operation & { params: Record<string, string> }) | undefined {
    for (const o of this.operations) {
      if (o.method !== method) continue;
      const m = o.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      o.names.forEach((n, i) => (params[n] = m[i + 1]!));
      return { ...o, params };
    }
    return undefined;
  }

  /** Follows a local `$ref` (`#/components/...`). */
  deref<T = Json>(node: Json): T {
    let current: Json = node;
    for (let i = 0; i < 10 && typeof current?.$ref === 'string'; i++) {
      const parts = (current.$ref as string).replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      current = parts.reduce<Json>((n, p) => n?.[p], this.spec);
    }
    return current as T;
  }

  private validator(pointer: string): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }

  /** Query and path parameters arrive as text: coerced to the schema's type, as a property (coercion needs a parent). */
  private parameterValidator(schemaPointer: string): ValidateFunction {
    const key = `param:${schemaPointer}`;
    let v = this.compiled.get(key);
    if (!v) {
      v = this.coercing.compile({ type: 'object', properties: { value: { $ref: `${this.id}#${schemaPointer}` } } });
      this.compiled.set(key, v);
    }
    return v;
  }

  checkRequest(method: string, path: string, query: Readonly<Record<string, string>>, body: unknown): Problems {
    const op = this.find(method, path);
    if (!op) return [`${this.name}: no operation ${method} ${path}`];
    const where = `${this.name} ${method} ${op.template}`;
    const problems: Problems = [];
    const params = ((op.op.parameters as Json[] | undefined) ?? []).map((p, i) => ({ p: this.deref(p), i }));
    for (const { p, i } of params) {
      const pointer = `${op.pointer}/parameters/${i}`;
      const schemaPointer = typeof op.op.parameters[i].$ref === 'string' ? `${(op.op.parameters[i].$ref as string).slice(1)}/schema` : `${pointer.slice(1)}/schema`;
      const value = p.in === 'path' ? op.params[p.name] : p.in === 'query' ? query[p.name] : undefined;
      if (p.in !== 'path' && p.in !== 'query') continue;
      if (value === undefined) {
        if (p.required) problems.push(`${where}: missing required ${p.in} parameter ${p.name}`);
        continue;
      }
      const holder = { value: p.in === 'path' ? decodeURIComponent(value) : value };
      const validate = this.parameterValidator(schemaPointer);
      if (!validate(holder)) problems.push(...formatErrors(validate.errors, `${where}: ${p.in} parameter ${p.name}`));
    }
    const known = new Set(params.filter(({ p }) => p.in === 'query').map(({ p }) => p.name as string));
    for (const k of Object.keys(query)) if (!known.has(k)) problems.push(`${where}: unknown query parameter ${k}`);
    const requestBody = op.op.requestBody ? this.deref(op.op.requestBody) : undefined;
    const hasBody = body !== undefined && body !== '';
    if (!requestBody) {
      if (hasBody && method !== 'GET' && method !== 'DELETE') problems.push(`${where}: sends a body the operation does not take`);
    } else if (!hasBody) {
      if (requestBody.required) problems.push(`${where}: missing the required request body`);
    } else {
      const content = requestBody.content as Json;
      const type = Object.keys(content).find((t) => t.includes('json'));
      if (!type) problems.push(`${where}: the operation takes no JSON body`);
      else {
        const base = typeof op.op.requestBody.$ref === 'string' ? (op.op.requestBody.$ref as string) : `${op.pointer}/requestBody`;
        const validate = this.validator(`${base}/content/${pointerEscape(type)}/schema`);
        if (!validate(body)) problems.push(...formatErrors(validate.errors, `${where}: body`));
      }
    }
    return problems;
  }

  checkResponse(method: string, path: string, status: number, body: unknown, contentType: string): Problems {
    const op = this.find(method, path);
    if (!op) return [`${this.name}: no operation ${method} ${path}`];
    const where = `${this.name} ${method} ${op.template} → ${status}`;
    const responses = op.op.responses as Json;
    const declared = responses[String(status)];
    if (!declared) {
      // Errors GitHub documents loosely (401, 403, 404, 422 on some routes) are not held to a schema; a success must be declared.
      return status < 300 ? [`${where}: status not declared (declared: ${Object.keys(responses).join(', ')})`] : [];
    }
    const response = this.deref(declared);
    const content = response.content as Json | undefined;
    if (!content) return body === undefined || body === '' ? [] : [`${where}: a body where none is declared`];
    if (!/json/.test(contentType)) return []; // raw media types (e.g. file contents) are not JSON-described
    const type = Object.keys(content).find((t) => t.includes('json'));
    if (!type || !content[type].schema) return [];
    const base = typeof declared.$ref === 'string' ? (declared.$ref as string) : `${op.pointer}/responses/${status}`;
    const validate = this.validator(`${base}/content/${pointerEscape(type)}/schema`);
    return validate(body) ? [] : formatErrors(validate.errors, `${where}: body`);
  }

  /** Webhook payload of `event` (`pull_request`) with `action` (`opened`); undefined when this description has no such webhook. */
  checkWebhook(event: string, action: string | undefined): ((payload: unknown) => Problems) | undefined {
    const hooks = this.spec['x-webhooks'] as Json;
    const key = [event.replace(/_/g, '-'), action?.replace(/_/g, '-')].filter(Boolean).join('-');
    const hook = hooks[key]?.post as Json | undefined;
    if (!hook) return undefined;
    const content = this.deref(hook.requestBody).content as Json;
    const type = Object.keys(content).find((t) => t.includes('json'))!;
    const validate = this.validator(`#/x-webhooks/${pointerEscape(key)}/post/requestBody/content/${pointerEscape(type)}/schema`);
    return (payload) => (validate(payload) ? [] : formatErrors(validate.errors, `${this.name} webhook ${key}: payload`));
  }
}

export interface Contract {
  /** A REST request (path without `/api/v3`, query as sent, parsed JSON body); every description must accept it. */
  checkRequest(method: string, path: string, query: Readonly<Record<string, string>>, body: unknown): Problems;
  /** A REST response (JSON-decoded body) to that request. */
  checkResponse(method: string, path: string, status: number, body: unknown, contentType?: string): Problems;
  /** A GraphQL request body (`{ query, variables }`): parses, validates against the schema, variables coerce. */
  checkGraphqlRequest(body: unknown): Problems;
  /** A GraphQL answer to that request: `data` has exactly the selected fields, with the schema's types and nullability. */
  checkGraphqlResponse(request: unknown, response: unknown): Problems;
  /** A webhook payload (`pull_request` + its `action`) against each description that has that webhook. */
  checkWebhook(event: string, payload: unknown): Problems;
}

let loaded: Contract | undefined;

/** Loads the descriptions once per process (a second or two: ~25 MB of JSON and a 5 MB introspection result). */
export function loadContract(): Contract {
  if (loaded) return loaded;
  hookReport();
  const options = { strict: false, allErrors: true, validateSchema: false, addUsedSchema: false, inlineRefs: false } as const;
  const ajv = new Ajv(options);
  const coercing = new Ajv({ ...options, coerceTypes: true });
  for (const a of [ajv, coercing]) {
    addFormats(a);
    // GitHub-specific format names, descriptive only.
    for (const f of ['repo.nwo', 'timestamp', 'int32', 'int64', 'double', 'float', 'binary', 'byte', 'password']) a.addFormat(f, true);
  }
  const specs = OPENAPI_SPECS.map((name) => new OpenApiSpec(name, readSpec(name), ajv, coercing));
  let graphqlSchema: GraphQLSchema | undefined;
  // The package's introspection result (its SDL file repeats two fields, which `buildSchema` rejects); loaded on first use.
  const schema = (): GraphQLSchema =>
    (graphqlSchema ??= buildClientSchema(
      JSON.parse(readFileSync(new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema')), 'utf8')) as IntrospectionQuery,
    ));
  const documents = new Map<string, { document?: DocumentNode; problems: Problems }>();

  const parseDocument = (query: string): { document?: DocumentNode; problems: Problems } => {
    let entry = documents.get(query);
    if (!entry) {
      try {
        const document = parse(query);
        entry = { document, problems: validateDocument(schema(), document).map((e) => `GraphQL: ${e.message}`) };
      } catch (error) {
        entry = { problems: [`GraphQL: ${(error as Error).message}`] };
      }
      documents.set(query, entry);
    }
    return entry;
  };

  loaded = {
    checkRequest(method, path, query, body) {
      contractCounts.requests++;
      return specs.flatMap((s) => s.checkRequest(method, path, query, body));
    },
    checkResponse(method, path, status, body, contentType = 'application/json') {
      contractCounts.responses++;
      return specs.flatMap((s) => s.checkResponse(method, path, status, body, contentType));
    },
    checkGraphqlRequest(body) {
      contractCounts.graphql++;
      const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
      if (typeof query !== 'string') return ['GraphQL: the body has no query string'];
      const { document, problems } = parseDocument(query);
      if (!document || problems.length > 0) return problems;
      const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (ops.length !== 1) return [`GraphQL: expected one operation, found ${ops.length}`];
      const coerced = getVariableValues(schema(), ops[0]!.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
      const out = (coerced.errors ?? []).map((e) => `GraphQL variables: ${e.message}`);
      const declared = new Set((ops[0]!.variableDefinitions ?? []).map((v) => v.variable.name.value));
      for (const k of Object.keys((variables ?? {}) as object)) if (!declared.has(k)) out.push(`GraphQL variables: $${k} is not declared`);
      return out;
    },
    checkGraphqlResponse(request, response) {
      contractCounts.responses++;
      const { query, variables } = (request ?? {}) as { query?: string; variables?: Record<string, unknown> };
      const { data, errors } = (response ?? {}) as { data?: unknown; errors?: unknown[] };
      if (typeof query !== 'string') return [];
      const { document, problems } = parseDocument(query);
      if (!document || problems.length > 0) return []; // the request was already reported
      // An answer with errors may hold partial data (nulls where the error happened): held to the types only where present.
      if (errors !== undefined && (!Array.isArray(errors) || errors.some((e) => typeof (e as Json)?.message !== 'string'))) {
        return ['GraphQL response: errors must be a list of { message }'];
      }
      if (data === null || data === undefined) return errors ? [] : ['GraphQL response: neither data nor errors'];
      // Execute the document over the answer itself: each field reads its response key, so the result is the
      // answer as GitHub's types would serialize it (non-null, lists, scalars); any difference is a contract violation.
      const result = execute({
        schema: schema(),
        document,
        rootValue: data,
        variableValues: variables ?? {},
        fieldResolver: (source: Json | null, _args, _ctx, info) => source?.[info.path.key as string],
        typeResolver: (value: Json, _ctx, info, abstractType: GraphQLAbstractType) => {
          if (typeof value?.__typename === 'string') return value.__typename;
          const conditions = new Set<string>();
          for (const node of info.fieldNodes)
            for (const s of node.selectionSet?.selections ?? []) if (s.kind === Kind.INLINE_FRAGMENT && s.typeCondition) conditions.add(s.typeCondition.name.value);
          const possible = schema().getPossibleTypes(abstractType);
          const fits = (t: (typeof possible)[number]): boolean => Object.keys(value ?? {}).every((k) => k in t.getFields());
          return (possible.find((t) => conditions.has(t.name) && fits(t)) ?? possible.find(fits) ?? possible[0])?.name;
        },
      }) as { errors?: readonly { message: string; path?: readonly (string | number)[] }[]; data?: unknown };
      const out: Problems = [];
      for (const e of result.errors ?? []) if (!errors) out.push(`GraphQL response: ${e.message} at ${(e.path ?? []).join('.')}`);
      const normal = JSON.parse(JSON.stringify(result.data ?? null)) as unknown;
      if (!errors && !isDeepStrictEqual(normal, data)) out.push(`GraphQL response: data differs from the selection's shape: ${JSON.stringify(data).slice(0, 300)} vs ${JSON.stringify(normal).slice(0, 300)}`);
      return out;
    },
    checkWebhook(event, payload) {
      contractCounts.webhooks++;
      const action = (payload as Json | undefined)?.action as string | undefined;
      const checks = specs.map((s) => ({ s, check: s.checkWebhook(event, action) }));
      if (!checks.some((c) => c.check)) return [`no webhook ${event}${action ? `.${action}` : ''} in ${OPENAPI_SPECS.join(' or ')}`];
      return checks.flatMap(({ check }) => (check ? check(payload) : []));
    },
  };
  return loaded;
}

/** Formats problems for a failing test: what, then one problem a line. */
export function describeProblems(what: string, problems: readonly string[]): string {
  return `${what} breaks GitHub's published contract:\n  ${problems.join('\n  ')}`;
}
