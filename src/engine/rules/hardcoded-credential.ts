import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'hardcoded-credential',
    defaultSeverity: 'error',
    docs: {
      summary: 'A container env var whose literal `value` holds a credential.',
      why:
        'A literal `env[].value` is stored in the workload object and in git: anyone who can read the repository, the Deployment or ' +
        'the Pod sees it, and it cannot be rotated without a commit. Detection is the same as for `credential-in-configmap`.',
      example: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: api',
        'spec:',
        '  selector: {matchLabels: {app: api}}',
        '  template:',
        '    metadata: {labels: {app: api}}',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          image: example/api:1.0',
        '          env:',
        '            - name: DB_PASSWORD',
        '              value: Xk9mQ2vLp7wRt4',
        '',
      ].join('\n'),
      fix:
        'Put the value in a Secret (created out of band, a SealedSecret, an ExternalSecret or a SOPS-encrypted file) and use ' +
        '`valueFrom.secretKeyRef`. Then rotate the credential: it stays in git history.',
      severities:
        '- `error`: the value is clearly a credential.\n' +
        '- `warning`: a credential-named variable with a short or word-like value (possibly a default or a weak password).',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).hardcodedCredential;
  },
};
