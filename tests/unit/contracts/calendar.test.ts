import { describe, expect, it } from 'vitest';
import { addDays, ageOn, calendarParts, todayIn } from '../../../server/contracts/calendar';

/**
 * The one implementation of the calendar-date helpers. The cases are those where the copies it replaced
 * (server/domain/scheduling/time, server/domain/patients/dates, renderer/ui/format,
 * renderer/features/scheduling/clinic-time) disagreed.
 */

describe('addDays', () => {
  it('steps over month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2025-03-09', 0)).toBe('2025-03-09');
  });

  it('keeps years 0-99 in their century (the server copy moved 0050 to 1950)', () => {
    expect(addDays('0050-01-01', 1)).toBe('0050-01-02');
    expect(addDays('0001-01-01', -1)).toBe('0000-12-31');
    expect(addDays('0999-12-31', 1)).toBe('1000-01-01');
  });

  it('refuses what is not a calendar date instead of inventing one (the server copy made 2024-02-30 into March)', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('nonsense', 1)).toThrow(RangeError);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(RangeError);
  });

  it('refuses to leave years 0000-9999 (the copies answered 10000-01-01 or +010000-01-01)', () => {
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts whole years; a 29 February birthday counts on 1 March in common years', () => {
    expect(ageOn('1980-02-29', '2026-02-28')).toBe(45);
    expect(ageOn('1980-02-29', '2026-03-01')).toBe(46);
    expect(ageOn('1980-02-29', '2024-02-29')).toBe(44);
    expect(ageOn('2000-06-15', '2000-06-15')).toBe(0);
    expect(ageOn('2000-06-15', '2001-06-14')).toBe(0);
  });

  it('is null before birth (the server copy answered -11) and for text that is not a date (NaN)', () => {
    expect(ageOn('2010-05-05', '2000-01-01')).toBeNull();
    expect(ageOn('nonsense', '2026-01-01')).toBeNull();
    expect(ageOn('2000-02-30', '2026-01-01')).toBeNull();
  });
});

describe('todayIn', () => {
  it('is the clinic zone’s date, not the computer’s', () => {
    const instant = new Date('2025-03-10T03:30:00Z');
    expect(todayIn('America/Chicago', instant)).toBe('2025-03-09');
    expect(todayIn('Europe/Berlin', instant)).toBe('2025-03-10');
    expect(todayIn('Pacific/Kiritimati', new Date('2025-12-31T10:30:00Z'))).toBe('2026-01-01');
  });

  it('writes four-digit years (the copies wrote 500-06-01)', () => {
    const early = new Date(Date.UTC(2000, 5, 1, 12));
    early.setUTCFullYear(500);
    expect(todayIn('UTC', early)).toBe('0500-06-01');
  });

  it('refuses an unknown zone (the server copy answered NaN-NaN-NaN)', () => {
    expect(() => todayIn('Mars/Olympus_Mons', new Date())).toThrow(RangeError);
  });
});

describe('calendarParts', () => {
  it('accepts real dates only', () => {
    expect(calendarParts('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(calendarParts('2023-02-29')).toBeNull();
    expect(calendarParts('2023-13-01')).toBeNull();
    expect(calendarParts('2023-1-01')).toBeNull();
  });
});
