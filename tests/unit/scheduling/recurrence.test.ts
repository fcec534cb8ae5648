import { describe, expect, it } from 'vitest';
import {
  describeRecurrence,
  expandOccurrences,
  planRegeneration,
  shiftRecurrence,
  splitRecurrence,
  toRRuleString,
} from '../../../server/domain/scheduling/recurrence';
import { weekdayOrdinalsOfDate } from '../../../server/contracts/scheduling';
import { addDays } from '../../../server/contracts/calendar';
import { instantToLocal, localToInstant } from '../../../server/domain/scheduling/time';

const CHI = 'America/Chicago';
const iso = (d: Date) => d.toISOString();

describe('clinic wall time and instants', () => {
  it('maps a spring-forward gap time forward (02:30 → 03:30 CDT) and a fall-back time to its first occurrence', () => {
    expect(iso(localToInstant('2026-03-08', '02:30', CHI))).toBe('2026-03-08T08:30:00.000Z');
    // 01:30 happens twice on 1 November 2026: first at CDT (06:30Z), then at CST (07:30Z).
    expect(iso(localToInstant('2026-11-01', '01:30', CHI))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(localToInstant('2026-11-01', '09:00', CHI))).toBe('2026-11-01T15:00:00.000Z');
    expect(instantToLocal('2026-11-01T07:30:00.000Z', CHI)).toEqual({
      date: '2026-11-01',
      time: '01:30',
      weekday: 7,
    });
  });
});

