import { describe, expect, it } from 'vitest';
import {
  formatCalendarDate,
  formatDate,
  formatDateTime,
  formatDay,
  formatLongDay,
  formatTime,
  formatTimestamp,
  formatWallTime,
  zoneAbbreviation,
} from '../../../server/contracts/time-format';
import * as screens from '../../../renderer/ui/format';
import { describeRecurrence } from '../../../server/domain/scheduling/recurrence';

const chicago12 = { timeZone: 'America/Chicago', timeFormat: '12h' } as const;
const chicago24 = { timeZone: 'America/Chicago', timeFormat: '24h' } as const;
// 14:05 in Chicago (CST, UTC-6) on March 3, 2026; 20:05 UTC.
const afternoon = '2026-03-03T20:05:09Z';

describe('one date and time format (server/contracts/time-format.ts)', () => {
  it('shows times in the clinic’s zone and the clinic’s clock', () => {
    expect(formatTime(afternoon, chicago24)).toBe('14:05');
    expect(formatTime(afternoon, chicago12)).toBe('2:05 PM');
    expect(formatTime('2026-03-03T06:00:00Z', chicago24)).toBe('00:00');
    expect(formatTime('2026-03-03T06:00:00Z', chicago12)).toBe('12:00 AM');
    // Not the workstation's zone: the same instant in Tokyo is the next morning.
    expect(formatTime(afternoon, { timeZone: 'Asia/Tokyo', timeFormat: '24h' })).toBe('05:05');
  });

  it('dates read one way, with or without a time', () => {
    expect(formatDate(afternoon, chicago24)).toBe('Mar 3, 2026');
    expect(formatDateTime(afternoon, chicago24)).toBe('Mar 3, 2026, 14:05');
    expect(formatDateTime(afternoon, chicago12)).toBe('Mar 3, 2026, 2:05 PM');
    expect(formatTimestamp(afternoon, chicago12)).toBe('Mar 3, 2026, 2:05:09 PM');
    expect(formatCalendarDate('1988-04-12')).toBe('Apr 12, 1988');
    expect(formatDay('2026-03-03')).toBe('Tue, Mar 3');
    expect(formatLongDay('2026-03-03')).toBe('Tuesday, March 3, 2026');
    expect(formatDateTime(null, chicago24)).toBe('—');
    expect(zoneAbbreviation(afternoon, 'America/Chicago')).toBe('CST');
  });

  it('wall times of the schedule (hours, slots) follow the clock too', () => {
    expect(formatWallTime('09:30', '24h')).toBe('09:30');
    expect(formatWallTime('09:30', '12h')).toBe('9:30 AM');
    expect(formatWallTime(13 * 60, '12h')).toBe('1:00 PM');
    expect(formatWallTime(12 * 60, '12h')).toBe('12:00 PM');
  });

  it('the screens and the server say the same thing for the same instant', () => {
    screens.setClinicTimeFormat('12h');
    expect(screens.formatShortDateTime(afternoon, 'America/Chicago')).toBe(
      formatDateTime(afternoon, chicago12),
    );
    expect(screens.formatTime(afternoon, 'America/Chicago')).toBe('2:05 PM');
    expect(screens.formatWallTime('14:30')).toBe('2:30 PM');
    screens.setClinicTimeFormat('24h');
    expect(screens.formatDateTime(afternoon, 'America/Chicago')).toBe(formatTimestamp(afternoon, chicago24));
    expect(screens.formatTime(afternoon, 'America/Chicago')).toBe('14:05');
  });

  it('a repeat rule’s description uses the clinic’s clock', () => {
    const rule = { frequency: 'weekly', interval: 1, count: 4 } as const;
    expect(describeRecurrence(rule, { date: '2026-03-03', time: '14:30' }, '12h')).toBe(
      'Weekly on Tuesday at 2:30 PM, 4 times',
    );
    expect(describeRecurrence(rule, { date: '2026-03-03', time: '14:30' }, '24h')).toBe(
      'Weekly on Tuesday at 14:30, 4 times',
    );
  });
});
