/**
 * Known token formats (cloud keys, GitHub/Slack/Stripe/npm tokens, private keys…) come from secretlint's
 * rule packages, used as detectors on the values keyref extracts — never as a file scanner.
 *
 * All values of one scan are linted as ONE synthetic source (`name=value` chunks separated by blank
 * lines; the name gives rules such as aws-secret-access-key their context), and result ranges are
 * mapped back to the values. secretlint's own messages contain the secret, so only its rule id and
 * message id are read.
 */

import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';

export interface KnownToken {
  /** Human description, e.g. "a GitHub token". Contains nothing of the value. */
  readonly kind: string;
}

export interface DetectorInput {
  /** A name giving context (key name); safe to print. */
  readonly name: string;
  readonly value: string;
}

/** Descriptions by secretlint rule id (without the `@secretlint/secretlint-rule-` prefix) or message id. */
const KIND_BY_MESSAGE: Record<string, string> = {
  AWSSecretAccessKey: 'an AWS secret access key',
  AWSAccessKeyID: 'an AWS access key id',
};
const KIND_BY_RULE: Record<string, string> = {
  aws: 'an AWS credential',
  gcp: 'a GCP service account key',
  npm: 'an npm access token',
  slack: 'a Slack token',
  openai: 'an OpenAI API key',
  anthropic: 'an Anthropic API key',
  groq: 'a Groq API key',
  huggingface: 'a Hugging Face token',
  linear: 'a Linear API key',
  notion: 'a Notion integration token',
  privatekey: 'a PEM private key',
  sendgrid: 'a SendGrid API key',
  shopify: 'a Shopify access token',
  stripe: 'a Stripe secret key',
  github: 'a GitHub token',
  gitlab: 'a GitLab token',
  grafana: 'a Grafana token',
  '1password': 'a 1Password service account token',
  'hashicorp-vault': 'a HashiCorp Vault token',
  vercel: 'a Vercel token',
  databricks: 'a Databricks token',
  docker: 'a Docker Hub access token',
  figma: 'a Figma token',
  cloudflare: 'a Cloudflare API token',
  tailscale: 'a Tailscale key',
  azure: 'an Azure credential',
};
/** Rules whose findings keyref makes itself with Kubernetes-specific exclusions, or that do not fit values. */
const SKIPPED_RULES = new Set(['basicauth', 'database-connection-string', 'filter-comments', 'no-k8s-kind-secret', 'no-homedir']);
const SKIPPED_MESSAGES = new Set(['AWSAccountID']);
const RULE_PREFIX = '@secretlint/secretlint-rule-';

/** Known token formats are at least this long; shorter values cannot match any used rule. */
const MIN_TOKEN_LENGTH = 16;
const MAX_CHUNK = 64 * 1024;

type LintFn = (text: string) => Promise<readonly { ruleId: string; messageId: string; range: readonly [number, number] }[]>;

let linter: LintFn | undefined;

/**
 * The configured secretlint rules, made once. secretlint's modules are imported with the engine (like
 * js-yaml and yaml): a module load is paid once per process, at start-up, not inside a scan.
 */
function getLinter(): LintFn {
  if (linter) return linter;
  // The profiler is always on and keeps every mark of the process; keyref never reads it.
  secretLintProfiler.setEnabled(false);
  const rules = presetRules
    .filter((r) => !SKIPPED_RULES.has(String(r.meta.id).replace(RULE_PREFIX, '')))
    .map((r) => ({
      id: r.meta.id,
      rule: r,
      ...(r.meta.id === `${RULE_PREFIX}aws` ? { options: { enableIDScanRule: true } } : {}),
    }));
  linter = async (text) => {
    const result = await lintSource({
      source: { content: text, filePath: 'keyref-values.txt', ext: '.txt', contentType: 'text' },
      options: { config: { rules } as never, noPhysicFilePath: true, maskSecrets: true },
    });
    return result.messages.map((m) => ({ ruleId: String(m.ruleId), messageId: String(m.messageId ?? ''), range: m.range }));
  };
  return linter;
}

function kindOf(ruleId: string, messageId: string): string | undefined {
  if (SKIPPED_MESSAGES.has(messageId)) return undefined;
  const short = ruleId.replace(RULE_PREFIX, '');
  if (SKIPPED_RULES.has(short)) return undefined;
  return KIND_BY_MESSAGE[messageId] ?? KIND_BY_RULE[short] ?? 'a known token format';
}