describe('expanding repeat rules in local time', () => {
  it('keeps a weekly 09:00 at 09:00 local across the spring change (UTC moves from 15:00 to 14:00)', () => {
    const occ = expandOccurrences(
      { frequency: 'weekly', interval: 1, count: 3 },
      { date: '2026-03-02', time: '09:00' },
      CHI,
    );
    expect(occ.map((o) => [o.date, o.time, iso(o.startsAt)])).toEqual([
      ['2026-03-02', '09:00', '2026-03-02T15:00:00.000Z'],
      ['2026-03-09', '09:00', '2026-03-09T14:00:00.000Z'],
      ['2026-03-16', '09:00', '2026-03-16T14:00:00.000Z'],
    ]);
  });

  it('keeps a weekly 09:00 at 09:00 local across the autumn change (UTC moves from 14:00 to 15:00)', () => {
    const occ = expandOccurrences(
      { frequency: 'weekly', interval: 1, until: '2026-11-09' },
      { date: '2026-10-26', time: '09:00' },
      CHI,
    );
    expect(occ.map((o) => iso(o.startsAt))).toEqual([
      '2026-10-26T14:00:00.000Z',
      '2026-11-02T15:00:00.000Z',
      '2026-11-09T15:00:00.000Z',
    ]);
  });

  it('handles a series on the change day itself (Sunday 08 March and 01 November)', () => {
    const spring = expandOccurrences(
      { frequency: 'weekly', interval: 1, count: 2 },
      { date: '2026-03-01', time: '10:00' },
      CHI,
    );
    expect(spring.map((o) => iso(o.startsAt))).toEqual([
      '2026-03-01T16:00:00.000Z',
      '2026-03-08T15:00:00.000Z',
    ]);
    const autumn = expandOccurrences(
      { frequency: 'weekly', interval: 1, count: 2 },
      { date: '2026-10-25', time: '10:00' },
      CHI,
    );
    expect(autumn.map((o) => iso(o.startsAt))).toEqual([
      '2026-10-25T15:00:00.000Z',
      '2026-11-01T16:00:00.000Z',
    ]);
  });

  it('every N weeks, several weekdays, ending by count or date', () => {
    const occ = expandOccurrences(
      { frequency: 'weekly', interval: 2, weekdays: ['MO', 'TH'], count: 5 },
      { date: '2026-03-02', time: '13:30' },
      CHI,
    );
    expect(occ.map((o) => o.date)).toEqual([
      '2026-03-02',
      '2026-03-05',
      '2026-03-16',
      '2026-03-19',
      '2026-03-30',
    ]);
    const byDate = expandOccurrences(
      { frequency: 'weekly', interval: 3, until: '2026-04-13' },
      { date: '2026-03-02', time: '13:30' },
      CHI,
    );
    expect(byDate.map((o) => o.date)).toEqual(['2026-03-02', '2026-03-23', '2026-04-13']);
  });

  it('monthly by date skips months without the day; by weekday keeps "the 2nd Tuesday" or "the last Friday"', () => {
    const byDate = expandOccurrences(
      { frequency: 'monthly', interval: 1, count: 3 },
      { date: '2026-01-31', time: '09:00' },
      CHI,
    );
    expect(byDate.map((o) => o.date)).toEqual(['2026-01-31', '2026-03-31', '2026-05-31']);
    const second = expandOccurrences(
      { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: 3 },
      { date: '2026-03-10', time: '09:00' },
      CHI,
    );
    expect(second.map((o) => o.date)).toEqual(['2026-03-10', '2026-04-14', '2026-05-12']);
    const last = expandOccurrences(
      { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: 3 },
      { date: '2026-01-30', time: '09:00' },
      CHI,
    );
    expect(last.map((o) => o.date)).toEqual(['2026-01-30', '2026-02-27', '2026-03-27']);
    expect(
      describeRecurrence(
        { frequency: 'monthly', interval: 1, monthlyBy: 'weekday' },
        { date: '2026-01-30', time: '09:00' },
      ),
    ).toBe('Monthly on the last Friday at 09:00');
  });

  it('expands an open-ended rule only inside a window', () => {
    const occ = expandOccurrences(
      { frequency: 'daily', interval: 1, weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'] },
      { date: '2026-01-05', time: '12:00' },
      CHI,
      { fromDate: '2026-03-06', toDate: '2026-03-10' },
    );
    expect(occ.map((o) => [o.date, iso(o.startsAt)])).toEqual([
      ['2026-03-06', '2026-03-06T18:00:00.000Z'],
      ['2026-03-09', '2026-03-09T17:00:00.000Z'],
      ['2026-03-10', '2026-03-10T17:00:00.000Z'],
    ]);
    expect(() =>
      expandOccurrences({ frequency: 'daily', interval: 1 }, { date: '2026-01-05', time: '12:00' }, CHI),
    ).toThrow(/open-ended/);
  });

  it('gives the same occurrences in a late window whether it walks from the start or jumps ahead', () => {
    const cases = [
      { frequency: 'daily' as const, interval: 1, weekdays: ['MO' as const, 'WE' as const, 'FR' as const] },
      { frequency: 'daily' as const, interval: 3 },
      { frequency: 'weekly' as const, interval: 2 },
      {
        frequency: 'weekly' as const,
        interval: 3,
        weekdays: ['TU' as const, 'SU' as const],
        until: '2028-01-01',
      },
    ];
    for (const rule of cases) {
      const anchor = { date: '2025-06-04', time: '12:00' };
      const window = { fromDate: '2026-10-28', toDate: '2026-11-12' };
      const all = expandOccurrences(rule, anchor, CHI, { max: 1500 }).filter(
        (o) => o.date >= window.fromDate && o.date <= window.toDate,
      );
      expect(expandOccurrences(rule, anchor, CHI, window), JSON.stringify(rule)).toEqual(all);
      expect(all.length).toBeGreaterThan(0);
    }
  });

  it('writes RRULE text with UNTIL in UTC for a TZID start', () => {
    expect(
      toRRuleString(
        { frequency: 'weekly', interval: 2, until: '2026-11-16' },
        { date: '2026-10-19', time: '09:00' },
        CHI,
      ),
    ).toBe('FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=MO;UNTIL=20261117T055900Z');
    expect(
      toRRuleString(
        { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: 6 },
        { date: '2026-03-10', time: '09:00' },
        CHI,
      ),
    ).toBe('FREQ=MONTHLY;INTERVAL=1;WKST=MO;BYDAY=+2TU;COUNT=6');
  });
});

describe('series edits', () => {
  it('splits a counted series at an occurrence: the rest keeps the remaining count', () => {
    const rule = { frequency: 'weekly' as const, interval: 1, count: 10 };
    const { before, after } = splitRecurrence(rule, { date: '2026-03-02', time: '09:00' }, CHI, '2026-03-23');
    expect(before).toEqual({ frequency: 'weekly', interval: 1, until: '2026-03-22' });
    expect(after).toEqual({ frequency: 'weekly', interval: 1, count: 7 });
    expect(splitRecurrence(rule, { date: '2026-03-02', time: '09:00' }, CHI, '2026-03-02').before).toBeNull();
  });

  it('shifts explicit weekdays with a move of the whole series', () => {
    expect(
      shiftRecurrence(
        { frequency: 'weekly', interval: 1, weekdays: ['MO', 'SU'] },
        '2026-03-02',
        '2026-03-03',
      ).weekdays,
    ).toEqual(['TU', 'MO']);
    expect(
      shiftRecurrence({ frequency: 'weekly', interval: 1, weekdays: ['MO'] }, '2026-03-02', '2026-03-01')
        .weekdays,
    ).toEqual(['SU']);
  });

  // 2026: the last Fridays are 30 Jan (5th), 27 Feb, 27 Mar, 24 Apr (each also the 4th), 29 May (5th).
  const lastFriday = {
    frequency: 'monthly' as const,
    interval: 1,
    monthlyBy: 'weekday' as const,
    count: 6,
  };
  const lastFridayAnchor = { date: '2026-01-30', time: '09:00' };

  it('keeps "the last Friday" when split at a Friday that is also the 4th (never re-read from the new anchor)', () => {
    expect(toRRuleString(lastFriday, lastFridayAnchor, CHI)).toBe(
      'FREQ=MONTHLY;INTERVAL=1;WKST=MO;BYDAY=-1FR;COUNT=6',
    );
    const { before, after, resumeDate } = splitRecurrence(lastFriday, lastFridayAnchor, CHI, '2026-02-27');
    expect(resumeDate).toBe('2026-02-27');
    expect(before).toMatchObject({ weekdayOrdinal: -1, until: '2026-02-26' });
    expect(after).toEqual({ ...lastFriday, weekdayOrdinal: -1, count: 5 });
    const rest = expandOccurrences(after, { date: '2026-02-27', time: '09:00' }, CHI);
    expect(rest.map((o) => o.date)).toEqual([
      '2026-02-27',
      '2026-03-27',
      '2026-04-24',
      '2026-05-29',
      '2026-06-26',
    ]);
    expect(toRRuleString(after, { date: '2026-02-27', time: '09:00' }, CHI)).toContain('BYDAY=-1FR');
    expect(describeRecurrence(after, { date: '2026-02-27', time: '09:00' })).toBe(
      'Monthly on the last Friday at 09:00, 5 times',
    );
  });

  it('knows which ordinals a date has: a 4th Friday can also be the last, a 5th is only the last', () => {
    expect(weekdayOrdinalsOfDate('2026-06-19')).toEqual([3]);
    expect(weekdayOrdinalsOfDate('2026-06-26')).toEqual([4, -1]);
    expect(weekdayOrdinalsOfDate('2026-05-29')).toEqual([-1]);
    expect(weekdayOrdinalsOfDate('2028-02-29')).toEqual([-1]);
    expect(weekdayOrdinalsOfDate('2027-02-22')).toEqual([4, -1]);
  });

  it('moves "the last Friday" to "the last Thursday" only when the new date is the last Thursday', () => {
    // 26 Feb is the last Thursday of February: the ordinal stays "last".
    const split = { ...lastFriday, weekdayOrdinal: -1 as const };
    expect(shiftRecurrence(split, '2026-02-27', '2026-02-26').weekdayOrdinal).toBe(-1);
    // 20 Feb is the 3rd Friday and not the last: the user put it there, so "the 3rd Friday".
    expect(shiftRecurrence(split, '2026-02-27', '2026-02-20').weekdayOrdinal).toBe(3);
    // A rule that does not say reads its ordinal from its own anchor (30 January: the 5th, so the last).
    expect(shiftRecurrence(lastFriday, '2026-01-30', '2026-01-29').weekdayOrdinal).toBe(-1);
  });

  it('moves "every 2 weeks on Saturday and Sunday" by a day without breaking the pairs apart (WKST moves too)', () => {
    const rule = {
      frequency: 'weekly' as const,
      interval: 2,
      weekdays: ['SA' as const, 'SU' as const],
      count: 6,
    };
    const anchor = { date: '2026-03-07', time: '10:00' };
    const old = expandOccurrences(rule, anchor, CHI).map((o) => o.date);
    const moved = shiftRecurrence(rule, anchor.date, '2026-03-08');
    expect(moved).toMatchObject({ weekdays: ['SU', 'MO'], weekStart: 'TU' });
    const now = expandOccurrences(moved, { date: '2026-03-08', time: '10:00' }, CHI).map((o) => o.date);
    expect(now).toEqual(old.map((d) => addDays(d, 1)));
    // The window-by-window path agrees with rrule for a week that does not start on Monday.
    const open = { ...moved, count: undefined, until: '2026-06-30' };
    expect(
      expandOccurrences(open, { date: '2026-03-08', time: '10:00' }, CHI, {
        fromDate: '2026-04-01',
        toDate: '2026-05-31',
      }),
    ).toEqual(
      expandOccurrences(open, { date: '2026-03-08', time: '10:00' }, CHI, { max: 100 }).filter(
        (o) => o.date >= '2026-04-01' && o.date <= '2026-05-31',
      ),
    );
  });

  it('moves the end date with the series, so a move to a later weekday keeps the last appointment', () => {
    const rule = { frequency: 'weekly' as const, interval: 1, until: '2026-03-30' };
    const moved = shiftRecurrence(rule, '2026-03-02', '2026-03-03');
    expect(moved.until).toBe('2026-03-31');
    expect(expandOccurrences(moved, { date: '2026-03-03', time: '09:00' }, CHI)).toHaveLength(
      expandOccurrences(rule, { date: '2026-03-02', time: '09:00' }, CHI).length,
    );
  });

  it("resumes an off-rhythm split at the rule's next date, keeping the every-N-weeks phase", () => {
    const rule = { frequency: 'weekly' as const, interval: 2, count: 6 };
    const anchor = { date: '2026-03-02', time: '09:00' };
    // 9 March is not in the rule (every other Monday): a row kept from an earlier rule may stand for it.
    const { after, resumeDate } = splitRecurrence(rule, anchor, CHI, '2026-03-09');
    expect(resumeDate).toBe('2026-03-16');
    expect(after.count).toBe(5);
    expect(splitRecurrence(rule, anchor, CHI, '2026-05-12').resumeDate).toBeNull();
  });

  it('plans a regeneration: plain rows follow, exceptions stay, missing dates get rows, dropped dates go', () => {
    const occ = expandOccurrences(
      { frequency: 'weekly', interval: 1, count: 4 },
      { date: '2026-03-02', time: '10:00' },
      CHI,
    );
    const rows = [
      { id: 'a', occurrenceDate: '2026-03-02', status: 'scheduled', detached: false },
      { id: 'b', occurrenceDate: '2026-03-09', status: 'scheduled', detached: true },
      { id: 'c', occurrenceDate: '2026-03-16', status: 'cancelled', detached: false },
      { id: 'd', occurrenceDate: '2026-03-30', status: 'scheduled', detached: false },
      { id: 'e', occurrenceDate: '2026-04-06', status: 'checked_out', detached: false },
    ];
    const plan = planRegeneration(occ, rows);
    expect(plan.update.map((u) => [u.row.id, u.occurrence.date])).toEqual([['a', '2026-03-02']]);
    expect(plan.keep.map((r) => r.id).sort()).toEqual(['b', 'c', 'e']);
    expect(plan.insert.map((o) => o.date)).toEqual(['2026-03-23']);
    expect(plan.remove.map((r) => r.id)).toEqual(['d']);
  });
});
