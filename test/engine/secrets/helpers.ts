/** Test helpers for the secret rules: run one rule through the whole pipeline on in-memory files. */
import assert from 'node:assert/strict';
import { scan } from '../../../src/engine/scan.js';
import type { Finding, Severity } from '../../../src/engine/model.js';
import type { Rule } from '../../../src/engine/rules/rule.js';

export type Files = Readonly<Record<string, string>>;

export interface Expected {
  readonly line?: number;
  readonly path?: string;
  readonly severity: Severity;
  readonly includes?: readonly string[];
}

export interface RuleCase {
  readonly name: string;
  readonly files: Files;
  readonly expect: readonly Expected[];
}

export async function runRule(rule: Rule, files: Files): Promise<Finding[]> {
  const result = await scan({ files: Object.entries(files).map(([path, text]) => ({ path, text })), rules: [rule] });
  return result.findings.filter((f) => f.ruleId === rule.meta.id);
}

/** Asserts the findings of one case: same count, and each expected finding matched in order. */
export async function checkCase(rule: Rule, c: RuleCase): Promise<Finding[]> {
  const findings = await runRule(rule, c.files);
  const shown = findings.map((f) => `${f.path}:${f.line} ${f.severity} ${f.message}`).join('\n');
  assert.equal(findings.length, c.expect.length, `${c.name}: expected ${c.expect.length} finding(s), got:\n${shown}`);
  c.expect.forEach((e, i) => {
    const f = findings[i]!;
    assert.equal(f.severity, e.severity, `${c.name}: severity of finding ${i}\n${shown}`);
    if (e.line !== undefined) assert.equal(f.line, e.line, `${c.name}: line of finding ${i}\n${shown}`);
    if (e.path !== undefined) assert.equal(f.path, e.path, `${c.name}: path of finding ${i}`);
    // The first sentence (message) says what is wrong, the help why and how to fix: `includes` looks at both.
    const text = `${f.message} ${f.help ?? ''}`;
    for (const s of e.includes ?? []) assert.ok(text.includes(s), `${c.name}: message or help should include ${JSON.stringify(s)}:\n${text}`);
    assert.ok(f.message.length <= 160 || /\(line [\d, ]+ of the value\)/.test(f.message), `${c.name}: the first sentence should be at most 160 characters:\n${f.message}`);
  });
  return findings;
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** A v1 Secret with the given `data` (already encoded) or `stringData` entries, one per line from line 6. */
export function secretYaml(field: 'data' | 'stringData', entries: Record<string, string>, extra = ''): string {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-secret', `${field}:`];
  for (const [k, v] of Object.entries(entries)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return lines.join('\n') + '\n' + extra;
}

/** A v1 ConfigMap with `data` entries, one per line from line 6 (multi-line values as block scalars). */
export function configMapYaml(entries: Record<string, string>): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: app-config', 'data:'];
  for (const [k, v] of Object.entries(entries)) {
    if (v.includes('\n')) {
      lines.push(`  ${k}: |`);
      for (const l of v.replace(/\n$/, '').split('\n')) lines.push(`    ${l}`);
    } else lines.push(`  ${k}: ${JSON.stringify(v)}`);
  }
  return lines.join('\n') + '\n';
}

/** A Deployment whose single container `api` has the given env entries (literal values), env starting at line 12. */
export function deploymentWithEnv(env: Record<string, string>, extraEnv: readonly string[] = []): string {
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: example/api:1.0',
    '          env:',
  ];
  for (const [k, v] of Object.entries(env)) lines.push(`            - name: ${k}`, `              value: ${JSON.stringify(v)}`);
  lines.push(...extraEnv);
  return lines.join('\n') + '\n';
}

/** Fake credentials used across tests: realistic shapes, never real. Built by concatenation so no scanner flags this file. */
export const FAKE = {
  github: 'ghp_' + 'R8q7P6o5N4m3L2k1J0i9H8g7F6e5D4c3B2a1',
  awsKeyId: 'AKIA' + 'Z7XQ4MJP2LWN5RTB',
  awsSecret: 'Zk3Jq9pLr8sT2vW5xY7a' + 'B1cD4eF6gH0iJ2kL4mN6',
  slack: 'xoxb-' + '923456789012-1234567890123-' + 'Rk2VbQ9xLm3TnW8yZc4HdJ7p',
  stripe: 'sk_live_' + '51HxQ2LKj9Rt4Vn8Wm3Pb7Zc',
  npm: 'npm_' + 'Q9w8E7r6T5y4U3i2O1p0A9s8D7f6G5h4J3k2',
  password: 'Hq4#zW8r' + 'Jn6tYp2s',
  apiKey: 'q8Zr3LmW' + 'x7Tn2Vb5Kc9Hd4Jf',
  dbPassword: 'v7Gk2Qp9' + 'Wz4Ls8Nd',
  pem:
    '-----BEGIN RSA PRIVATE KEY-----\n' +
    'MIIEowIBAAKCAQEAx7Qp2Lm9Zr4Tn8Vb3Kc6Hd1Jf5Gs0Wq7Ea2Yt9Uo4Ip3As6Df\n'.repeat(6) +
    '-----END RSA PRIVATE KEY-----\n',
  jwt:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiJhcGkiLCJpYXQiOjE3MDAwMDAwMDB9' + '.Qm9sZFJhbmRvbVNpZ25hdHVyZUhlcmVYWlo',
} as const;
