import { analyzeSecrets } from '../secrets/analysis.js';
import type { Rule } from './rule.js';

export const rule: Rule = {
  meta: {
    id: 'credential-from-configmap',
    defaultSeverity: 'warning',
    docs: {
      summary: 'An env var named like a credential (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*API_KEY*`…) is sourced from a ConfigMap.',
      why:
        'Whatever the ConfigMap holds today, an env var called `DB_PASSWORD` fed by `configMapKeyRef` means the password lives in a ' +
        'ConfigMap: no RBAC split from ordinary configuration, no encryption hook, visible in `kubectl describe` and dashboards.',
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
        '              valueFrom:',
        '                configMapKeyRef: {name: api-config, key: db-password}',
        '',
      ].join('\n'),
      fix: 'Keep the value in a Secret and use `secretKeyRef` instead of `configMapKeyRef`.',
    },
  },
  async check(context) {
    return (await analyzeSecrets(context)).credentialFromConfigMap;
  },
};
