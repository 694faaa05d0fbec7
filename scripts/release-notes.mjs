#!/usr/bin/env node
// Prints the CHANGELOG.md section of a version, for the GitHub release (.github/workflows/release.yml).
// Usage: node scripts/release-notes.mjs v1.2.3   (exit 1 when CHANGELOG.md has no `## [1.2.3]` section)
import { readFileSync } from 'node:fs';

export function releaseNotes(changelog, tag) {
  const version = tag.replace(/^v/, '');
  const lines = changelog.split(/\r?\n/);
  const heading = (line) => line.startsWith('## ');
  const start = lines.findIndex((l) => heading(l) && (l.slice(3).trim().startsWith(`[${version}]`) || l.slice(3).trim().split(/\s/)[0] === version));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex(heading);
  return (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const tag = process.argv[2];
  if (!tag) {
    console.error('usage: node scripts/release-notes.mjs <tag>');
    process.exit(2);
  }
  const notes = releaseNotes(readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8'), tag);
  if (!notes) {
    console.error(`CHANGELOG.md has no section for ${tag} (a "## [${tag.replace(/^v/, '')}] - date" heading)`);
    process.exit(1);
  }
  console.log(notes);
}
