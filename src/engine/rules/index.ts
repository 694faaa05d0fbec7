import type { Rule } from './rule.js';
import { rule as unresolvedReference } from './unresolved-reference.js';
import { rule as missingKey } from './missing-key.js';
import { rule as wrongKind } from './wrong-kind.js';
import { rule as crossNamespaceReference } from './cross-namespace-reference.js';
import { rule as crossBuildReference } from './cross-build-reference.js';
import { rule as parseError } from './parse-error.js';
import { rule as duplicateKey } from './duplicate-key.js';
import { rule as plaintextSecret } from './plaintext-secret.js';
import { rule as invalidSecretData } from './invalid-secret-data.js';
import { rule as secretTrailingNewline } from './secret-trailing-newline.js';
import { rule as credentialInConfigMap } from './credential-in-configmap.js';
import { rule as credentialFromConfigMap } from './credential-from-configmap.js';
import { rule as hardcodedCredential } from './hardcoded-credential.js';
import { rule as suppressionComment } from './suppression-comment.js';

export type { Rule, RuleContext } from './rule.js';

/** Every rule, in documentation order. Each lives in its own module beside its tests and fixtures. */
export const rules: readonly Rule[] = [
  unresolvedReference,
  missingKey,
  wrongKind,
  crossNamespaceReference,
  crossBuildReference,
  parseError,
  duplicateKey,
  plaintextSecret,
  invalidSecretData,
  secretTrailingNewline,
  credentialInConfigMap,
  credentialFromConfigMap,
  hardcodedCredential,
  suppressionComment,
];
