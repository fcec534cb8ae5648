import { describe, expect, it } from 'vitest';
import type { Recurrence } from '../../../server/contracts/scheduling';
import { buildCalendar, repeatingEvents, type IcsEvent } from '../../../server/domain/scheduling/ics';
import {
  expandOccurrences,
  shiftRecurrence,
  splitRecurrence,
  toRRuleString,
  type Occurrence,
} from '../../../server/domain/scheduling/recurrence';
import { addDays } from '../../../server/contracts/calendar';
import { type LocalDateTime } from '../../../server/domain/scheduling/time';
import { oracleInstances } from '../../support/ical-oracle';

/**
 * Recurrence and export checked against outside oracles, case by case: the dates RFC 5545 publishes for its
 * examples (section 3.8.5.3, in the RFC's own zone), libical-style cases in several zones across their DST
 * changes (a northern and a southern one, one with a half-hour offset and none), and for every case the
 * independent parser ical.js reading Tessera's export — with the export's own VTIMEZONE — must place every
 * instance exactly where Tessera does, also after splitting the series at each of its instances.
 */

interface Case {
  name: string;
  zone: string;
  anchor: LocalDateTime;
  rule: Recurrence;
  minutes?: number;
  /** The local dates the RFC (or the case's author) publishes for it, when given. */
  dates?: string[];
}

const NY = 'America/New_York';
const rfc = (date: string): LocalDateTime => ({ date, time: '09:00' });
const days = (month: string, list: number[]) => list.map((d) => `${month}-${String(d).padStart(2, '0')}`);
const range = (month: string, from: number, to: number) =>
  days(
    month,
    Array.from({ length: to - from + 1 }, (_, i) => from + i),
  );

