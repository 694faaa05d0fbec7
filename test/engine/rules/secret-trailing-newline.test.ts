import { test } from 'node:test';
import { rule } from '../../../src/engine/rules/secret-trailing-newline.js';
import { b64, checkCase, secretYaml, type RuleCase } from '../secrets/helpers.js';

const mustFire: RuleCase[] = [
  { name: 'echo without -n', files: { 's.yaml': secretYaml('data', { user: b64('app'), password: b64('s3cret-value\n') }) }, expect: [{ line: 7, severity: 'warning', includes: ['`data.password`', 'echo', '-n', 'printf'] }] },
  { name: 'CRLF', files: { 's.yaml': secretYaml('data', { token: b64('abc\r\n') }) }, expect: [{ severity: 'warning' }] },
  {
    name: 'stringData block scalar keeps the newline',
    files: { 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: |\n    s3cret-value\n' },
    expect: [{ line: 5, severity: 'warning', includes: ['`|-`'] }],
  },
];

const mustNotFire: RuleCase[] = [
  { name: 'no newline', files: { 's.yaml': secretYaml('data', { password: b64('s3cret-value') }) }, expect: [] },
  { name: 'multi-line certificate', files: { 's.yaml': secretYaml('data', { 'ca.crt': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n') }) }, expect: [] },
  { name: 'file-named key', files: { 's.yaml': secretYaml('data', { 'app.conf': b64('debug=true\n') }) }, expect: [] },
  { name: 'JSON content', files: { 's.yaml': secretYaml('data', { '.dockercfg': b64('{"auths":{}}\n'), creds: b64('{"a":1}\n') }) }, expect: [] },
  { name: 'only a newline', files: { 's.yaml': secretYaml('data', { empty: b64('\n') }) }, expect: [] },
  { name: 'stringData with |-', files: { 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: |-\n    s3cret-value\n' }, expect: [] },
  { name: 'ConfigMap values are not checked', files: { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  greeting: |\n    hello\n' }, expect: [] },
];

for (const c of mustFire) test(`secret-trailing-newline fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`secret-trailing-newline silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
