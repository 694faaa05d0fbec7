/**
 * Flux Kustomizations (kustomize.toolkit.fluxcd.io) that apply `spec.components` to `spec.path`: Flux
 * adds the components' objects (a CloudNativePG cluster and its `<name>-app` Secret, an OIDC client
 * Secret…) to every build of that path, usually after `${VAR}` substitution. keyref does not build Flux
 * Kustomizations (the coverage module names them as not analysed), so an object missing under such a
 * path may well come from a component: evidence for a notice, never silence.
 */
import type { ManifestObject } from '../model.js';
import { field } from '../untrusted.js';

export interface FluxComponents {
  /** The Flux Kustomization's file. */
  readonly path: string;
  /** 1-based line of its `components:` key, when found in the text. */
  readonly line?: number;
  readonly name: string;
  readonly components: readonly string[];
  /** `spec.path` normalised: no leading `./`, no trailing `/`; '' for the source's root. */
  readonly target: string;
}

function normalise(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  while (s.startsWith('/')) s = s.slice(1);
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s === '.' ? '' : s;
}

/** 1-based line of the first `components:` key in document `docIndex` of `text` (documents split on `---` lines). */
function componentsLine(text: string | undefined, docIndex: number): number | undefined {
  if (text === undefined) return undefined;
  let doc = 0;
  let lineNo = 0;
  let pos = 0;
  let sawContent = false;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(pos, end);
    if (line.startsWith('---')) {
      if (sawContent) doc++;
      sawContent = false;
    } else if (line.trim() !== '' && !line.trimStart().startsWith('#')) {
      sawContent = true;
      if (doc === docIndex && line.trimStart().startsWith('components:')) return lineNo;
    }
    if (doc > docIndex) return undefined;
    pos = end + 1;
  }
  return undefined;
}

export function findFluxComponents(objects: readonly ManifestObject[], texts: ReadonlyMap<string, string>): FluxComponents[] {
  const out: FluxComponents[] = [];
  for (const obj of objects) {
    if (obj.kind !== 'Kustomization' || !obj.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    const spec = field(obj.value, 'spec');
    const list = field(spec, 'components');
    const components = Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [];
    if (components.length === 0) continue;
    const target = field(spec, 'path');
    const line = obj.basePath.length === 0 ? componentsLine(texts.get(obj.path), obj.docIndex) : undefined;
    out.push({ path: obj.path, name: obj.name, components, target: normalise(typeof target === 'string' ? target : ''), ...(line !== undefined ? { line } : {}) });
  }
  return out;
}

/**
 * Whether a file lies in the tree a Flux Kustomization builds. `spec.path` is relative to the root of the
 * Git source, which may sit below the scanned folder (a monorepo, a corpus of repositories): the path
 * matches when the file's folder is `<prefix><spec.path>` or below it, where the Kustomization's own file
 * also lies under `<prefix>`.
 */
export function inFluxTree(flux: FluxComponents, filePath: string): boolean {
  const dir = filePath.includes('/') ? filePath.slice(0, filePath.lastIndexOf('/')) : '';
  if (flux.target === '') return false; // the source's root: where that is in the scanned tree is unknown, so no guess
  const t = flux.target;
  for (let at = dir.indexOf(t); at !== -1; at = dir.indexOf(t, at + 1)) {
    const startsSegment = at === 0 || dir[at - 1] === '/';
    const endsSegment = at + t.length === dir.length || dir[at + t.length] === '/';
    if (!startsSegment || !endsSegment) continue;
    const prefix = dir.slice(0, at);
    if (flux.path.startsWith(prefix)) return true;
  }
  return false;
}
