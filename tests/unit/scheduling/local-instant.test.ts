import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localToInstant } from '../../../server/domain/scheduling/time';

/**
 * localToInstant converts with one remembered offset per zone and day when the day has no DST change.
 * It must agree with a straight luxon conversion (RFC 5545 rules: a skipped wall time moves past the gap,
 * a repeated one means the first) on every date, time and zone, DST days included.
 */
function reference(date: string, time: string, zone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  const earlier = dt.minus({ hours: 1 });
  if (earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.offset !== dt.offset) {
    return earlier.toMillis();
  }
  return dt.toMillis();
}

const zones = ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/St_Johns', 'UTC'];
const pad = (n: number) => String(n).padStart(2, '0');

describe('localToInstant', () => {
  it('agrees with luxon on random dates and on the DST change days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(...zones),
        (d, h, m, zone) => {
          const date = d.toISOString().slice(0, 10);
          const time = `${pad(h)}:${pad(m)}`;
          expect(localToInstant(date, time, zone).getTime()).toBe(reference(date, time, zone));
        },
      ),
      { seed: 1405, numRuns: 2000 },
    );
    for (const [date, zone] of [
      ['2026-03-08', 'America/Chicago'],
      ['2026-11-01', 'America/Chicago'],
      ['2026-03-29', 'Europe/London'],
      ['2026-10-25', 'Europe/London'],
      ['2026-04-05', 'Australia/Lord_Howe'],
    ] as const) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
        expect(localToInstant(date, time, zone).getTime(), `${zone} ${date} ${time}`).toBe(reference(date, time, zone));
      }
    }
  });
});
