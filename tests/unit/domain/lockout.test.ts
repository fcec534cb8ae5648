import { describe, expect, it } from 'vitest';
import { afterFailure, afterSuccess, isLocked, type LockoutState } from '../../../server/domain/auth/lockout';

const policy = { threshold: 5, minutes: 15 };
const t0 = new Date('2030-03-10T12:00:00.000Z');
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const fresh: LockoutState = { failedAttempts: 0, lockedUntil: null };

describe('isLocked', () => {
  it('is locked only while lockedUntil is in the future', () => {
    expect(isLocked(fresh, t0)).toBe(false);
    expect(isLocked({ failedAttempts: 5, lockedUntil: plus(t0, 1) }, t0)).toBe(true);
    expect(isLocked({ failedAttempts: 5, lockedUntil: t0 }, t0)).toBe(false);
    expect(isLocked({ failedAttempts: 5, lockedUntil: plus(t0, -1) }, t0)).toBe(false);
  });
});

describe('afterFailure', () => {
  it('counts failures and locks on the threshold-th, for the policy minutes, flagging only that one', () => {
    let state: LockoutState = fresh;
    for (let i = 1; i < policy.threshold; i++) {
      const next = afterFailure(state, policy, t0);
      expect(next).toEqual({ failedAttempts: i, lockedUntil: null, lockedNow: false });
      state = next;
    }
    const locking = afterFailure(state, policy, t0);
    expect(locking.failedAttempts).toBe(policy.threshold);
    expect(locking.lockedNow).toBe(true);
    expect(locking.lockedUntil).toEqual(plus(t0, 15 * 60_000));
    expect(isLocked(locking, plus(t0, 15 * 60_000 - 1))).toBe(true);
    expect(isLocked(locking, plus(t0, 15 * 60_000))).toBe(false);
  });

  it('honours other policies', () => {
    const strict = { threshold: 3, minutes: 2 };
    const a = afterFailure(fresh, strict, t0);
    const b = afterFailure(a, strict, t0);
    expect(b.lockedNow).toBe(false);
    const c = afterFailure(b, strict, t0);
    expect(c.lockedNow).toBe(true);
    expect(c.lockedUntil).toEqual(plus(t0, 2 * 60_000));
  });

  it('starts a fresh count once a lockout has expired', () => {
    const expired: LockoutState = { failedAttempts: 5, lockedUntil: plus(t0, -1000) };
    expect(afterFailure(expired, policy, t0)).toEqual({
      failedAttempts: 1,
      lockedUntil: null,
      lockedNow: false,
    });
  });

  it('keeps counting (and stays locked) when a failure lands during a lockout', () => {
    const locked: LockoutState = { failedAttempts: 5, lockedUntil: plus(t0, 60_000) };
    const next = afterFailure(locked, policy, t0);
    expect(next.failedAttempts).toBe(6);
    expect(isLocked(next, t0)).toBe(true);
  });

  it('does not change the state it was given', () => {
    const state: LockoutState = { failedAttempts: 2, lockedUntil: null };
    afterFailure(state, policy, t0);
    expect(state).toEqual({ failedAttempts: 2, lockedUntil: null });
  });
});

describe('afterSuccess', () => {
  it('clears the count and any lock', () => {
    expect(afterSuccess()).toEqual({ failedAttempts: 0, lockedUntil: null });
    const s = afterSuccess();
    expect(isLocked(s, t0)).toBe(false);
    expect(afterFailure(s, policy, t0).failedAttempts).toBe(1);
  });
});
