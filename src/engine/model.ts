/**
 * The data model shared by every stage of the engine:
 *   files → parse → objects/kustomizations → providers + references → rules → findings.
 * Everything here is plain data; no stage touches GitHub, the file system or the clock.
 */

export type Severity = 'error' | 'warning' | 'notice';
export const SEVERITY_RANK: Record<Severity, number> = { notice: 0, warning: 1, error: 2 };

/** A file handed to the engine by an adapter (CLI, GitHub App). `path` is POSIX, relative to the scanned root. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** A path to a node inside a YAML/JSON document: map keys and sequence indexes. */
export type NodePath = readonly (string | number)[];

/**
 * Where a finding points. Lines are resolved lazily (only for findings) from `docIndex` + `nodePath`,
 * so the hot path never pays for a position-keeping parse. `line` is set directly for non-YAML
 * sources (for example a line in a kustomize `.env` file).
 */
export interface Location {
  readonly path: string;
  /** Index of the YAML document in its file (0 for single-document and JSON files). */
  readonly docIndex?: number;
  /** Path from the document root to the node; for `*List` items it starts with ['items', i]. */
  readonly nodePath?: NodePath;
  /** When the node is a map key/value pair, point at the key (`key`) or at the value (`value`, default). */
  readonly part?: 'key' | 'value';
  /** 1-based line, when known without a YAML position lookup. */
  readonly line?: number;
  readonly endLine?: number;
  /**
   * For a node inside YAML held in a string (Argo CD `helm.values: |`): `nodePath` points at the
   * string, and this at the node within the string's own YAML. Lines are counted into the file.
   */
  readonly inner?: { readonly text: string; readonly nodePath: NodePath };
  /**
   * For a setting inside a multi-line string value (`spring.datasource.password=…` in
   * `application.properties: |`): its 1-based line within the value and its name. When the value is a
   * block scalar, the finding points at the file line that holds the setting (found by its name, so
   * folded `>` scalars work too); otherwise at the value's own line.
   */
  readonly valueLine?: { readonly index: number; readonly name: string };
}

/** A Kubernetes kind/name/namespace triple, as shown in messages and findings. */
export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** One Kubernetes object found in a file (a document, or an item of a `*List`). */
export interface ManifestObject extends ObjectRef {
  readonly apiVersion: string;
  readonly path: string;
  readonly docIndex: number;
  /** [] for a top-level document, ['items', i] for an item of a List. Prefix of every nodePath into this object. */
  readonly basePath: NodePath;
  /** The object as plain JS data (untrusted: every field may have any type). */
  readonly value: Readonly<Record<string, unknown>>;
}

/** Why a file was not read as manifests, or what went wrong while reading it. */
export interface FileProblem {
  readonly path: string;
  /** 'duplicate-key': a mapping repeats a key; the document is still read (last value wins, as kubectl does). */
  readonly kind: 'parse-error' | 'skipped' | 'duplicate-key';
  /** Human reason, safe to print (never contains file content). */
  readonly reason: string;
  readonly line?: number;
  readonly docIndex?: number;
}

/**
 * Something that could hold references but that keyref does not analyse, with the reason: a file it
 * could not read, a Helm chart whose templates are not rendered, a HelmRelease/Application of a chart
 * keyref cannot see, a remote kustomize base, a kustomize plugin, a generator input that is not in the
 * repository. Adapters name every one of them ("not analysed: …"), so that a repository whose workloads
 * keyref cannot see never reads as a clean pass.
 */
export interface Skipped {
  readonly path: string;
  /** What it is; see SKIPPED_KINDS for the ones the engine reports (other stages may add their own). */
  readonly kind: SkippedKind;
  /** Human reason, safe to print (paths and field names only, never file content). */
  readonly reason: string;
  readonly line?: number;
  readonly docIndex?: number;
}

/** Kinds of things not analysed; each has a singular/plural label for the one-line count. */
export const SKIPPED_KINDS = {
  file: ['file not read', 'files not read'],
  'helm-chart': ['Helm chart', 'Helm charts'],
  'helm-release': ['Helm release of a chart not in the repository', 'Helm releases of charts not in the repository'],
  'remote-base': ['remote kustomize resource', 'remote kustomize resources'],
  'kustomize-plugin': ['kustomize plugin', 'kustomize plugins'],
  'flux-components': ['Flux Kustomization with components', 'Flux Kustomizations with components'],
  'generator-input': ['missing generator input', 'missing generator inputs'],
  'selector-patch': ['kustomize patch with a selector target', 'kustomize patches with a selector target'],
} as const;

