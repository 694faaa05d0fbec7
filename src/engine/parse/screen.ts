/**
 * Cheap pre-screen: decides from a document's raw text, without parsing it, whether it can matter to any
 * rule. Half of the bytes of a typical repository are CustomResourceDefinitions, which no rule reads.
 *
 * The screen is deliberately conservative. A document is skipped only when its kind is known for sure
 * (exactly one top-level `kind: Word` line) and either
 *  - it is a CustomResourceDefinition (its schema mentions `containers`, but it holds no pod spec), or
 *  - it is large, of a kind that provides nothing, and contains none of the words a pod spec, a
 *    ConfigMap/Secret provider or a credential needs.
 * Anything unusual (flow style, quoted or aliased kind, several kind lines, small documents) is parsed.
 */

/** A whole `kind: Word` line, matched (sticky) at a line start found with indexOf. */
const KIND_LINE = /kind:[ \t]*(["']?)([A-Za-z][A-Za-z0-9]*)\1[ \t]*(?:#.*)?\r?$/my;

/** Documents smaller than this are always parsed: they are cheap, and other stages may want them. */
export const SCREEN_MIN_BYTES = 2048;

/** Kinds that provide a ConfigMap/Secret (directly, or through an operator) or that otherwise matter. */
const KEEP_KIND =
  /List$|Secret|ConfigMap|Certificate|Issuer|User|^Cluster$|Namespace|ServiceAccount|Credential|Password|Token|Database|Postgres|Mongo|Redis|Rabbit|Kafka|Sql|MariaDB|Kustomization|Component|HelmRelease|^Application$/i;

/** Words that any relevant content contains: pod specs, providers' data, references, credentials. */
const KEYWORDS =
  /containers|(?<![A-Za-z])(?:data|stringData|binaryData|encryptedData|dataFrom|items|env|envFrom|volumes)["']?[ \t]*:|secret|configmap|password|passwd|credential|token|apikey|api_key|private/i;

/**
 * Kinds no stage reads: they hold no pod spec, provide no ConfigMap/Secret and carry no credential a rule
 * checks (RBAC, autoscalers, storage, mesh routing, monitoring, GitOps sources). They are still parsed, so
 * their syntax errors are reported, but their values are not kept: a third of a typical repository's
 * documents, and of the heap the scan holds. (A Service is kept: with the OpenShift serving-cert
 * annotation it provides a Secret, and a kustomize patch can add that annotation in one build only.)
 */
const INERT_KINDS = new Set([
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'VerticalPodAutoscaler',
  'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass',
  'LimitRange', 'ResourceQuota', 'IngressClass', 'Endpoints', 'EndpointSlice',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
  'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe',
  'VirtualService', 'DestinationRule', 'AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication',
  'EnvoyFilter', 'ServiceEntry', 'Sidecar', 'Telemetry',
  'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'ReferenceGrant',
  'GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart',
]);

/** True when no stage reads an object of this kind and document (see INERT_KINDS); its syntax is still checked. */
function inertKind(doc: string, kind: string | undefined): boolean {
  if (kind === undefined || !INERT_KINDS.has(kind)) return false;
  // `ontainers` covers containers, initContainers and ephemeralContainers (keys are case-sensitive)
  if (doc.includes('ontainers') || doc.includes('writeConnectionSecretToRef')) return false;
  // RBAC that names objects, and the bindings of ServiceAccounts: evidence/rbac.ts reads them (workloads that create their own Secret).
  if ((kind === 'Role' || kind === 'ClusterRole') && doc.includes('resourceNames')) return false;
  if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && doc.includes('ServiceAccount')) return false;
  return true;
}

/** Whether a character ends a line for `^` in a multiline regex (\n, \r, U+2028, U+2029). */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The next whole `kind: Word` line from `from` (its offset and kind), or undefined. `indexOf` finds the
 * candidates (fast even in a 1 MB CRD); only those at a line start are matched against the pattern.
 */
function nextKindLine(doc: string, from: number): { at: number; kind: string } | undefined {
  for (let at = doc.indexOf('kind:', from); at !== -1; at = doc.indexOf('kind:', at + 5)) {
    if (at > 0 && !isLineBreak(doc.charCodeAt(at - 1))) continue;
    KIND_LINE.lastIndex = at;
    const m = KIND_LINE.exec(doc);
    if (m) return { at, kind: m[2] as string };
  }
  return undefined;
}

/** The single top-level kind of a document, or undefined when it is not plainly written exactly once. */
export function plainKind(doc: string): string | undefined {
  const first = nextKindLine(doc, 0);
  if (!first) return undefined;
  return nextKindLine(doc, first.at + 5) ? undefined : first.kind;
}

/**
 * The pre-screen's verdict on a document, with its kind found once:
 * `skip` (cannot matter: not parsed), `inert` (parsed for its syntax only), `keep`.
 */
export function screen(doc: string): 'skip' | 'inert' | 'keep' {
  const kind = plainKind(doc);
  if (kind === undefined) return 'keep';
  if (kind === 'CustomResourceDefinition') return 'skip';
  if (doc.length >= SCREEN_MIN_BYTES && !KEEP_KIND.test(kind) && !KEYWORDS.test(doc)) return 'skip';
  return inertKind(doc, kind) ? 'inert' : 'keep';
}
