import type { Row } from '../../../contracts/sync';
import type { StoredRow } from '../../../domain/sync/merge';
import { newestAcceptedCounter } from '../../../platform/totp';

/**
 * The TOTP replay counter (`users.mfaLastCounter`, the time step of the code used last) is merged by
 * keeping the larger value, so a code used at one desk cannot be replayed at another. A workstation whose
 * clock runs ahead records a step from the future; kept as "the largest", it would hide every real step
 * recorded after it until real time caught up, and with it the replay protection across workstations (each
 * workstation ignores a step beyond its own window, see services/auth/totp-replay.ts). So central judges the
 * step by its own clock: a step more than MAX_AHEAD_STEPS beyond the newest code central's clock would accept
 * is not stored (the stored value stays), and a stored step that far ahead (recorded before this rule) is
 * treated as absent, so the next real step replaces it.
 */

/** Ten minutes of clock difference: a workstation this far off is already warned to fix its clock. */
export const MAX_AHEAD_STEPS = 20;

const FIELD = 'mfaLastCounter';

const plausible = (step: unknown, now: Date): boolean =>
  typeof step !== 'number' || step <= newestAcceptedCounter(now.getTime()) + MAX_AHEAD_STEPS;

/** The stored row and the incoming row with implausible future steps taken out (both unchanged otherwise). */
export function boundMfaCounter(
  table: string,
  stored: StoredRow | null,
  row: Row,
  now: Date,
): { stored: StoredRow | null; row: Row } {
  if (table !== 'users') return { stored, row };
  let s = stored;
  if (s && !plausible(s.data[FIELD], now)) s = { ...s, data: { ...s.data, [FIELD]: null } };
  if (plausible(row[FIELD], now)) return { stored: s, row };
  return { stored: s, row: { ...row, [FIELD]: s?.data[FIELD] ?? null } };
}