/** Documentation tokens: `AKIAIOSFODNN7EXAMPLE`, `ghp_xxxxxxxx…`, `sk_live_000000…`. */
function looksFake(match: string): boolean {
  return /example|dummy|sample|fake|placeholder|redacted|x{4,}|(.)\1{7,}/i.test(match);
}

/**
 * Whether detectKnownTokens may lint a value at all: a shorter one cannot hold a known token (and
 * neither can any of its lines), a longer one is not linted. Callers leave the others out of the inputs.
 */
export function mayBeLinted(value: string): boolean {
  return value.length >= MIN_TOKEN_LENGTH && value.length <= MAX_CHUNK;
}

/**
 * Whether a value could hold a token of a format secretlint knows (a cheap prefilter; the detectors
 * decide). Every such format is either a PEM block, a JWT-like `eyJ…` string, or a run of at least
 * 16 token characters that contains an upper-case letter or several digits (the lower-case hex
 * tokens: Databricks, Shopify, Cloudflare). Host names, paths and plain URLs never get that far.
 */
export function mayHoldKnownToken(value: string): boolean {
  if (value.length < MIN_TOKEN_LENGTH) return false;
  if (value.includes('PRIVATE KEY') || value.includes('eyJ')) return true;
  // The regular expression finds the runs (native code: this runs over every line of large ConfigMaps
  // such as dashboards); only a run long enough is looked at character by character.
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(value); m !== null; m = TOKEN_RUN.exec(value)) {
    if (tokenLike(m[0])) return true;
  }
  return false;
}

/** Maximal runs of at least 16 token characters [A-Za-z0-9_\-+/=] (a run is a character class: no backtracking). */
const TOKEN_RUN = /[A-Za-z0-9_\-+/=]{16,}/g;

/** A run that holds an upper-case letter or at least six digits. */
function tokenLike(run: string): boolean {
  let digits = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
    if (c >= 48 && c <= 57 && ++digits >= 6) return true;
  }
  return false;
}

/**
 * The part of a value worth linting, or undefined when no part of it may hold a token: the whole value
 * when it is short, holds a PEM block or is one line; otherwise only its lines that may hold a token
 * (large config files and dashboards in ConfigMaps are mostly lines that cannot). One pass per value.
 */
function candidateText(value: string): string | undefined {
  if (value.length <= 2048 || value.includes('PRIVATE KEY') || !value.includes('\n')) return mayHoldKnownToken(value) ? value : undefined;
  const lines = value.split('\n').filter((line) => mayHoldKnownToken(line));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * Known tokens in each input, in input order. One secretlint pass over all inputs that may hold a
 * token (identical inputs are linted once); none when no input can. Never throws: a detector failure
 * means "no known token".
 */
export async function detectKnownTokens(inputs: readonly DetectorInput[]): Promise<KnownToken[][]> {
  const found: KnownToken[][] = inputs.map(() => []);
  const starts: number[] = [];
  const owners: number[] = [];
  const parts: string[] = [];
  /** Inputs whose chunk is the same as an earlier input's: [input, the earlier input]. */
  const copies: [number, number][] = [];
  const ownerOfChunk = new Map<string, number>();
  let offset = 0;
  inputs.forEach((input, i) => {
    if (input.value.length > MAX_CHUNK) return;
    const candidate = candidateText(input.value);
    if (candidate === undefined) return;
    const name = input.name.replace(/[\r\n=]/g, '_').slice(0, 200);
    const chunk = `${name}=${candidate}\n\n\n`;
    const earlier = ownerOfChunk.get(chunk);
    if (earlier !== undefined) {
      copies.push([i, earlier]);
      return;
    }
    ownerOfChunk.set(chunk, i);
    starts.push(offset);
    owners.push(i);
    parts.push(chunk);
    offset += chunk.length;
  });
  if (parts.length === 0) return found;
  let messages: Awaited<ReturnType<LintFn>>;
  const text = parts.join('');
  try {
    messages = await getLinter()(text);
  } catch {
    return found;
  }
  for (const m of messages) {
    const kind = kindOf(m.ruleId, m.messageId);
    if (!kind) continue;
    const at = m.range[0];
    if (looksFake(text.slice(at, Math.max(at, m.range[1])))) continue;
    // binary search: last chunk starting at or before `at`
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    const owner = owners[lo];
    if (owner === undefined) continue;
    const list = found[owner]!;
    if (!list.some((t) => t.kind === kind)) list.push({ kind });
  }
  for (const [i, earlier] of copies) found[i] = found[earlier]!.slice();
  return found;
}
