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

/** The rule ids named by a `keyref-ignore` comment in `line`, or undefined when it has none. */
export function parseDirective(line: string): string[] | undefined {
  const m = DIRECTIVE.exec(line);
  if (!m) return undefined;
  let rest = m[1] ?? '';
  const reason = rest.search(/(?:^|\s)--(?:\s|$)/);
  if (reason !== -1) rest = rest.slice(0, reason);
  return rest
    .split(/[\s,]+/)
    .filter((id) => id !== '')
    .filter((id) => RULE_ID.test(id));
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

/** The rule ids suppressed for a finding at 1-based `line` of a file with these lines. */
export function suppressedAt(lines: readonly string[], line: number, yaml: boolean): Set<string> {
  const ids = new Set<string>();
  const own = lines[line - 1];
  if (own !== undefined && yaml && !COMMENT_LINE.test(own)) for (const id of parseDirective(own) ?? []) ids.add(id);
  // The block of whole-line comments directly above.
  for (let i = line - 2; i >= 0; i--) {
    const above = lines[i];
    if (above === undefined || !COMMENT_LINE.test(above)) break;
    for (const id of parseDirective(above) ?? []) ids.add(id);
  }
  return ids;
}

/** Drops findings silenced by `# keyref-ignore <rule>` on their line or the line(s) above. Only files with findings are read. */
export function applySuppressions(findings: readonly Finding[], texts: ReadonlyMap<string, string>): Finding[] {
  if (findings.length === 0) return [];
  const linesOf = lineReader(texts);
  const quick = new Map<string, boolean>();
  return findings.filter((f) => {
    // Skip files that do not mention the directive at all (the common case) without splitting them.
    let mentions = quick.get(f.path);
    if (mentions === undefined) {
      mentions = texts.get(f.path)?.includes('keyref-ignore') ?? false;
      quick.set(f.path, mentions);
    }
    if (!mentions) return true;
    const lines = linesOf(f.path);
    if (!lines) return true;
    return !suppressedAt(lines, f.line, isYamlPath(f.path)).has(f.ruleId);
  });
}
