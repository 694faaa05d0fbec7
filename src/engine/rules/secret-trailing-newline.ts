import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'secret-trailing-newline',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A single-line Secret value that ends with a newline — almost always `echo` without `-n`.',
      why:
        '`echo value | base64` encodes the newline too. The application then receives `value\\n`: passwords never match, ' +
        'tokens are rejected, URLs break — and the difference is invisible in logs. A `|` block scalar under `stringData` does the same. ' +
        'Multi-line values (certificates, keys, config files) legitimately end with a newline and are not reported.',
      example: ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: api', 'data:', '  API_USER: c2VydmljZS1hY2NvdW50Cg==', ''].join('\n'),
      fix: 'Re-encode the value with `echo -n "$VALUE" | base64` or `printf %s "$VALUE" | base64`; under `stringData`, use `|-` or a plain scalar.',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).secretTrailingNewline;
  },
};
