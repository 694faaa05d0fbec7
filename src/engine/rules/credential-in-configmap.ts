import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'credential-in-configmap',
    defaultSeverity: 'error',
    docs: {
      summary: 'A ConfigMap (or configMapGenerator) value that holds a credential.',
      why:
        'ConfigMaps have no RBAC split from ordinary configuration and no encryption hook: whoever may read configuration reads the ' +
        'credential, and it shows up in `kubectl describe`, logs and dashboards. keyref reports a value when its key name says ' +
        'credential *and* the value looks like one; a known token format (cloud keys, GitHub/Slack/Stripe/npm tokens, private keys, ' +
        'JWTs…) whatever the key; a URL or connection string with a password; a credential line inside a config file held in the ' +
        'ConfigMap (`.properties`, `.env`, YAML/JSON, `.ini`); or a base64 value that decodes to one of these.',
      example: [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: app-config',
        'data:',
        '  DATABASE_URL: postgres://app:Xk9#mQ2vLp7w@db.internal:5432/app',
        '',
      ].join('\n'),
      fix:
        'Move the value to a Secret — created out of band, or committed as a SealedSecret, an ExternalSecret or a SOPS-encrypted file — ' +
        'and reference it with `secretKeyRef` / `secretRef`. Then rotate the credential: it stays in git history.',
      severities:
        '- `error`: the value is clearly a credential.\n' +
        '- `warning`: a credential-named key with a short or word-like value (possibly a default or a weak password).\n' +
        'References (`${VAR}`, `$(VAR)`), SOPS/jasypt/Spring `{cipher}` values, placeholders, file paths, plain URLs, ' +
        'object names, header names, algorithms and client IDs are not reported.',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).credentialInConfigMap;
  },
};
