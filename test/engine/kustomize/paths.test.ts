import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import fc from 'fast-check';
import { resolveEntry } from '../../../src/engine/kustomize/paths.js';

/** resolveEntry as it was before its shortcut: posix.normalize on every entry. */
function viaNormalize(dir: string, entry: string): string | undefined {
  const trimmed = entry.trim();
  if (trimmed === '' || trimmed.includes('\n') || trimmed.startsWith('/')) return undefined;
  const joined = posix.normalize(dir === '' ? trimmed : `${dir}/${trimmed}`);
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  const clean = joined.endsWith('/') ? joined.slice(0, -1) : joined;
  return clean === '.' ? '' : clean;
}

test('kustomize paths: the shortcut for entries already normal gives what posix.normalize gives', () => {
  const segment = fc.constantFrom('a', 'base', 'b.yaml', 'app.env', '.', '..', '', '...', '.hidden', 'x..y', ' ');
  const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));
  const dir = fc.oneof(fc.constant(''), fc.array(fc.constantFrom('apps', 'overlays', 'prod', 'base', '.', '..'), { minLength: 1, maxLength: 4 }).map((s) => s.join('/')));
  fc.assert(
    fc.property(dir, path, (d, entry) => {
      assert.equal(resolveEntry(d, entry), viaNormalize(d, entry), `${JSON.stringify(d)} + ${JSON.stringify(entry)}`);
    }),
    { numRuns: 5000 },
  );
  assert.equal(resolveEntry('apps/web', 'deployment.yaml'), 'apps/web/deployment.yaml');
  assert.equal(resolveEntry('apps/web', '../base/'), 'apps/base');
  assert.equal(resolveEntry('', '..'), undefined);
});
