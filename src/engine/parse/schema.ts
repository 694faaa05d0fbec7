import jsyaml from 'js-yaml';

/**
 * The YAML schema Kubernetes reads manifests with: the YAML 1.2 core schema (null, booleans, numbers)
 * plus merge keys (`<<: *base`), as sigs.k8s.io/yaml does. Unlike js-yaml's default schema, a plain
 * `2024-01-01` stays a string: the API server never turns it into a timestamp (a ConfigMap value
 * written that way is the string), and not resolving timestamps also spares a regex per plain scalar.
 * Explicitly tagged values (`!!binary`, `!!timestamp`, `!!set`…) are still understood.
 */
// js-yaml exports its built-in types as `types`; @types/js-yaml does not declare it.
const types = (jsyaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set' | 'timestamp', jsyaml.Type> }).types;

export const KUBERNETES_SCHEMA = jsyaml.CORE_SCHEMA.extend({
  implicit: [types.merge],
  explicit: [types.binary, types.omap, types.pairs, types.set, types.timestamp],
});

const LOAD_OPTIONS = { schema: KUBERNETES_SCHEMA } as const;

/** One YAML document with the Kubernetes schema (throws js-yaml's YAMLException on bad input). */
export function loadYaml(text: string): unknown {
  return jsyaml.load(text, LOAD_OPTIONS);
}

/** Every document of a YAML stream with the Kubernetes schema (throws on bad input). */
export function loadAllYaml(text: string): unknown[] {
  return jsyaml.loadAll(text, undefined, LOAD_OPTIONS);
}

/**
 * One document read the way `kubectl apply -f` reads it when a mapping repeats a key: the last value
 * wins (sigs.k8s.io/yaml converts to JSON, which keeps the last). js-yaml's `json` mode does the same.
 */
export function loadYamlLastKeyWins(text: string): unknown {
  return jsyaml.load(text, { ...LOAD_OPTIONS, json: true });
}
