import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, vtimezone } from '../../../server/domain/scheduling/ics';

describe('iCalendar text', () => {
  it('escapes text values and folds long lines at 75 octets without splitting characters', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const line = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBe(2);
    for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded[1]!.startsWith(' ')).toBe(true);
    expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
  });

  it('describes the clinic zone with its real DST transitions', () => {
    const lines = vtimezone('America/Chicago', 2026, 2026);
    expect(lines).toEqual(expect.arrayContaining(['DTSTART:20260308T020000', 'DTSTART:20261101T020000']));
    const utc = vtimezone('UTC', 2026, 2026);
    expect(utc.filter((l) => l.startsWith('BEGIN:'))).toEqual(['BEGIN:VTIMEZONE', 'BEGIN:STANDARD']);
  });

  it('builds a calendar with UID, DTSTAMP, TZID times, RRULE, EXDATE and RECURRENCE-ID', () => {
    const text = buildCalendar({
      name: 'Test',
      zone: 'America/Chicago',
      now: new Date('2026-03-01T00:00:00Z'),
      events: [
        {
          uid: 's@x',
          start: new Date('2026-03-02T15:00:00Z'),
          end: new Date('2026-03-02T15:30:00Z'),
          summary: 'Follow-up',
          rrule: 'FREQ=WEEKLY;COUNT=3',
          exdates: [new Date('2026-03-09T14:00:00Z')],
        },
        {
          uid: 's@x',
          recurrenceId: new Date('2026-03-16T14:00:00Z'),
          start: new Date('2026-03-17T15:00:00Z'),
          end: new Date('2026-03-17T15:30:00Z'),
          summary: 'Follow-up',
        },
      ],
    });
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260302T090000\r\n');
    expect(text).toContain('EXDATE;TZID=America/Chicago:20260309T090000\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=America/Chicago:20260316T090000\r\n');
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260317T100000\r\n');
    expect(text).toContain('DTSTAMP:20260301T000000Z\r\n');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
