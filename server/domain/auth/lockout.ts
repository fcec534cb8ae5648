/** Failed sign-in bookkeeping: pure, so the lockout rule is tested without a database. */

export interface LockoutPolicy {
  threshold: number;
  minutes: number;
}

export interface LockoutState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failure; `lockedNow` is true when this failure triggers the lockout. */
export function afterFailure(
  state: LockoutState,
  policy: LockoutPolicy,
  now: Date,
): LockoutState & { lockedNow: boolean } {
  // An expired lockout starts a fresh count.
  const base = state.lockedUntil && !isLocked(state, now) ? 0 : state.failedAttempts;
  const failedAttempts = base + 1;
  if (failedAttempts >= policy.threshold) {
    return {
      failedAttempts,
      lockedUntil: new Date(now.getTime() + policy.minutes * 60_000),
      lockedNow: true,
    };
  }
  return { failedAttempts, lockedUntil: null, lockedNow: false };
}

export const afterSuccess = (): LockoutState => ({ failedAttempts: 0, lockedUntil: null });