export type SkippedKind = keyof typeof SKIPPED_KINDS;

/** A file that was not read at all (FileProblem 'skipped') as a Skipped entry. */
export function fileSkipped(problem: FileProblem): Skipped {
  return {
    path: problem.path,
    kind: 'file',
    reason: problem.reason,
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    ...(problem.docIndex !== undefined ? { docIndex: problem.docIndex } : {}),
  };
}

/** A document that is a file whose name is kustomization.yaml / .yml / Kustomization. */
export interface KustomizationDoc {
  readonly path: string;
  readonly value: Readonly<Record<string, unknown>>;
}

export interface ParsedRepository {
  readonly objects: readonly ManifestObject[];
  readonly kustomizations: readonly KustomizationDoc[];
  readonly problems: readonly FileProblem[];
  /** Non-manifest files the adapter supplied (kustomize generator inputs such as .env / .properties). */
  readonly auxFiles: ReadonlyMap<string, string>;
  /** Number of YAML/JSON documents read (for figures). */
  readonly documentCount: number;
}

/**
 * The build contexts a file takes part in: one per chain of kustomizations that includes it,
 * or a single empty scope when no kustomization does.
 */
export interface BuildScope {
  /** The namespace the build sets: the outermost kustomization of the chain that has `namespace:` wins (as in kustomize); undefined when none sets one. */
  readonly namespace?: string;
  /** Concatenated namePrefix of the chain (outermost first). */
  readonly namePrefix: string;
  /** Concatenated nameSuffix of the chain (innermost first). */
  readonly nameSuffix: string;
  /** Path of the kustomization that is the root of this chain, if any. */
  readonly root?: string;
}

/** Where an object lands in one root kustomize build: the build's root kustomization, its final name and namespace. */
export interface BuildPlacement {
  readonly root: string;
  /** The name after the build's prefixes/suffixes (for a reference: its owner's name). */
  readonly name: string;
  readonly namespace?: string;
}

export type ProvidedKind = 'ConfigMap' | 'Secret';

/** Something that makes a ConfigMap or Secret exist, with its set of keys. */
export interface Provider {
  readonly kind: ProvidedKind;
  /** The object's own name. */
  readonly name: string;
  /** Every name the object is known by: its own and with the kustomize prefixes/suffixes of the builds that include it. */
  readonly names: readonly string[];
  /** Namespaces it exists in; an entry `undefined` means "unset" (matches any namespace). */
  readonly namespaces: readonly (string | undefined)[];
  /** The keys it holds, or 'unknown' when any key may exist (ExternalSecret dataFrom, env file not in repo…). */
  readonly keys: ReadonlySet<string> | 'unknown';
  /** Which provider module made it, for messages: 'ConfigMap', 'kustomize secretGenerator', 'SealedSecret', 'built-in', … */
  readonly via: string;
  /** Where it is defined, when it is defined in the repository. */
  readonly location?: Location;
  /** For Secrets: the `type` field (e.g. kubernetes.io/tls). */
  readonly secretType?: string;
  /** The kustomize builds it is part of; absent when no kustomization builds it (a plain file, the configuration, the cluster). */
  readonly builds?: readonly BuildPlacement[];
  /**
   * Set for a kustomize patch or a `behavior: merge|replace` generator: it changes an object the
   * build defines elsewhere and makes none exist (`replace`: its keys replace the object's).
   */
  readonly modifies?: 'merge' | 'replace';
}

/** Read-only lookups over every provider in the repository and configuration. */
export interface ProviderIndex {
  /** Providers of that kind known by that name (any alias), in any namespace. */
  lookup(kind: ProvidedKind, name: string): readonly Provider[];
  /** Every distinct name known for that kind, for "did you mean" suggestions. */
  names(kind: ProvidedKind): readonly string[];
  all(): readonly Provider[];
}

