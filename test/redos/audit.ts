/**
 * The ReDoS audit: every regular expression literal in src/ is checked with recheck (a ReDoS checker
 * based on automata theory and fuzzing). A pull request chooses the text most of them run on, so:
 * - exponential backtracking is never allowed;
 * - polynomial (e.g. quadratic) backtracking is allowed only where ALLOWED_POLYNOMIAL names why the
 *   input is short or trusted (a length guard right before, keyref's own text, an operator's setting);
 * - a check that does not finish (timeout) is retried with the fuzzing checker, and fails if that does not finish either.
 * Regexes built at run time (`new RegExp`) are listed in ALLOWED_DYNAMIC with a reason.
 *
 * Checking ~250 regexes costs minutes of CPU, so verdicts are recorded in `recorded.json` by
 * `npm run redos-audit`, keyed by the exact source and flags: the test re-checks live every regex
 * that is not recorded (any new or edited one), and `KEYREF_REDOS_FULL=1` re-checks them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { check, type Diagnostics } from 'recheck';

export interface RegexSite {
  /** `src/engine/secrets/analysis.ts:116` */
  readonly at: string;
  readonly file: string;
  readonly source: string;
  readonly flags: string;
}

export interface Verdict {
  readonly source: string;
  readonly flags: string;
  readonly status: 'safe' | 'vulnerable' | 'unknown';
  /** `linear`, `safe`, `2nd degree polynomial`, `exponential`, or the error kind. */
  readonly complexity: string;
  readonly checker: string;
}

/** file → regex source → why polynomial backtracking cannot hurt there. */
export const ALLOWED_POLYNOMIAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'src/app/runtime/github-urls.ts': { '\\/+$': 'GHE_HOST, an operator setting, not pull request text' },
  'src/cli/git.ts': { '\\/+$': 'the DIR argument of `keyref review`, given by the user running it' },
  'src/engine/report/sarif.ts': { '\\/+$': 'the scanned folder inside the repository, given by the user running the CLI' },
  'src/engine/secrets/detect.ts': {
    ' \\(line [^)]*\\)$': "keyref's own description of a detection (`a PEM private key (line 3)`)",
    '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}':
      'linear: a match starts only where a token starts, no class holds `.`, so each segment is scanned by at most three starts (and hasJwt stops at 256 KB)',
  },
  'src/engine/secrets/values.ts': {
    '(^|[^A-Za-z0-9])[A-Z_]*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|APIKEY)([^A-Za-z0-9]|$)': 'isPlaceholder runs it only on values of at most 512 characters',
    '\\bhere\\b|^the\\s|^some\\s|^your\\s|\\bplease\\b|^(.)\\1+$|^(0123456789?|123456789?0?|1234|12345|123456|1234567|12345678)$':
      'isPlaceholder runs it only on values of at most 512 characters',
    '^\\s*(?:export\\s+|-D|--?)?["\']?([A-Za-z_][A-Za-z0-9_.\\-[\\]]*)["\']?\\s*(=|:)\\s*(.*?)\\s*$': 'credentialSettings runs it only on lines of at most 4096 characters',
    '(?:^|[;&?])\\s*([A-Za-z_][A-Za-z0-9_. -]*?)\\s*=\\s*([^;&]*)': 'credentialSettings runs it only on lines of at most 4096 characters',
    '\\s+#.*$': 'credentialSettings runs it only on lines of at most 4096 characters',
    '\\b([a-z][a-z0-9+.-]{1,30}):\\/\\/([^\\s:@/?#\'"]*):([^\\s@/?#\'"]*)@([^\\s/?#:\'"]+)':
      'the scheme is bounded ({1,30}): at most 30 steps per start, linear in the value (the fuzzer counts the bound as a degree)',
  },
  'src/standin/contract.ts': {
    '\\\\?\\{([^}]+)\\\\?\\}': "the stand-in's contract checker reads the path templates of GitHub's published OpenAPI description (@octokit/openapi), never pull request text",
  },
};

/** file → why its `new RegExp(…)` is harmless. */
export const ALLOWED_DYNAMIC: Readonly<Record<string, string>> = {
  'src/standin/contract.ts': "the stand-in's contract checker builds one anchored pattern per path template of GitHub's OpenAPI description, with every regex metacharacter escaped and each {param} a [^/]+ segment",
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every regex literal and every `RegExp(…)` construction under `root/src`. */
export function regexSites(root: string): { literals: RegexSite[]; dynamic: { at: string; file: string }[] } {
  const literals: RegexSite[] = [];
  const dynamic: { at: string; file: string }[] = [];
  for (const abs of tsFiles(join(root, 'src')).sort()) {
    const file = relative(root, abs).split('\\').join('/');
    const sf = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const slash = text.lastIndexOf('/');
        literals.push({ at: at(node), file, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
        dynamic.push({ at: at(node), file });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

function toVerdict(source: string, flags: string, d: Diagnostics): Verdict {
  const complexity = d.status === 'unknown' ? d.error.kind : d.complexity.type === 'polynomial' ? `${d.complexity.summary}` : d.complexity.type;
  return { source, flags, status: d.status, complexity, checker: d.checker ?? 'none' };
}

/** recheck's verdict (automaton or fuzzing, whichever it picks; fuzzing again on a timeout). Deterministic seed. */
export async function checkRegex(source: string, flags: string): Promise<Verdict> {
  // `g` and `y` change where matching starts, not how it backtracks.
  const f = flags.replace(/[gy]/g, '');
  const first = await check(source, f, { randomSeed: 1, timeout: 20_000 });
  if (first.status !== 'unknown' || first.error.kind !== 'timeout') return toVerdict(source, flags, first);
  return toVerdict(source, flags, await check(source, f, { checker: 'fuzz', randomSeed: 1, timeout: 30_000 }));
}

/** Why a verdict is not acceptable at this site, or undefined when it is. */
export function problemWith(site: RegexSite, verdict: Verdict): string | undefined {
  if (verdict.status === 'safe') return undefined;
  if (verdict.status === 'unknown') return `${site.at} /${site.source}/${site.flags}: the ReDoS check did not finish (${verdict.complexity}); simplify the pattern`;
  const reason = ALLOWED_POLYNOMIAL[site.file]?.[site.source];
  if (verdict.complexity !== 'exponential' && reason !== undefined) return undefined;
  return `${site.at} /${site.source}/${site.flags}: ${verdict.complexity} backtracking (${verdict.checker}) on text a pull request may choose; rewrite it without nested or adjacent overlapping repetition, or scan with indexOf`;
}

export const RECORD_PATH = new URL('./recorded.json', import.meta.url);

export function readRecord(): Map<string, Verdict> {
  let list: Verdict[] = [];
  try {
    list = JSON.parse(readFileSync(RECORD_PATH, 'utf8')) as Verdict[];
  } catch {
    // no record yet: everything is checked live
  }
  return new Map(list.map((v) => [`${v.flags}\u0000${v.source}`, v]));
}

export const recordKey = (source: string, flags: string): string => `${flags}\u0000${source}`;
