import type { AppSettings } from '../../engine/config/schema.js';
import type { Finding } from '../../engine/model.js';

export type Conclusion = 'success' | 'neutral' | 'failure';

/** `failure` when the change introduces an error; the configured conclusion when it introduces only warnings; else `success`. */
export function conclusionFor(findings: readonly Finding[], settings: Pick<AppSettings, 'conclusionOnWarnings'>): Conclusion {
  const introduced = findings.filter((f) => f.introduced);
  if (introduced.some((f) => f.severity === 'error')) return 'failure';
  if (introduced.some((f) => f.severity === 'warning')) return settings.conclusionOnWarnings;
  return 'success';
}
