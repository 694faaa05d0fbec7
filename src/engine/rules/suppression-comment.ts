import type { RuleReport } from '../model.js';
import type { DirectiveProblem } from '../suppress/index.js';
import type { Rule } from './rule.js';

/**
 * `# keyref-ignore` comments that cannot work or do nothing. The engine reports these after the
 * other rules ran (only then is it known what a comment silenced), through `directiveReport`;
 * `check` itself has nothing to look at.
 */
export const rule: Rule = {
  meta: {
    id: 'suppression-comment',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A `# keyref-ignore` comment names no rule or an unknown rule, or silences nothing.',
      why: [
        'A suppression comment that names no rule (`# keyref-ignore`) or a misspelt one (`# keyref-ignore missing-keys`) silences nothing,',
        'so the finding it was meant for stays, and nobody is told why. A comment that no longer silences anything (the problem was fixed,',
        'or the line moved) would silently hide the next, unrelated problem on that line.',
      ].join('\n'),
      example: ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', '      image: example/api:1.0', '      envFrom:', '        - secretRef:', '            name: api-env # keyref-ignore unresolved-refrence'].join('\n'),
      fix: [
        '- Name the rule: `# keyref-ignore <rule-id>[, <rule-id>…] [-- reason]`; the finding says the closest known id.',
        '- Remove a comment that silences nothing.',
      ].join('\n'),
      severities: ['- `warning`: the comment names no rule, or a rule keyref does not know.', '- `notice`: the comment names a rule that reports nothing on its line.'].join('\n'),
    },
  },
  check: () => [],
};

/** The finding for a suppression comment that is wrong or idle. Names rule ids only, never other text of the line. */
export function directiveReport(p: DirectiveProblem): RuleReport {
  const location = { path: p.path, line: p.line, endLine: p.line };
  const identity = [p.problem, p.ruleId ?? '', String(p.line)];
  const syntax = 'Write `# keyref-ignore <rule-id>[, <rule-id>…] [-- reason]` (rule ids are listed in docs/rules.md); a comment on its own line applies to the line below it.';
  if (p.problem === 'bare') {
    return { severity: 'warning', location, identity, message: 'This `keyref-ignore` comment names no rule, so it silences nothing.', help: syntax };
  }
  if (p.problem === 'unknown-rule') {
    const what = p.ruleId !== undefined ? `an unknown rule "${p.ruleId}"` : 'an unknown rule';
    const hint = p.didYouMean !== undefined ? ` — did you mean "${p.didYouMean}"?` : '.';
    return { severity: 'warning', location, identity, message: `This \`keyref-ignore\` comment names ${what}${hint}`, help: `${syntax} A reason must follow \` -- \`.` };
  }
  return {
    severity: 'notice',
    location,
    identity,
    message: `This \`keyref-ignore ${p.ruleId}\` comment silences nothing on its line.`,
    help: 'The problem it was written for is gone or has moved. Remove the comment, so that it cannot hide a new, unrelated problem on this line.',
  };
}
