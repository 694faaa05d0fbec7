import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'plaintext-secret',
    defaultSeverity: 'error',
    docs: {
      summary: 'A Secret committed with values in `data`/`stringData`, or a kustomize secretGenerator fed from literals or files in the repository.',
      why:
        'A Secret\'s `data` is base64 — encoding, not encryption: anyone who can read the repository (or its history, forks and CI logs) ' +
        'can decode it in seconds. `stringData` is not even encoded, and secretGenerator literals and env files are plain text. ' +
        'Secrets are not secure by default; they are the hook point for RBAC, encryption at rest and external secret managers, ' +
        'which only help when the value never lands in git.',
      example: [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        '  name: db-credentials',
        'type: Opaque',
        'data:',
        '  username: YXBw',
        '  password: czNjcjN0LVBhNTUtdzByZA==',
        '',
      ].join('\n'),
      fix:
        'Remove the values from the repository: create the Secret out of band (`kubectl create secret`, your CD tool), or commit a ' +
        '[SealedSecret](https://github.com/bitnami-labs/sealed-secrets), an [ExternalSecret](https://external-secrets.io) or a ' +
        '[SOPS](https://github.com/getsops/sops)-encrypted file instead. Then **rotate** the credential: it stays in git history.',
      severities:
        '- `error`: a value looks like a real credential (a known token format, a private key, a credential-named key with a value, a high-entropy string).\n' +
        '- `warning`: probably a credential, but short or word-like (`password: katib`), a password hash, or binary content; check it.\n' +
        '- `notice`: only values that do not look like credentials (user names, host names, config without secrets), or only empty values and obvious placeholders (`changeme`, `<your-key>`, `REPLACE_ME`, `${VAR}`, `xxx`…).\n' +
        'Secrets without values (service-account tokens, Secrets filled by a controller) and SOPS-encrypted files are not reported.',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).plaintextSecret;
  },
};