const cases: Case[] = [
  // RFC 5545 3.8.5.3, DTSTART;TZID=America/New_York:19970902T090000 unless said otherwise.
  {
    name: 'RFC: daily for 10 occurrences',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'daily', interval: 1, count: 10 },
    dates: range('1997-09', 2, 11),
  },
  {
    name: 'RFC: daily until December 24, 1997 (UNTIL=19971224T000000Z is 23 December, New York time)',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'daily', interval: 1, until: '1997-12-23' },
    dates: [
      ...range('1997-09', 2, 30),
      ...range('1997-10', 1, 31),
      ...range('1997-11', 1, 30),
      ...range('1997-12', 1, 23),
    ],
  },
  {
    name: 'RFC: every 10 days, 5 occurrences',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'daily', interval: 10, count: 5 },
    dates: ['1997-09-02', '1997-09-12', '1997-09-22', '1997-10-02', '1997-10-12'],
  },
  {
    name: 'RFC: weekly for 10 occurrences (across the October change)',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'weekly', interval: 1, count: 10 },
    dates: [...days('1997-09', [2, 9, 16, 23, 30]), ...days('1997-10', [7, 14, 21, 28]), '1997-11-04'],
  },
  {
    name: 'RFC: every other week on Monday, Wednesday and Friday until December 24, 1997 (WKST=SU)',
    zone: NY,
    anchor: rfc('1997-09-01'),
    rule: {
      frequency: 'weekly',
      interval: 2,
      weekdays: ['MO', 'WE', 'FR'],
      weekStart: 'SU',
      until: '1997-12-23',
    },
    dates: [
      ...days('1997-09', [1, 3, 5, 15, 17, 19, 29]),
      ...days('1997-10', [1, 3, 13, 15, 17, 27, 29, 31]),
      ...days('1997-11', [10, 12, 14, 24, 26, 28]),
      ...days('1997-12', [8, 10, 12, 22]),
    ],
  },
  {
    name: 'RFC: weekly on Tuesday and Thursday for five weeks',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'weekly', interval: 1, weekdays: ['TU', 'TH'], weekStart: 'SU', count: 10 },
    dates: [...days('1997-09', [2, 4, 9, 11, 16, 18, 23, 25, 30]), '1997-10-02'],
  },
  {
    name: 'RFC: every other week on Tuesday and Thursday, 8 occurrences',
    zone: NY,
    anchor: rfc('1997-09-02'),
    rule: { frequency: 'weekly', interval: 2, weekdays: ['TU', 'TH'], weekStart: 'SU', count: 8 },
    dates: [...days('1997-09', [2, 4, 16, 18, 30]), ...days('1997-10', [2, 14, 16])],
  },
  {
    name: 'RFC: WKST makes a difference (INTERVAL=2;BYDAY=TU,SU;WKST=MO)',
    zone: NY,
    anchor: rfc('1997-08-05'),
    rule: { frequency: 'weekly', interval: 2, weekdays: ['TU', 'SU'], count: 4 },
    dates: days('1997-08', [5, 10, 19, 24]),
  },
  {
    name: 'RFC: WKST makes a difference (INTERVAL=2;BYDAY=TU,SU;WKST=SU)',
    zone: NY,
    anchor: rfc('1997-08-05'),
    rule: { frequency: 'weekly', interval: 2, weekdays: ['TU', 'SU'], weekStart: 'SU', count: 4 },
    dates: days('1997-08', [5, 17, 19, 31]),
  },
  {
    name: 'RFC: monthly on the first Friday for 10 occurrences',
    zone: NY,
    anchor: rfc('1997-09-05'),
    rule: { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: 10 },
    dates: [
      '1997-09-05',
      '1997-10-03',
      '1997-11-07',
      '1997-12-05',
      '1998-01-02',
      '1998-02-06',
      '1998-03-06',
      '1998-04-03',
      '1998-05-01',
      '1998-06-05',
    ],
  },
  // libical-style: Tessera's own rule shapes in several zones, across DST changes both ways.
  {
    name: 'Chicago: the last Friday, from a 5th Friday, through 4th-and-last ones',
    zone: 'America/Chicago',
    anchor: { date: '2026-01-30', time: '16:30' },
    rule: { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', count: 12 },
    dates: [
      '2026-01-30',
      '2026-02-27',
      '2026-03-27',
      '2026-04-24',
      '2026-05-29',
      '2026-06-26',
      '2026-07-31',
      '2026-08-28',
      '2026-09-25',
      '2026-10-30',
      '2026-11-27',
      '2026-12-25',
    ],
  },
  {
    name: 'Chicago: Sundays at 01:30, in the repeated hour on 1 November',
    zone: 'America/Chicago',
    anchor: { date: '2026-10-18', time: '01:30' },
    rule: { frequency: 'weekly', interval: 1, count: 4 },
    minutes: 45,
  },
  {
    name: 'Chicago: daily at 02:30, skipped by the spring change on 8 March',
    zone: 'America/Chicago',
    anchor: { date: '2026-03-06', time: '02:30' },
    rule: { frequency: 'daily', interval: 1, count: 4 },
  },
  {
    name: 'Chicago: an evening visit of 3 hours across the autumn change',
    zone: 'America/Chicago',
    anchor: { date: '2026-10-31', time: '23:30' },
    rule: { frequency: 'daily', interval: 1, count: 3 },
    minutes: 180,
  },
  {
    name: 'Chicago: monthly on the 31st for three years (skips short months; the zone described to the end)',
    zone: 'America/Chicago',
    anchor: { date: '2026-12-31', time: '09:00' },
    rule: { frequency: 'monthly', interval: 1, until: '2029-11-30' },
  },
  {
    name: 'Chicago: every 3 months by weekday into later years',
    zone: 'America/Chicago',
    anchor: { date: '2026-11-10', time: '08:00' },
    rule: { frequency: 'monthly', interval: 3, monthlyBy: 'weekday', count: 12 },
  },
  {
    name: 'London: Sundays at 01:30 across both changes (gap in March, repeat in October)',
    zone: 'Europe/London',
    anchor: { date: '2026-03-15', time: '01:30' },
    rule: { frequency: 'weekly', interval: 1, until: '2026-11-08' },
  },
  {
    name: 'London: every 2 weeks on Saturday and Sunday (WKST=MO)',
    zone: 'Europe/London',
    anchor: { date: '2026-03-14', time: '10:00' },
    rule: { frequency: 'weekly', interval: 2, weekdays: ['SA', 'SU'], count: 12 },
  },
  {
    name: 'Sydney: Sundays at 02:30, repeated in April and skipped in October (southern DST)',
    zone: 'Australia/Sydney',
    anchor: { date: '2026-03-22', time: '02:30' },
    rule: { frequency: 'weekly', interval: 1, until: '2026-10-18' },
    minutes: 60,
  },
  {
    name: 'Sydney: the last Wednesday, monthly, over the year',
    zone: 'Australia/Sydney',
    anchor: { date: '2026-01-28', time: '09:15' },
    rule: { frequency: 'monthly', interval: 1, monthlyBy: 'weekday', weekdayOrdinal: -1, count: 14 },
  },
  {
    name: 'Kolkata: every 2 weeks on Monday and Thursday (a half-hour offset, no DST)',
    zone: 'Asia/Kolkata',
    anchor: { date: '2026-02-02', time: '11:00' },
    rule: { frequency: 'weekly', interval: 2, weekdays: ['MO', 'TH'], count: 20 },
  },
  {
    name: 'Kolkata: monthly on the 29th (February skipped except in leap years)',
    zone: 'Asia/Kolkata',
    anchor: { date: '2027-01-29', time: '17:45' },
    rule: { frequency: 'monthly', interval: 1, count: 26 },
  },
];

