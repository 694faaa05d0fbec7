import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'invalid-secret-data',
    defaultSeverity: 'error',
    docs: {
      summary: 'A Secret `data` value that is not valid base64, so the API server rejects the Secret.',
      why:
        'Every value under a Secret\'s `data` must be standard base64 with its `=` padding. A plain value, a value with spaces, ' +
        'URL-safe base64 or an unquoted number makes `kubectl apply` fail for the whole Secret — usually noticed only at deploy time.',
      example: ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: api', 'data:', '  API_URL: https://api.internal/v1', ''].join('\n'),
      fix:
        'Put plain values under `stringData` (the API server encodes them), or encode them with `printf %s "$VALUE" | base64`. ' +
        'Either way, do not commit real credentials (see `plaintext-secret`).',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).invalidSecretData;
  },
};
