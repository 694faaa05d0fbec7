/**
 * Objects as kustomize's patches leave them, seen by the provider modules. A patch can make an object
 * provide a ConfigMap or Secret it does not provide as written: a JSON 6902 op or a strategic-merge
 * patch that annotates a Service `service.beta.openshift.io/serving-cert-secret-name`, sets a
 * Certificate's `secretName`, an ExternalSecret's target. Each object that patches target, of a kind a
 * provider module reads, is patched build group by build group (patch-set.ts, as the pod specs are),
 * and the modules that read its kind are run on the patched copy, confined to those builds. What the
 * copy provides and the object as written does not is a provider located at the patch.
 *
 * ConfigMaps and Secrets themselves are left to the kustomize-patch module (the keys a patch sets):
 * this is about objects that make other objects exist.
 */
import type { KustomizeModel } from '../kustomize/model.js';
import { applyChain, DELETED, findTargets, parsedDocuments, readPatches, type KustomizePatch, type PatchInterest } from '../kustomize/patch-set.js';
import type { Location, ManifestObject, Provider } from '../model.js';
import type { ProviderContext, ProviderModule } from './provider.js';

/** Provider modules with the object kinds each one read while providing. */
export interface ModuleKinds {
  readonly module: ProviderModule;
  readonly kinds: ReadonlySet<string>;
}

/** The kinds whose patched copies are worth a look: read by some module, and not a ConfigMap or Secret. */
function patchableKinds(modules: readonly ModuleKinds[]): Set<string> {
  const kinds = new Set<string>();
  for (const { kinds: read } of modules) for (const k of read) if (k !== 'ConfigMap' && k !== 'Secret') kinds.add(k);
  return kinds;
}

function identity(p: Provider): string {
  return JSON.stringify([p.kind, p.name, p.keys === 'unknown' ? 'unknown' : [...p.keys].sort(), p.secretType ?? '', p.namespaces]);
}

/** Where a provider a patch brought is reported: the patch (its op list, or the strategic-merge document). */
function patchLocation(patch: KustomizePatch): Location {
  return patch.body.type === 'json6902' ? patch.body.opLocation([]) : patch.body.location;
}

/** What `modules` provide from `object` alone, as if only `scopes`' builds included it. */
function provideFrom(context: ProviderContext, modules: readonly ProviderModule[], object: ManifestObject, kustomize: KustomizeModel): Provider[] {
  const only: ProviderContext = {
    repo: context.repo,
    config: context.config,
    kustomize,
    objectsOfKind: (kind) => (kind === object.kind ? [object] : []),
    ...(context.sharedKeys ? { sharedKeys: context.sharedKeys } : {}),
  };
  return modules.flatMap((m) => m.provide(only));
}

/** Providers that exist only because a patch changed the object that provides them (see the module comment). */
export function providersOfPatchedObjects(context: ProviderContext, modules: readonly ModuleKinds[], texts: ReadonlyMap<string, string>): Provider[] {
  const kinds = patchableKinds(modules);
  const { repo, kustomize } = context;
  if (kinds.size === 0 || repo.kustomizations.length === 0) return [];
  const wanted = (kind: string | undefined) => kind === undefined || kinds.has(kind);
  const interest: PatchInterest = {
    text: () => true,
    json6902: (_ops, target) => wanted(target.kind),
    strategic: (_value, target) => wanted(target.kind),
  };
  const parsed = parsedDocuments(repo);
  const patches = repo.kustomizations.flatMap((doc) => readPatches(doc, texts, parsed, interest));
  if (patches.length === 0) return [];
  const { targets, chains } = findTargets(repo, kustomize, patches, (object) => kinds.has(object.kind));
  const out: Provider[] = [];
  for (const target of targets) {
    const { object } = target;
    const readers = modules.filter((m) => m.kinds.has(object.kind)).map((m) => m.module);
    for (const { list, roots } of chains(target)) {
      const value = applyChain(object.value, list);
      // A deleted object, or one the patches leave as it was, provides what it provided.
      if (value === DELETED || value === object.value) continue;
      const scopes = kustomize.scopesOf(object.path).filter((s) => s.root !== undefined && roots.has(s.root));
      if (scopes.length === 0) continue;
      const confined: KustomizeModel = { ...kustomize, scopesOf: (path) => (path === object.path ? scopes : kustomize.scopesOf(path)), isPatchFile: () => false };
      const before = new Set(provideFrom(context, readers, object, confined).map(identity));
      const location = patchLocation(list[list.length - 1]!);
      for (const provider of provideFrom(context, readers, { ...object, value }, confined)) {
        if (!before.has(identity(provider))) out.push({ ...provider, location });
      }
    }
  }
  return out;
}
