import type { Store, Writer } from '../../db/store';
import type { UserRow } from '../admin/user-rows';
import { newestAcceptedCounter } from '../../../platform/totp';

/**
 * Replay protection for authenticator codes. A code's time step, once used, may not be used again. The
 * step used last travels with the user row to every workstation (central keeps the larger value), so a
 * code typed at one desk cannot be replayed at another. But a workstation whose clock runs days ahead
 * records a step from the future, and honouring that everywhere would refuse every current code until real
 * time caught up. So:
 *
 * - a recorded step beyond the newest step this workstation would itself accept now says nothing about the
 *   codes it can accept, and is not trusted here (by this workstation's own clock);
 * - each workstation also keeps the step used last on it locally (`meta`, never replicated), so its own
 *   protection holds even while the replicated value is one from a skewed clock.
 */

const metaKey = (userId: string) => `mfa.last_counter.${userId}`;

/** The newest time step whose code counts as used for this user here, or null. */
export function lastUsedStep(store: Store, user: UserRow, now: number): number | null {
  const newest = newestAcceptedCounter(now);
  const local = Number(store.getMeta(metaKey(user.id)) ?? Number.NaN);
  const known = [user.mfaLastCounter, Number.isSafeInteger(local) ? local : null].filter(
    (c): c is number => c !== null && c <= newest,
  );
  return known.length ? Math.max(...known) : null;
}

/** Record a used step on this workstation, in the transaction that records it on the user row. */
export function recordUsedStep(w: Writer, userId: string, step: number): void {
  w.setMeta(metaKey(userId), String(step));
}
