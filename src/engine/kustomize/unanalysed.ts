import type { KustomizationDoc } from '../model.js';
import { isRecord } from '../untrusted.js';
import type { Generator, Unanalysed } from './model.js';
import { isRemote } from './paths.js';

/**
 * What the kustomize model cannot build and therefore does not check, named so the output can say
 * so (a silent pass is the worst result): remote bases, plugins (exec/KRM `generators:`,
 * `transformers:`, `validators:`), `helmCharts:`, generator inputs not in the repository, and
 * patches whose target is a label/annotation selector or a name pattern.
 */
export function unanalysedOf(docs: readonly KustomizationDoc[], generators: readonly Generator[]): Unanalysed[] {
  const out: Unanalysed[] = [];
  for (const doc of docs) {
    if (!isRecord(doc.value)) continue;
    for (const field of ['resources', 'bases', 'components']) {
      const list = doc.value[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) if (typeof entry === 'string' && isRemote(entry.trim())) out.push({ path: doc.path, reason: `remote kustomize ${field === 'components' ? 'component' : 'base'} ${entry.trim()} (not fetched)` });
    }
    for (const field of ['generators', 'transformers', 'validators']) {
      const list = doc.value[field];
      if (Array.isArray(list) && list.length > 0) out.push({ path: doc.path, reason: `kustomize ${field} plugins (${list.length}) are not run` });
    }
    const charts = doc.value['helmCharts'];
    if (Array.isArray(charts) && charts.length > 0) out.push({ path: doc.path, reason: `kustomize helmCharts (${charts.length}) are not rendered` });
    for (const field of ['patches', 'patchesJson6902']) {
      const list = doc.value[field];
      if (!Array.isArray(list)) continue;
      for (const entry of list) {
        const target = isRecord(entry) ? entry['target'] : undefined;
        if (!isRecord(target)) continue;
        const pattern = typeof target['name'] === 'string' && /[*+?^$(){}[\]|\\]/.test(target['name']);
        if (target['labelSelector'] !== undefined || target['annotationSelector'] !== undefined || pattern) {
          out.push({ path: doc.path, reason: 'a patch whose target is a selector or a name pattern is not applied' });
        }
      }
    }
  }
  for (const g of generators) {
    for (const env of g.envs) {
      if (env.entries === 'unknown') out.push({ path: g.kustomization, reason: `generator input ${env.source} is not in the repository (keys of ${g.kind} ${g.name} unknown)` });
    }
  }
  return out;
}
