import type { Rule } from './rule.js';

export type { Rule, RuleContext } from './rule.js';

/** Every rule, in documentation order. Each lives in its own module beside its tests and fixtures. */
export const rules: readonly Rule[] = [];