const NOW = new Date('2026-01-01T00:00:00Z');

/** What Tessera says a rule's instances are: [start, end] instants. */
const instants = (occ: Occurrence[], minutes: number) =>
  occ.map((o) => [o.startsAt.toISOString(), new Date(o.startsAt.getTime() + minutes * 60_000).toISOString()]);

/** A series exported the way the provider calendar exports it (every instance live, or as given). */
function seriesEvents(
  uid: string,
  c: { zone: string; anchor: LocalDateTime; rule: Recurrence; minutes: number },
  live: (o: Occurrence) => { start: Date; end: Date } | null = (o) => ({
    start: o.startsAt,
    end: new Date(o.startsAt.getTime() + c.minutes * 60_000),
  }),
): IcsEvent[] {
  const occ = expandOccurrences(c.rule, c.anchor, c.zone);
  return repeatingEvents(
    {
      uid,
      start: occ[0]!.startsAt,
      end: new Date(occ[0]!.startsAt.getTime() + c.minutes * 60_000),
      summary: 'Follow-up — A.B.',
      rrule: toRRuleString(c.rule, c.anchor, c.zone),
      anchor: c.anchor,
      durationMinutes: c.minutes,
    },
    occ.map((o) => {
      const at = live(o);
      return {
        wall: { date: o.date, time: o.time },
        ruleStart: o.startsAt,
        event: at && { ...at, summary: 'Follow-up — A.B.' },
      };
    }),
    c.zone,
  );
}

const oracle = (zone: string, events: IcsEvent[]) =>
  oracleInstances(buildCalendar({ name: 'Oracle', zone, now: NOW, events })).map((i) => [i.start, i.end]);

