import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../../../src/engine/model.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'parse');

/** Every file under fixtures/parse/<dir>, with paths relative to fixtures/parse (POSIX). */
export function fixtureFiles(dir = ''): SourceFile[] {
  const root = join(FIXTURES, dir);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(root)
    .sort()
    .map((p) => ({ path: relative(FIXTURES, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }));
}

/** 1-based line of the first line of `text` that contains `needle` (after `from` lines). */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if ((lines[i] ?? '').includes(needle)) return i + 1;
  throw new Error(`not found: ${needle}`);
}
