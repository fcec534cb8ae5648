import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueEveryWeeks, periodAt, periodEnd } from '../../../server/domain/questionnaires/schedule';

/**
 * The "every N weeks" due rule: time after the sending splits into consecutive periods of N weeks; exactly
 * one is current at any instant; it is due until answered; an answered period is never due again, and a
 * period starts at its exact instant.
 */

const WEEK = 7 * 24 * 3600 * 1000;
const weeks = fc.constantFrom(1, 2, 4, 3, 8);
const sent = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const offset = fc.integer({ min: 0, max: 3 * 365 * 24 * 3600 * 1000 });

describe('questionnaires every N weeks', () => {
  it('exactly one period contains any instant after the sending, and it is the one periodAt names', () => {
    fc.assert(
      fc.property(sent, weeks, offset, (s, n, off) => {
        const now = new Date(Date.parse(s) + off);
        const k = periodAt(s, n, now)!;
        const containing = [k - 1, k, k + 1].filter((p) => {
          const start = p === 0 ? Date.parse(s) : Date.parse(periodEnd(s, n, p - 1));
          return p >= 0 && start <= now.getTime() && now.getTime() < Date.parse(periodEnd(s, n, p));
        });
        expect(containing).toEqual([k]);
        expect(k).toBe(Math.floor(off / (n * WEEK)));
      }),
    );
  });

  it('is due until its period is answered; answers to other periods do not count', () => {
    fc.assert(
      fc.property(sent, weeks, offset, fc.array(fc.integer({ min: 0, max: 200 })), (s, n, off, answered) => {
        const now = new Date(Date.parse(s) + off);
        const k = periodAt(s, n, now)!;
        const others = answered.filter((p) => p !== k);
        expect(dueEveryWeeks(s, n, others, now)).toBe(true);
        expect(dueEveryWeeks(s, n, [...others, k], now)).toBe(false);
        expect(dueEveryWeeks(s, n, [...others, null], now)).toBe(true);
      }),
    );
  });

  it('boundary instants: a new period starts exactly N weeks on, and is due again after the last was answered', () => {
    fc.assert(
      fc.property(sent, weeks, fc.integer({ min: 0, max: 150 }), (s, n, k) => {
        const end = Date.parse(periodEnd(s, n, k));
        expect(end - Date.parse(s)).toBe((k + 1) * n * WEEK);
        expect(periodAt(s, n, new Date(end - 1))).toBe(k);
        expect(periodAt(s, n, new Date(end))).toBe(k + 1);
        expect(dueEveryWeeks(s, n, [k], new Date(end - 1))).toBe(false);
        expect(dueEveryWeeks(s, n, [k], new Date(end))).toBe(true);
      }),
    );
  });

  it('a sending stamped a little ahead of central’s clock is in its first period, due at once', () => {
    const s = '2026-03-01T10:00:00.000Z';
    const before = new Date('2026-03-01T09:59:58.000Z');
    expect(periodAt(s, 2, before)).toBe(0);
    expect(dueEveryWeeks(s, 2, [], before)).toBe(true);
    expect(dueEveryWeeks(s, 2, [0], before)).toBe(false);
    expect(periodAt('not a date', 2, before)).toBeNull();
    expect(dueEveryWeeks('not a date', 2, [], before)).toBe(false);
  });
});
