// The JSON report of `keyref scan DIR` from the built CLI (dist/), for the corpus scripts.
import { execFileSync } from 'node:child_process';

export function scanJson(dir) {
  let out;
  try {
    out = execFileSync(process.execPath, ['bin/keyref.js', 'scan', dir, '--format', 'json'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  } catch (error) {
    out = error.stdout; // exit status 1 when a finding is an error
  }
  return JSON.parse(out);
}
