import { describe, expect, it } from 'vitest';
import { IdleTimer, idleConfig, ONE_MINUTE } from '../../../renderer/app/idle-timer';

const t0 = 1_700_000_000_000;
const config = idleConfig(15); // 15 min time-out, 60 s warning, ping at most once a minute

describe('IdleTimer', () => {
  it('stays active, warns in the last minute, then expires', () => {
    const timer = new IdleTimer(config, t0);
    expect(timer.tick(t0 + 13 * ONE_MINUTE).phase).toEqual({ phase: 'active' });
    expect(timer.tick(t0 + 14 * ONE_MINUTE + 15_000).phase).toEqual({
      phase: 'warning',
      remainingMs: 45_000,
    });
    expect(timer.tick(t0 + 15 * ONE_MINUTE).phase).toEqual({ phase: 'expired' });
  });

  it('input restarts the count and clears the warning', () => {
    const timer = new IdleTimer(config, t0);
    const almost = t0 + 14 * ONE_MINUTE + 30_000;
    expect(timer.tick(almost).phase.phase).toBe('warning');
    timer.activity(almost);
    expect(timer.tick(almost + 1000).phase).toEqual({ phase: 'active' });
    expect(timer.tick(almost + 15 * ONE_MINUTE).phase).toEqual({ phase: 'expired' });
  });

  it('pings at most once a minute while the user is active', () => {
    const timer = new IdleTimer(config, t0);
    expect(timer.activity(t0 + 10_000)).toBe(false); // sign-in just touched the server
    expect(timer.activity(t0 + ONE_MINUTE)).toBe(true);
    expect(timer.activity(t0 + ONE_MINUTE + 1)).toBe(false);
    expect(timer.activity(t0 + ONE_MINUTE + 59_000)).toBe(false);
    expect(timer.activity(t0 + 2 * ONE_MINUTE)).toBe(true);
  });

  it('sends a trailing ping for input that arrived just after a ping', () => {
    const timer = new IdleTimer(config, t0);
    expect(timer.activity(t0 + ONE_MINUTE)).toBe(true);
    expect(timer.activity(t0 + ONE_MINUTE + 30_000)).toBe(false);
    expect(timer.tick(t0 + ONE_MINUTE + 45_000).ping).toBe(false);
    // A minute after the last ping the pending input is reported, so the server deadline is not earlier
    // than the screen's.
    expect(timer.tick(t0 + 2 * ONE_MINUTE).ping).toBe(true);
    expect(timer.tick(t0 + 2 * ONE_MINUTE + 1000).ping).toBe(false);
  });

  it('does not ping while idle', () => {
    const timer = new IdleTimer(config, t0);
    for (let s = 1; s < 14 * 60; s++) expect(timer.tick(t0 + s * 1000).ping).toBe(false);
  });

  it('ignores input once expired until reset', () => {
    const timer = new IdleTimer(config, t0);
    expect(timer.tick(t0 + 16 * ONE_MINUTE).phase.phase).toBe('expired');
    expect(timer.activity(t0 + 16 * ONE_MINUTE + 1)).toBe(false);
    expect(timer.tick(t0 + 16 * ONE_MINUTE + 2).phase.phase).toBe('expired');
    timer.reset(t0 + 17 * ONE_MINUTE);
    expect(timer.tick(t0 + 17 * ONE_MINUTE + 1).phase).toEqual({ phase: 'active' });
  });

  it('jumping far ahead (laptop slept) expires at once', () => {
    const timer = new IdleTimer(config, t0);
    expect(timer.tick(t0 + 8 * 60 * ONE_MINUTE).phase).toEqual({ phase: 'expired' });
  });

  it('a one-minute time-out still warns, for half of it', () => {
    const short = idleConfig(1);
    expect(short.warningMs).toBe(30_000);
    const timer = new IdleTimer(short, t0);
    expect(timer.tick(t0 + 29_000).phase.phase).toBe('active');
    expect(timer.tick(t0 + 31_000).phase.phase).toBe('warning');
  });
});