describe.each(cases)('$name', (c) => {
  const minutes = c.minutes ?? 30;
  const all = expandOccurrences(c.rule, c.anchor, c.zone);

  it.runIf(c.dates)('expands to the published dates', () => {
    expect(all.map((o) => o.date)).toEqual(c.dates);
  });

  it('exports instances that ical.js, reading the export, places exactly where Tessera does', () => {
    expect(all.length).toBeGreaterThan(1);
    expect(oracle(c.zone, seriesEvents('s@t', { ...c, minutes }))).toEqual(instants(all, minutes));
  });

  it('keeps every instance when split at each of them ("this and following"), by count or by end date', () => {
    for (const [k, at] of all.entries()) {
      if (k === 0) continue;
      const { before, after, resumeDate } = splitRecurrence(c.rule, c.anchor, c.zone, at.date);
      expect(resumeDate).toBe(at.date);
      const head = expandOccurrences(before!, c.anchor, c.zone);
      const tail = expandOccurrences(after, { date: at.date, time: c.anchor.time }, c.zone);
      expect([...head, ...tail], `split at ${at.date}`).toEqual(all);
      // Both halves exported together read back as the whole series.
      const events = [
        ...seriesEvents('a@t', { zone: c.zone, anchor: c.anchor, rule: before!, minutes }),
        ...seriesEvents('b@t', {
          zone: c.zone,
          anchor: { date: at.date, time: c.anchor.time },
          rule: after,
          minutes,
        }),
      ];
      if (k === 1 || k === all.length - 1 || k % 5 === 0)
        expect(oracle(c.zone, events), `split at ${at.date}`).toEqual(instants(all, minutes));
    }
  });

  it.runIf(c.rule.frequency !== 'monthly')('moves by a day with every instance one day later', () => {
    const to = addDays(c.anchor.date, 1);
    const moved = expandOccurrences(
      shiftRecurrence(c.rule, c.anchor.date, to),
      { ...c.anchor, date: to },
      c.zone,
    );
    expect(moved.map((o) => o.date)).toEqual(all.map((o) => addDays(o.date, 1)));
  });

  it('gives the same instances in any window as in the whole expansion (windows crossing the changes)', () => {
    const last = all.at(-1)!.date;
    for (let from = c.anchor.date; from <= last; from = addDays(from, 23)) {
      const to = addDays(from, 40);
      expect(expandOccurrences(c.rule, c.anchor, c.zone, { fromDate: from, toDate: to })).toEqual(
        all.filter((o) => o.date >= from && o.date <= to),
      );
    }
  });
});

describe('exceptions read back by ical.js', () => {
  it('cancelled instances (EXDATE) and instances moved on their own (RECURRENCE-ID), also in the repeated hour', () => {
    const c = cases.find((x) => x.name.startsWith('Chicago: Sundays at 01:30'))!;
    const minutes = 45;
    const all = expandOccurrences(c.rule, c.anchor, c.zone);
    const moved = new Date(Date.parse('2026-11-01T07:30:00Z')); // 01:30 CST, the second 01:30
    const events = seriesEvents('s@t', { ...c, minutes }, (o) => {
      if (o.date === '2026-10-25') return null;
      if (o.date === '2026-11-01') return { start: moved, end: new Date(moved.getTime() + minutes * 60_000) };
      return { start: o.startsAt, end: new Date(o.startsAt.getTime() + minutes * 60_000) };
    });
    const expected = all
      .filter((o) => o.date !== '2026-10-25')
      .map((o) => (o.date === '2026-11-01' ? moved : o.startsAt))
      .map((s) => [s.toISOString(), new Date(s.getTime() + minutes * 60_000).toISOString()]);
    expect(oracle(c.zone, events)).toEqual(expected);
  });

  it('single appointments in the repeated hour are written in UTC and read back exactly', () => {
    const first = new Date('2026-11-01T06:30:00Z'); // 01:30 CDT
    const second = new Date('2026-11-01T07:30:00Z'); // 01:30 CST
    const text = buildCalendar({
      name: 'Oracle',
      zone: 'America/Chicago',
      now: NOW,
      events: [
        { uid: 'a@t', start: first, end: new Date(first.getTime() + 30 * 60_000), summary: 'A' },
        { uid: 'b@t', start: second, end: new Date(second.getTime() + 30 * 60_000), summary: 'B' },
        {
          uid: 'c@t',
          start: new Date('2026-11-01T15:00:00Z'),
          end: new Date('2026-11-01T15:30:00Z'),
          summary: 'C',
        },
      ],
    });
    expect(text).toContain('DTSTART:20261101T063000Z\r\n');
    expect(text).toContain('DTSTART:20261101T073000Z\r\n');
    expect(text).toContain('DTSTART;TZID=America/Chicago:20261101T090000\r\n');
    expect(oracleInstances(text).map((i) => [i.uid, i.start, i.end])).toEqual([
      ['a@t', '2026-11-01T06:30:00.000Z', '2026-11-01T07:00:00.000Z'],
      ['b@t', '2026-11-01T07:30:00.000Z', '2026-11-01T08:00:00.000Z'],
      ['c@t', '2026-11-01T15:00:00.000Z', '2026-11-01T15:30:00.000Z'],
    ]);
  });
});
