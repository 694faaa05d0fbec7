import { execFile, spawn } from 'node:child_process';
import { isEvidenceCandidate, isManifestCandidate } from '../engine/candidates.js';
import { listGeneratorInputs } from '../engine/kustomize/index.js';
import type { FileProblem, SourceFile } from '../engine/model.js';
import { decode, MAX_READ_BYTES, TOO_LARGE_TO_READ, type ReadResult } from './files.js';
import { UserError } from './io.js';

/** Runs git with arguments (never through a shell) and returns stdout as bytes. */
export function git(cwd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      if (error) {
        const firstLine = stderr.toString('utf8').trim().split('\n')[0];
        const err = new Error(firstLine || error.message) as Error & { code?: unknown };
        err.code = (error as { code?: unknown }).code;
        reject(err);
      } else resolve(stdout);
    });
  });
}

/** The top folder of the working tree that holds `dir`. */
export async function repositoryRoot(dir: string): Promise<string> {
  try {
    return (await git(dir, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw new UserError('git is not installed (or not on PATH); `keyref review` needs it');
    throw new UserError(`${dir} is not inside a git repository; \`keyref review\` compares two commits of one`);
  }
}

/** The commit id a revision names. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  if (rev.startsWith('-')) throw new UserError(`not a revision: ${rev}`);
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).toString('utf8').trim();
  } catch {
    throw new UserError(`unknown revision: ${rev} (is it fetched? in CI, fetch the base branch, e.g. actions/checkout with fetch-depth: 0)`);
  }
}

export interface TreeEntry {
  readonly oid: string;
  readonly size: number;
}

/** Blobs of a commit (regular and executable files; no symlinks or submodules) under `prefix`, keyed by path relative to it. */
export async function listTree(root: string, commit: string, prefix = ''): Promise<Map<string, TreeEntry>> {
  const out = await git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  const entries = new Map<string, TreeEntry>();
  const pre = prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`;
  for (const record of out.toString('utf8').split('\0')) {
    // <mode> SP <type> SP <oid> SP+ <size> TAB <path>
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !oid) continue;
    const path = record.slice(tab + 1);
    if (!path.startsWith(pre)) continue;
    entries.set(path.slice(pre.length), { oid, size: Number(size) });
  }
  return entries;
}

/** Contents of blobs, in one `git cat-file --batch` process. */
export function readBlobs(root: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch', '--buffer'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errors.push(c));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // reported through 'close'
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`git cat-file failed: ${Buffer.concat(errors).toString('utf8').trim().split('\n')[0] ?? ''}`));
        return;
      }
      const all = Buffer.concat(chunks);
      const blobs = new Map<string, Buffer>();
      let at = 0;
      while (at < all.length) {
        const nl = all.indexOf(10, at);
        if (nl === -1) break;
        const header = all.toString('utf8', at, nl).split(' ');
        at = nl + 1;
        if (header[1] === 'missing' || header.length < 3) continue;
        const size = Number(header[2]);
        blobs.set(header[0]!, all.subarray(at, at + size));
        at += size + 1; // content, then a newline
      }
      resolve(blobs);
    });
    child.stdin.end(`${unique.join('\n')}\n`);
  });
}

export type TreeRead = ReadResult;

/**
 * The manifest candidates of two commits, plus the generator inputs their kustomizations name,
 * with one `ls-tree` per commit and one `cat-file --batch` per phase for both.
 */
export async function readTrees(root: string, commits: readonly string[], prefix = ''): Promise<TreeRead[]> {
  const trees = await Promise.all(commits.map((c) => listTree(root, c, prefix)));
  const results: TreeRead[] = trees.map(() => ({ files: [], skipped: [] }));

  const phase = async (wanted: (readonly string[])[]) => {
    const oids: string[] = [];
    wanted.forEach((paths, i) => {
      for (const p of paths) {
        const entry = trees[i]!.get(p);
        if (entry && entry.size <= MAX_READ_BYTES) oids.push(entry.oid);
      }
    });
    const blobs = await readBlobs(root, oids);
    wanted.forEach((paths, i) => {
      for (const path of paths) {
        const entry = trees[i]!.get(path);
        if (!entry) continue;
        if (entry.size > MAX_READ_BYTES) {
          results[i]!.skipped.push({ path, kind: 'skipped', reason: TOO_LARGE_TO_READ } satisfies FileProblem);
          continue;
        }
        const bytes = blobs.get(entry.oid);
        if (bytes) results[i]!.files.push({ path, text: decode(bytes) } satisfies SourceFile);
      }
    });
  };

  await phase(trees.map((t) => [...t.entries()].filter(([p, e]) => isManifestCandidate(p) || isEvidenceCandidate(p, e.size)).map(([p]) => p).sort()));
  await phase(
    results.map((r) => {
      const have = new Set(r.files.map((f) => f.path));
      return listGeneratorInputs(r.files).filter((p) => !have.has(p)).sort();
    }),
  );
  for (const r of results) r.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return results;
}

/** A file's text at a commit (path relative to the repository root), or undefined when it does not exist there. */
export async function readFileAt(root: string, commit: string, path: string): Promise<string | undefined> {
  try {
    return decode(await git(root, ['cat-file', 'blob', `${commit}:${path}`]));
  } catch {
    return undefined;
  }
}
