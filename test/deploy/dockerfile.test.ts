/** Static checks of the Dockerfile and .dockerignore (the install and start-up are in production-install.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRuntimeStage } from './dockerfile.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

test('multi-stage, non-root, health-checked, SIGTERM, configured by environment only', () => {
  const stage = readRuntimeStage(join(root, 'Dockerfile'));
  assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
  assert.equal(stage.user, 'node');
  assert.equal(stage.stopSignal, 'SIGTERM');
  assert.ok(stage.healthcheck.join(' ').includes('/healthz'));
  assert.ok(!/\bcurl\b|\bwget\b/.test(dockerfile), 'no curl/wget in the image');
  for (const name of ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET']) assert.ok(!(name in stage.env), `${name} is not baked into the image`);
  // The CMD runs a file the build produces from src/.
  const entry = stage.cmd[1]!;
  assert.match(entry, /^dist\//);
  assert.ok(existsSync(join(root, entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))), `${entry} is built from a source file`);
});

test('.dockerignore lets in exactly what the Dockerfile copies from the context, and never .env or keys', () => {
  const lines = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '*', 'an allow-list');
  const allowed = new Set(lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, '')));
  const sources = [...dockerfile.replace(/\\\n/g, ' ').matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));
  assert.ok(sources.length > 0);
  for (const source of sources) assert.ok(allowed.has(source), `${source} is copied but excluded by .dockerignore`);
  assert.ok(lines.includes('**/.env') && lines.includes('**/*.pem'));
});
