import { distance } from 'fastest-levenshtein';
import type { Finding } from '../model.js';

/**
 * Inline suppression: a comment `# keyref-ignore <rule-id>[, <rule-id>…] [-- reason]`
 *   - at the end of the finding's line (YAML files), or
 *   - on its own line directly above the finding's line (any comment line of the block of comment
 *     lines right above it counts), in YAML and in `#`-comment files such as kustomize `.env` inputs.
 * Rule ids are required: a bare `# keyref-ignore` silences nothing (a blanket switch hides the
 * next, unrelated problem on the same line). Ids are separated by commas and/or spaces; ` -- `
 * starts a free-text reason.
 */
const DIRECTIVE = /(?:^|\s)#\s*keyref-ignore(?=\s|$|,)([\s\S]*)$/;
/** A whole-line comment (YAML, .env, .properties). */
const COMMENT_LINE = /^\s*[#!]/;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Every word a `keyref-ignore` comment in `line` names (before ` -- reason`), or undefined when it has none. */
export function directiveWords(line: string): string[] | undefined {
  const m = DIRECTIVE.exec(line);
  if (!m) return undefined;
  let rest = m[1] ?? '';
  const reason = rest.search(/(?:^|\s)--(?:\s|$)/);
  if (reason !== -1) rest = rest.slice(0, reason);
  return rest.split(/[\s,]+/).filter((id) => id !== '');
}

/** The rule ids named by a `keyref-ignore` comment in `line`, or undefined when it has none. */
export function parseDirective(line: string): string[] | undefined {
  return directiveWords(line)?.filter((id) => RULE_ID.test(id));
}

function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path) || /(^|\/)Kustomization$/.test(path);
}

/** Lines of a file, split lazily and at most once. */
function lineReader(texts: ReadonlyMap<string, string>): (path: string) => readonly string[] | undefined {
  const cache = new Map<string, readonly string[] | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      const text = texts.get(path);
      cache.set(path, text === undefined ? undefined : text.split(/\r\n|\n|\r/));
    }
    return cache.get(path);
  };
}

/** The rule ids suppressed for a finding at 1-based `line` of a file with these lines, with the (1-based) line of the directive naming each. */
function directivesAt(lines: readonly string[], line: number, yaml: boolean): Map<string, number> {
  const ids = new Map<string, number>();
  const own = lines[line - 1];
  if (own !== undefined && yaml && !COMMENT_LINE.test(own)) for (const id of parseDirective(own) ?? []) ids.set(id, line);
  // The block of whole-line comments directly above.
  for (let i = line - 2; i >= 0; i--) {
    const above = lines[i];
    if (above === undefined || !COMMENT_LINE.test(above)) break;
    for (const id of parseDirective(above) ?? []) if (!ids.has(id)) ids.set(id, i + 1);
  }
  return ids;
}

/** The rule ids suppressed for a finding at 1-based `line` of a file with these lines. */
export function suppressedAt(lines: readonly string[], line: number, yaml: boolean): Set<string> {
  return new Set(directivesAt(lines, line, yaml).keys());
}

/** A `keyref-ignore` comment that is wrong or idle. Names rule ids only (checked to be `[a-z0-9-]`), never other file text. */
export interface DirectiveProblem {
  readonly path: string;
  readonly line: number;
  readonly problem: 'bare' | 'unknown-rule' | 'unused';
  /** The rule id concerned: the unknown one (when it is a well-formed id) or the one that silenced nothing. */
  readonly ruleId?: string;
  /** For an unknown id: the closest known rule id. */
  readonly didYouMean?: string;
}

export interface SuppressionResult {
  readonly kept: Finding[];
  /** How many findings the comments silenced. */
  readonly suppressed: number;
  readonly problems: DirectiveProblem[];
}

const MAX_SHOWN_ID = 40;

/** The known rule id nearest to `id` (edit distance at most a third of its length), if any. */
function nearestRule(id: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(best.length / 3)) ? best : undefined;
}

/**
 * Drops findings silenced by `# keyref-ignore <rule>` on their line or the line(s) above, counts them,
 * and reports every directive that names no rule, names an unknown rule, or silences nothing (as
 * eslint's --report-unused-disable-directives). Only files that mention the directive are split.
 */
export function suppress(findings: readonly Finding[], texts: ReadonlyMap<string, string>, knownRules: readonly string[], scope: (path: string) => boolean = () => true): SuppressionResult {
  const linesOf = lineReader(texts);
  const used = new Set<string>();
  let suppressed = 0;
  const mentions = (path: string) => texts.get(path)?.includes('keyref-ignore') ?? false;
  const quick = new Map<string, boolean>();
  const kept = findings.filter((f) => {
    let m = quick.get(f.path);
    if (m === undefined) quick.set(f.path, (m = mentions(f.path)));
    if (!m) return true;
    const lines = linesOf(f.path);
    if (!lines) return true;
    const at = directivesAt(lines, f.line, isYamlPath(f.path)).get(f.ruleId);
    if (at === undefined) return true;
    used.add(`${f.path}\0${at}\0${f.ruleId}`);
    suppressed++;
    return false;
  });
  const known = new Set(knownRules);
  const problems: DirectiveProblem[] = [];
  for (const [path, text] of texts) {
    if (!text.includes('keyref-ignore') || !scope(path)) continue;
    const yaml = isYamlPath(path);
    const lines = linesOf(path) ?? [];
    lines.forEach((text, i) => {
      // In non-YAML files only whole-line comments are directives.
      if (!yaml && !COMMENT_LINE.test(text)) return;
      const words = directiveWords(text);
      if (words === undefined) return;
      const line = i + 1;
      if (words.length === 0) {
        problems.push({ path, line, problem: 'bare' });
        return;
      }
      const unknown = words.filter((w) => !known.has(w));
      if (unknown.length > 0) {
        // One report per comment: the first unknown word names it (a reason written without ` -- ` is unknown words too).
        const word = unknown[0]!;
        const wellFormed = RULE_ID.test(word) && word.length <= MAX_SHOWN_ID;
        const near = wellFormed ? nearestRule(word, knownRules) : undefined;
        problems.push({ path, line, problem: 'unknown-rule', ...(wellFormed ? { ruleId: word } : {}), ...(near ? { didYouMean: near } : {}) });
      }
      for (const word of words) if (known.has(word) && !used.has(`${path}\0${line}\0${word}`)) problems.push({ path, line, problem: 'unused', ruleId: word });
    });
  }
  return { kept, suppressed, problems };
}

/** Drops findings silenced by `# keyref-ignore <rule>` on their line or the line(s) above. */
export function applySuppressions(findings: readonly Finding[], texts: ReadonlyMap<string, string>): Finding[] {
  if (findings.length === 0) return [];
  return suppress(findings, texts, []).kept;
}
