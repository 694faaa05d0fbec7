/** A tiny content-addressed git object store: blobs, trees and commits with real git object ids. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type FileMap = Record<string, string | Uint8Array>;

export interface TreeEntry {
  readonly name: string;
  readonly mode: '100644' | '040000';
  readonly type: 'blob' | 'tree';
  readonly sha: string;
}

export interface Commit {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  /** path → blob id, for fast lookups. */
  readonly files: ReadonlyMap<string, string>;
}

function gitHash(type: string, body: Uint8Array): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, Commit>();
  private counter = 0;

  putBlob(content: string | Uint8Array): string {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const sha = gitHash('blob', buf);
    this.blobs.set(sha, buf);
    return sha;
  }

  private putTree(entries: TreeEntry[]): string {
    // git orders entries by name, a tree's name compared as if it ended with '/'.
    const key = (e: TreeEntry): string => (e.type === 'tree' ? `${e.name}/` : e.name);
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      entries.flatMap((e) => [Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]),
    );
    const sha = gitHash('tree', body);
    this.trees.set(sha, entries);
    return sha;
  }

  /** Builds the tree of `files` (POSIX paths) and returns its id. */
  buildTree(files: ReadonlyMap<string, string>): string {
    interface Dir {
      blobs: Map<string, string>;
      dirs: Map<string, Dir>;
    }
    const root: Dir = { blobs: new Map(), dirs: new Map() };
    for (const [path, sha] of files) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part);
        if (!next) dir.dirs.set(part, (next = { blobs: new Map(), dirs: new Map() }));
        dir = next;
      }
      dir.blobs.set(parts[parts.length - 1]!, sha);
    }
    const write = (dir: Dir): string => {
      const entries: TreeEntry[] = [];
      for (const [name, sha] of dir.blobs) entries.push({ name, mode: '100644', type: 'blob', sha });
      for (const [name, sub] of dir.dirs) entries.push({ name, mode: '040000', type: 'tree', sha: write(sub) });
      return this.putTree(entries);
    };
    return write(root);
  }

  /** Stores a commit whose tree holds exactly `files`. */
  commit(files: FileMap, options: { parents?: readonly string[]; message?: string } = {}): Commit {
    const map = new Map<string, string>();
    for (const [path, content] of Object.entries(files)) map.set(normalizePath(path), this.putBlob(content));
    const tree = this.buildTree(map);
    const parents = options.parents ?? [];
    const message = options.message ?? 'commit';
    const body = `tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author stand-in <standin@example.invalid> ${1700000000 + this.counter++} +0000\n\n${message}\n`;
    const sha = gitHash('commit', Buffer.from(body));
    const commit: Commit = { sha, tree, parents, message, files: map };
    this.commits.set(sha, commit);
    return commit;
  }

  /** Recursive listing of a tree, as GitHub's `git/trees?recursive=1` entries (paths relative to it). */
  listRecursive(treeSha: string, prefix = ''): { path: string; mode: string; type: string; sha: string }[] {
    const out: { path: string; mode: string; type: string; sha: string }[] = [];
    for (const e of this.trees.get(treeSha) ?? []) {
      const path = prefix + e.name;
      out.push({ path, mode: e.mode, type: e.type, sha: e.sha });
      if (e.type === 'tree') out.push(...this.listRecursive(e.sha, `${path}/`));
    }
    return out;
  }
}

export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.?\/+/, '');
}

/** Reads every file under `dir` into a FileMap (POSIX paths relative to `dir`). */
export function filesFromDir(dir: string): FileMap {
  const out: FileMap = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out[relative(dir, full).split(sep).join('/')] = readFileSync(full);
    }
  };
  walk(dir);
  return out;
}
