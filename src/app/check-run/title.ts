import type { Finding } from '../../engine/model.js';
import { MAX_CHECK_TITLE_CHARS } from '../constants.js';
import { truncateChars } from '../util/truncate.js';
import { countBySeverity, formatCounts } from './counts.js';

/** "2 errors, 1 warning introduced · 3 pre-existing", or "No new problems" — counts only, never finding text. */
export function buildTitle(findings: readonly Finding[]): string {
  const introduced = findings.filter((f) => f.introduced);
  const existing = findings.length - introduced.length;
  const head = introduced.length > 0 ? `${formatCounts(countBySeverity(introduced))} introduced` : 'No new problems';
  const tail = existing > 0 ? ` · ${existing} pre-existing` : '';
  return truncateChars(head + tail, MAX_CHECK_TITLE_CHARS, '…');
}
