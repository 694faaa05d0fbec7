/**
 * Extraction of the values the secret rules look at: Secret data/stringData, secretGenerator inputs,
 * ConfigMap data and configMapGenerator inputs, and literal env values of containers.
 * Only these are candidates; nothing else in a manifest is ever inspected.
 */

import type { Location, ManifestObject, NodePath, ObjectRef, ParsedRepository } from '../model.js';
import type { Generator, KustomizeModel } from '../kustomize/model.js';
import { isRecord } from '../untrusted.js';
import { describeInvalidKey, isDataKey, keyText } from '../key-names.js';

export type Entries = readonly { readonly key: string; readonly raw: unknown; readonly location: Location }[];

export function objectRefOf(obj: ManifestObject): ObjectRef {
  return obj.namespace !== undefined ? { kind: obj.kind, name: obj.name, namespace: obj.namespace } : { kind: obj.kind, name: obj.name };
}

/** SOPS-encrypted documents carry a top-level `sops:` block; every value in them is `ENC[…]`. */
export function isSopsEncrypted(obj: ManifestObject): boolean {
  return isRecord(obj.value['sops']);
}

export function isCoreKind(obj: ManifestObject, kind: 'Secret' | 'ConfigMap'): boolean {
  return obj.kind === kind && (obj.apiVersion === 'v1' || obj.apiVersion === '');
}

/** Where an entry of a string map field (`data`, `stringData`, `binaryData`) of an object is. */
export function entryLocation(obj: ManifestObject, field: string, key: string): Location {
  return { path: obj.path, docIndex: obj.docIndex, nodePath: [...obj.basePath, field, key] };
}

/** The entries of a string map field (`data`, `stringData`, `binaryData`) with their locations. */
export function mapEntries(obj: ManifestObject, field: string): Entries {
  const map = obj.value[field];
  if (!isRecord(map)) return [];
  return Object.entries(map).map(([key, raw]) => ({ key, raw, location: entryLocation(obj, field, key) }));
}

/** A value of a generator, with where it comes from (for messages) and where to point. */
export interface GeneratedValue {
  readonly key: string;
  readonly value: string;
  readonly location: Location;
  /** "literal `KEY`", "key `KEY` of the env file" (the finding is on its line), "file `path`". */
  readonly where: string;
  /** An env-file line that is not `KEY=VALUE` with a valid key: `key` and `value` are what its author meant, for grading only; print `where`. */
  readonly malformed?: true;
}

/**
 * An env-file line kustomize turns into a key that is not a valid data key (`API_PASSWORD: x`, `DB_PASS x`,
 * `export TOKEN=x`): the name and value its author meant, split at the first `:` or space, so the
 * value is judged like any other. Never printed.
 */
function meantByMalformedLine(key: string, value: string): { key: string; value: string } {
  let i = 0;
  while (i < key.length && key[i] !== ':' && !/\s/.test(key[i]!)) i++;
  const name = key.slice(0, i);
  const rest = key.slice(i + 1).trim();
  if (name === 'export' && rest !== '') return { key: rest, value };
  return { key: name, value: value !== '' ? value : rest };
}

/** Every value a generator takes from the repository: literals, env-file entries, and files present in auxFiles. */
export function generatorValues(gen: Generator, auxFiles: ReadonlyMap<string, string>): GeneratedValue[] {
  const out: GeneratedValue[] = [];
  for (const lit of gen.literals ?? []) {
    if (typeof lit.value === 'string') out.push({ key: lit.key, value: lit.value, location: lit.location, where: isDataKey(lit.key) ? `literal \`${lit.key}\`` : `a literal with ${describeInvalidKey(lit.key)}` });
  }
  for (const env of gen.envs ?? []) {
    if (env.entries === 'unknown' || !Array.isArray(env.entries)) continue;
    for (const e of env.entries) {
      if (typeof e.value !== 'string') continue;
      if (/^sops_/i.test(e.key)) continue;
      const location = { path: env.source, line: e.line, endLine: e.line };
      if (isDataKey(e.key)) {
        out.push({ key: e.key, value: e.value, location, where: `key \`${e.key}\` of the env file` });
      } else {
        const meant = meantByMalformedLine(e.key, e.value);
        out.push({ ...meant, location, where: `line ${e.line} of the env file (not \`KEY=VALUE\`)`, malformed: true });
      }
    }
  }
  for (const f of gen.files ?? []) {
    const text = auxFiles.get(f.source);
    if (typeof text !== 'string') continue;
    out.push({ key: f.key, value: text, location: f.location, where: `file \`${f.source}\` (${keyText(f.key, '`')})` });
  }
  return out;
}

export function generatorsOf(kustomize: KustomizeModel, kind: 'Secret' | 'ConfigMap'): readonly Generator[] {
  const gens = Array.isArray(kustomize.generators) ? kustomize.generators : [];
  return gens.filter((g) => g.kind === kind);
}

export interface EnvLiteral {
  readonly owner: ObjectRef;
  readonly path: string;
  readonly container: string;
  readonly name: string;
  readonly value: string;
  readonly location: Location;
}

/** Pod specs of an object, with their node paths: Pod, workloads with `spec.template`, CronJob. */
function podSpecs(obj: ManifestObject): { spec: Record<string, unknown>; path: NodePath }[] {
  const out: { spec: Record<string, unknown>; path: NodePath }[] = [];
  const spec = obj.value['spec'];
  if (!isRecord(spec)) return out;
  if (obj.kind === 'Pod') out.push({ spec, path: [...obj.basePath, 'spec'] });
  const template = spec['template'];
  if (isRecord(template) && isRecord(template['spec'])) out.push({ spec: template['spec'], path: [...obj.basePath, 'spec', 'template', 'spec'] });
  const jobTemplate = spec['jobTemplate'];
  if (isRecord(jobTemplate) && isRecord(jobTemplate['spec'])) {
    const jt = jobTemplate['spec']['template'];
    if (isRecord(jt) && isRecord(jt['spec'])) out.push({ spec: jt['spec'], path: [...obj.basePath, 'spec', 'jobTemplate', 'spec', 'template', 'spec'] });
  }
  return out;
}

/** Literal `env[].value` strings of every container (init and ephemeral included). */
export function envLiterals(repo: ParsedRepository): EnvLiteral[] {
  const out: EnvLiteral[] = [];
  for (const obj of repo.objects) {
    if (!isRecord(obj.value) || obj.kind === 'Secret' || obj.kind === 'ConfigMap') continue;
    for (const { spec, path } of podSpecs(obj)) {
      for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
        const containers = spec[field];
        if (!Array.isArray(containers)) continue;
        containers.forEach((c: unknown, ci) => {
          if (!isRecord(c) || !Array.isArray(c['env'])) return;
          const container = typeof c['name'] === 'string' ? c['name'] : `#${ci}`;
          (c['env'] as unknown[]).forEach((e, ei) => {
            if (!isRecord(e) || typeof e['name'] !== 'string' || typeof e['value'] !== 'string') return;
            out.push({
              owner: objectRefOf(obj),
              path: obj.path,
              container,
              name: e['name'],
              value: e['value'],
              location: { path: obj.path, docIndex: obj.docIndex, nodePath: [...path, field, ci, 'env', ei, 'value'] },
            });
          });
        });
      }
    }
  }
  return out;
}
