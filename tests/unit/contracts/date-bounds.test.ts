import { describe, expect, it } from 'vitest';
import { timeZoneSchema } from '../../../server/contracts/common';
import {
  boundedDate,
  boundedInstant,
  boundedMonth,
  dateRangeProblem,
  scheduleDates,
} from '../../../server/contracts/date-bounds';

describe('date bounds', () => {
  it('accepts the window inclusive and refuses what lies outside, with a sentence', () => {
    const date = boundedDate(scheduleDates);
    expect(date.safeParse('2000-01-01').success).toBe(true);
    expect(date.safeParse('2099-12-31').success).toBe(true);
    for (const d of ['1999-12-31', '2100-01-01', '1800-01-01', '9999-12-31', '0001-01-01']) {
      const r = date.safeParse(d);
      expect(r.success, d).toBe(false);
      expect(r.error!.issues[0]!.message).toBe('Choose a date between 2000 and 2099.');
    }
    expect(date.safeParse('2026-02-30').error!.issues[0]!.message).toBe('Enter a complete date.');
    const month = boundedMonth(scheduleDates);
    expect(month.safeParse('2099-12').success).toBe(true);
    expect(month.safeParse('0000-01').success).toBe(false);
    const instant = boundedInstant(scheduleDates);
    expect(instant.safeParse('2026-03-02T09:00:00-06:00').success).toBe(true);
    expect(instant.safeParse('1800-01-01T00:00:00Z').success).toBe(false);
    expect(instant.safeParse('+275760-09-13T00:00:00Z').success).toBe(false);
  });

  it('checks a range for order and span (inclusive days)', () => {
    expect(dateRangeProblem('2026-03-01', '2026-04-11', 42)).toBeNull();
    expect(dateRangeProblem('2026-03-01', '2026-04-12', 42)).toBe('Ask for at most 42 days at a time.');
    expect(dateRangeProblem('2026-03-02', '2026-03-01', 42)).toBe('The end date must not be before the start date.');
    expect(dateRangeProblem(undefined, '2026-03-01', 42)).toBeNull();
  });

  it('stores a time zone under its canonical name and refuses ones that do not exist', () => {
    expect(timeZoneSchema.parse('america/chicago')).toBe('America/Chicago');
    expect(timeZoneSchema.parse('America/Chicago')).toBe('America/Chicago');
    for (const tz of ['Mars/Olympus_Mons', 'Etc/Unknown', 'Factory', '', 'x'.repeat(500)]) {
      expect(timeZoneSchema.safeParse(tz).success, tz).toBe(false);
    }
  });
});
