import { test } from 'node:test';
import { rule } from '../../../src/engine/rules/invalid-secret-data.js';
import { b64, checkCase, secretYaml, type RuleCase } from '../secrets/helpers.js';

const raw = (value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\ndata:\n  key: ${value}\n`;

const mustFire: RuleCase[] = [
  { name: 'plain text with spaces', files: { 's.yaml': raw('"hello world value"') }, expect: [{ line: 6, severity: 'error', includes: ['`data.key`', 'spaces', 'rejects the whole Secret', 'stringData'] }] },
  { name: 'missing padding', files: { 's.yaml': raw('YWJjZA') }, expect: [{ line: 6, severity: 'error', includes: ['not a multiple of 4'] }] },
  { name: 'URL-safe alphabet', files: { 's.yaml': raw('YWJj_A-d') }, expect: [{ severity: 'error', includes: ['URL-safe'] }] },
  { name: 'characters outside the alphabet', files: { 's.yaml': raw('"https://api.internal/v1"') }, expect: [{ severity: 'error', includes: ['outside the base64 alphabet'] }] },
  { name: 'unquoted number', files: { 's.yaml': raw('5432') }, expect: [{ severity: 'error', includes: ['is a number'] }] },
  { name: 'boolean', files: { 's.yaml': raw('true') }, expect: [{ severity: 'error', includes: ['is a boolean'] }] },
  { name: 'padding in the middle', files: { 's.yaml': raw('YQ==YWJj') }, expect: [{ severity: 'error' }] },
];

const mustNotFire: RuleCase[] = [
  { name: 'valid base64', files: { 's.yaml': secretYaml('data', { a: b64('value'), b: b64('x'), c: b64('') }) }, expect: [] },
  { name: 'base64 wrapped over lines (CR/LF ignored)', files: { 's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata:\n  k: |\n    YWJjZGVm\n    Z2hpams=\n' }, expect: [] },
  { name: 'stringData is not base64', files: { 's.yaml': secretYaml('stringData', { a: 'hello world' }) }, expect: [] },
  { name: 'null value', files: { 's.yaml': raw('null') }, expect: [] },
  { name: 'placeholder', files: { 's.yaml': raw('REPLACE_WITH_BASE64_CERT') }, expect: [] },
  { name: 'template reference', files: { 's.yaml': raw('"${DB_PASSWORD_B64}"') }, expect: [] },
  { name: 'SOPS-encrypted', files: { 's.yaml': raw('ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]') + 'sops:\n  version: 3.8.1\n' }, expect: [] },
  { name: 'ConfigMap data is not base64', files: { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: hello world\n' }, expect: [] },
];

for (const c of mustFire) test(`invalid-secret-data fires: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
for (const c of mustNotFire) test(`invalid-secret-data silent: ${c.name}`, () => checkCase(rule, c).then(() => undefined));