/** The places a pod spec refers to a ConfigMap or Secret. */
export type ReferenceForm =
  | 'env-configmap-key' // env[].valueFrom.configMapKeyRef
  | 'env-secret-key' // env[].valueFrom.secretKeyRef
  | 'envfrom-configmap' // envFrom[].configMapRef
  | 'envfrom-secret' // envFrom[].secretRef
  | 'volume-configmap' // volumes[].configMap
  | 'volume-secret' // volumes[].secret
  | 'projected-configmap' // volumes[].projected.sources[].configMap
  | 'projected-secret' // volumes[].projected.sources[].secret
  | 'image-pull-secret' // imagePullSecrets[].name (pod spec or ServiceAccount)
  | 'helm-values-from'; // Flux HelmRelease spec.valuesFrom[] (ConfigMap or Secret holding chart values)

export interface ReferencedKey {
  readonly key: string;
  readonly location: Location;
}

export interface Reference {
  readonly form: ReferenceForm;
  readonly targetKind: ProvidedKind;
  readonly name: string;
  /** Location of the name value (`name:` / `secretName:`). */
  readonly location: Location;
  /** Keys the reference needs (`key`, `items[].key`); empty when it takes the whole object. */
  readonly keys: readonly ReferencedKey[];
  readonly optional: boolean;
  /** The workload that holds the pod spec. */
  readonly owner: ObjectRef;
  /** Namespaces the pod runs in (same semantics as Provider.namespaces). */
  readonly namespaces: readonly (string | undefined)[];
  /** Container name, when the reference is inside a container. */
  readonly container?: string;
  /** Env var name, for env[] references. */
  readonly envVar?: string;
  /** Human description of where it is: "env DB_PASSWORD of container api". */
  readonly where: string;
  /** Path of the owner object's file (for scoping). */
  readonly path: string;
  /** The kustomize builds the pod spec is part of (name = its owner's final name); absent when no kustomization builds it. */
  readonly builds?: readonly BuildPlacement[];
}

/** A GitHub-style suggestion: replace the text of one line. */
export interface Suggestion {
  readonly location: Location;
  /** Replace `from` (a substring of the line) with `to`. */
  readonly from: string;
  readonly to: string;
}

/** What a rule reports, before configuration, suppression and line resolution are applied. */
export interface RuleReport {
  /** Defaults to the rule's default severity. */
  readonly severity?: Severity;
  readonly location: Location;
  /** What is wrong, in one sentence of at most ~160 characters (the first line people read). */
  readonly message: string;
  /** Why it matters and how to fix it (plain text, may hold several sentences); shown on demand. */
  readonly help?: string;
  readonly object?: ObjectRef;
  /**
   * Stable identity of the problem, independent of line numbers: e.g. owner kind/name, container,
   * env var, referenced name and key. The engine hashes it with the rule id and path.
   */
  readonly identity: readonly string[];
  readonly suggestion?: Suggestion;
  /** Files whose content this finding depends on besides its own (e.g. where the referenced ConfigMap is defined). `review` uses them to say which change caused a finding in an untouched file. */
  readonly related?: readonly string[];
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly path: string;
  readonly line: number;
  readonly endLine: number;
  /** What is wrong: one short sentence. */
  readonly message: string;
  /** Why and how to fix (see RuleReport.help). */
  readonly help?: string;
  readonly object?: ObjectRef;
  readonly fingerprint: string;
  readonly suggestion?: { readonly line: number; readonly from: string; readonly to: string };
  /** Other files this finding depends on (see RuleReport.related). */
  readonly related?: readonly string[];
  /** Set by `review`: whether the change under review introduced this finding. */
  introduced?: boolean;
  /** Set by `review` for introduced findings in files the change did not touch: the changed files that caused it. */
  causedBy?: readonly string[];
}

/** Documentation of a rule; docs/rules.md is generated from these. */
export interface RuleDocs {
  /** One line: what it catches. */
  readonly summary: string;
  /** Why it matters (Markdown). */
  readonly why: string;
  /** A manifest that makes the rule fire (YAML). */
  readonly example: string;
  /** How to fix it (Markdown). */
  readonly fix: string;
  /** Severity variants, if the rule reports more than one level (Markdown). */
  readonly severities?: string;
}

export interface RuleMeta {
  /** Public contract: used in configuration and `# keyref-ignore <id>` comments. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly docs: RuleDocs;
}
