import { test } from 'node:test';
import { rule } from '../../../src/engine/rules/credential-from-configmap.js';
import { checkCase, type RuleCase } from '../secrets/helpers.js';

/** A Deployment with one env var sourced from a ConfigMap or a Secret key; the key ref is at line 16. */
function workload(envName: string, source: 'configMapKeyRef' | 'secretKeyRef' = 'configMapKeyRef', kind = 'Deployment'): string {
  return [
    'apiVersion: apps/v1',
    `kind: ${kind}`,
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: example/api:1.0',
    '          env:',
    `            - name: ${envName}`,
    '              valueFrom:',
    `                ${source}:`,
    '                  name: app-config',
    '                  key: value',
    '',
  ].join('\n');
}
const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata:\n  value: x\n';

const mustFire: RuleCase[] = [
  ...['DB_PASSWORD', 'API_TOKEN', 'CLIENT_SECRET', 'STRIPE_API_KEY', 'SSH_PRIVATE_KEY', 'GCP_CREDENTIALS', 'dbPassword', 'SMTP_PASS', 'AWS_SECRET_ACCESS_KEY'].map(
    (name): RuleCase => ({
      name,
      files: { 'd.yaml': workload(name), 'c.yaml': cm },
      expect: [{ path: 'd.yaml', line: 16, severity: 'warning', includes: [name, 'ConfigMap `app-config`', 'configMapKeyRef', 'secretKeyRef instead of `configMapKeyRef`'.replace('secretKeyRef', '`secretKeyRef`')] }],
    }),
  ),
  { name: 'init container in a CronJob', files: { 'j.yaml': ['apiVersion: batch/v1', 'kind: CronJob', 'metadata: {name: nightly}', 'spec:', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          initContainers:', '            - name: init', '              env:', '                - name: PGPASSWORD', '                  valueFrom:', '                    configMapKeyRef: {name: db, key: pw}', ''].join('\n') }, expect: [{ severity: 'warning' }] },
];

const mustNotFire: RuleCase[] = [
  ...['DB_HOST', 'PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'JWT_SECRET_REF', 'CLIENT_ID', 'AUTH_HEADER', 'JWT_ALGORITHM', 'TOKEN_TTL', 'PASSWORD_MIN_LENGTH', 'LOG_LEVEL'].map(
    (name): RuleCase => ({ name: `${name} from a ConfigMap`, files: { 'd.yaml': workload(name), 'c.yaml': cm }, expect: [] }),
  ),
  { name: 'DB_PASSWORD from a Secret', files: { 'd.yaml': workload('DB_PASSWORD', 'secretKeyRef') }, expect: [] },
  {
    name: 'envFrom a ConfigMap (names unknown)',
    files: { 'd.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', '  containers:', '    - name: a', '      image: x', '      envFrom:', '        - configMapRef: {name: app-config}', ''].join('\n'), 'c.yaml': cm },
    expect: [],
  },
];

for (const c of mustFire) test(`credential-from-configmap fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`credential-from-configmap silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
