import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../../src/engine/index.js';

test('scan of no files returns no findings', async () => {
  const result = await scan({ files: [] });
  assert.deepEqual(result.findings, []);
});
