import type { UserSummary } from '../../../server/contracts/admin';

/** A lockout ends by itself at lockedUntil; after that the account is simply active again. */
export function isLocked(user: Pick<UserSummary, 'lockedUntil'>, now: number = Date.now()): boolean {
  if (!user.lockedUntil) return false;
  const until = Date.parse(user.lockedUntil);
  return Number.isNaN(until) ? true : until > now;
}
