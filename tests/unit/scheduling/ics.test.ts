import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, vtimezone } from '../../../server/domain/scheduling/ics';
import { oracleInstances } from '../../support/ical-oracle';

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

  it('escapes a bare CR and drops the control characters a TEXT value may not hold', () => {
    expect(escapeText('a\rb\r\nc\nd')).toBe('a\\nb\\nc\\nd');
    expect(escapeText('bell\u0007 nul\u0000 esc\u001b del\u007f tab\tend')).toBe('bell nul esc del tab\tend');
    // A lone surrogate is what UTF-8 would send anyway: U+FFFD (so folding counts the right octets).
    expect(escapeText('x\uD83Dy')).toBe('x\uFFFDy');
    // What a reader makes of it: the same text with the line breaks, and one content line per property.
    const text = buildCalendar({
      name: 'Test',
      zone: 'UTC',
      now: new Date('2026-03-01T00:00:00Z'),
      events: [
        {
          uid: 'a@t',
          start: new Date('2026-03-02T15:00:00Z'),
          end: new Date('2026-03-02T15:30:00Z'),
          summary: 'Line one\rLINE:two\u0000',
        },
      ],
    });
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]|\p{Cc}/u);
    expect(oracleInstances(text)[0]!.summary).toBe('Line one\nLINE:two');
  });

  it('never splits a UTF-8 sequence or a surrogate pair when folding (any text)', () => {
    const piece = fc.constantFrom('a', 'é', '€', '𝒜', '😀', '𠀋', 'ß', ' ', ',', '\\');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (parts) => {
        const line = `SUMMARY:${escapeText(parts.join(''))}`;
        const folded = foldLine(line).split('\r\n');
        for (const [i, part] of folded.entries()) {
          const bytes = Buffer.from(part, 'utf8');
          expect(bytes.length).toBeLessThanOrEqual(75);
          // Each physical line decodes on its own: no character was cut in two.
          expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(part);
          expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
          if (i > 0) expect(part.startsWith(' ')).toBe(true);
        }
        expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
      }),
    );
  });

  it('describes the clinic zone with its real DST transitions', () => {
    const lines = vtimezone('America/Chicago', 2026, 2026);
    expect(lines).toEqual(expect.arrayContaining(['DTSTART:20260308T020000', 'DTSTART:20261101T020000']));
    const utc = vtimezone('UTC', 2026, 2026);
    expect(utc.filter((l) => l.startsWith('BEGIN:'))).toEqual(['BEGIN:VTIMEZONE', 'BEGIN:STANDARD']);
  });

  it('builds a calendar with UID, DTSTAMP, TZID times, RRULE, DURATION, EXDATE and RECURRENCE-ID', () => {
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
          repeat: {
            rrule: 'FREQ=WEEKLY;COUNT=3',
            anchor: { date: '2026-03-02', time: '09:00' },
            durationMinutes: 30,
            exdates: [{ date: '2026-03-09', time: '09:00' }],
            lastEnd: new Date('2026-03-16T14:30:00Z'),
          },
        },
        {
          uid: 's@x',
          recurrenceId: { date: '2026-03-16', time: '09:00' },
          start: new Date('2026-03-17T15:00:00Z'),
          end: new Date('2026-03-17T15:30:00Z'),
          summary: 'Follow-up',
        },
      ],
    });
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260302T090000\r\nDURATION:PT30M\r\n');
    expect(text).toContain('EXDATE;TZID=America/Chicago:20260309T090000\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=America/Chicago:20260316T090000\r\n');
    expect(text).toContain('DTSTART;TZID=America/Chicago:20260317T100000\r\n');
    expect(text).toContain('DTSTAMP:20260301T000000Z\r\n');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
