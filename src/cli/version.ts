import { readFile } from 'node:fs/promises';

let cachedVersion: string | undefined;
/** The version in package.json (two levels up from src/cli and dist/cli). */
export async function packageVersion(): Promise<string> {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}
