import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, type EngineConfig } from '../../../src/engine/config/schema.js';
import { analyzeKustomize } from '../../../src/engine/kustomize/index.js';
import type { ParsedRepository, Provider, SourceFile } from '../../../src/engine/model.js';
import { buildProviderIndex } from '../../../src/engine/providers/index.js';
import type { ProviderModule } from '../../../src/engine/providers/provider.js';
import { fakeRepo, fixturePath } from '../kustomize/fake-repo.js';

/** What a test expects of one provider; omitted fields are not checked. */
export interface Expected {
  readonly kind: Provider['kind'];
  readonly name: string;
  readonly names?: readonly string[];
  readonly namespaces?: readonly (string | undefined)[];
  readonly keys?: readonly string[] | 'unknown';
  readonly via?: string;
  readonly secretType?: string;
}

/** Runs only `module` over a repository (plus the kustomize analysis it may need). */
export function provideWith(module: ProviderModule, files: Readonly<Record<string, string>> | readonly SourceFile[], config: EngineConfig = DEFAULT_CONFIG): Provider[] {
  const repo: ParsedRepository = fakeRepo(files);
  return buildProviderIndex(repo, analyzeKustomize(repo), config, [module]).all() as Provider[];
}

export function fixtureFile(module: string, file: string): SourceFile[] {
  const path = `${module}/${file}`;
  return [{ path, text: readFileSync(fixturePath('providers', module, file), 'utf8') }];
}

/** A comparable view of a provider, restricted to the fields `expected` sets. */
export function view(p: Provider, expected: Expected): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: p.kind, name: p.name };
  if (expected.names) out['names'] = [...p.names].sort();
  if (expected.namespaces) out['namespaces'] = [...p.namespaces].map((n) => n ?? '(any)').sort();
  if (expected.keys) out['keys'] = p.keys === 'unknown' ? 'unknown' : [...p.keys].sort();
  if (expected.via) out['via'] = p.via;
  if ('secretType' in expected) out['secretType'] = p.secretType;
  return out;
}

export function normalise(e: Expected): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: e.kind, name: e.name };
  if (e.names) out['names'] = [...e.names].sort();
  if (e.namespaces) out['namespaces'] = [...e.namespaces].map((n) => n ?? '(any)').sort();
  if (e.keys) out['keys'] = e.keys === 'unknown' ? 'unknown' : [...e.keys].sort();
  if (e.via) out['via'] = e.via;
  if ('secretType' in e) out['secretType'] = e.secretType;
  return out;
}
