import { DateTime, FixedOffsetZone } from 'luxon';

/**
 * iCalendar (RFC 5545) text: a VCALENDAR with the clinic's time zone as a VTIMEZONE, one VEVENT per
 * appointment, and repeating series as one VEVENT with RRULE, EXDATE for occurrences that no longer take
 * place, and overriding VEVENTs (same UID + RECURRENCE-ID) for occurrences moved on their own.
 * Lines end in CRLF and are folded at 75 octets.
 */

export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  status?: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
  /** RRULE value; UNTIL (if any) in UTC, as RFC 5545 requires with a TZID start. */
  rrule?: string;
  exdates?: Date[];
  /** For an overriding instance: the original start of the occurrence it replaces. */
  recurrenceId?: Date;
  sequence?: number;
  lastModified?: Date;
}

export interface IcsCalendar {
  name: string;
  zone: string;
  events: IcsEvent[];
  now: Date;
}

const PRODID = '-//Tessera//Clinic workstation//EN';

/** TEXT value escaping (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1). */
const utf8 = new TextEncoder();
const octets = (text: string) => utf8.encode(text).length;

export function foldLine(line: string): string {
  const bytes = octets(line);
  if (bytes <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  let limit = 75;
  for (const ch of line) {
    const b = octets(ch);
    if (currentBytes + b > limit) {
      parts.push(current);
      current = '';
      currentBytes = 0;
      limit = 74; // continuation lines start with one space
    }
    current += ch;
    currentBytes += b;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const localStamp = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyyMMdd'T'HHmmss");

const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};

/**
 * A VTIMEZONE describing the zone's offsets from the start of `fromYear` to the end of `toYear`: one
 * observance for the offset in force at the start, then one per transition (found by scanning days and
 * narrowing to the minute), each with its own DTSTART so no rule guessing is involved.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string[] {
  const lines: string[] = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const first = DateTime.fromObject({ year: fromYear, month: 1, day: 1 }, { zone });
  const observance = (
    kind: 'STANDARD' | 'DAYLIGHT',
    start: string,
    from: number,
    to: number,
    name: string,
  ) => {
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${start}`,
      `TZOFFSETFROM:${offsetText(from)}`,
      `TZOFFSETTO:${offsetText(to)}`,
      `TZNAME:${name}`,
      `END:${kind}`,
    );
  };
  observance(
    first.isInDST ? 'DAYLIGHT' : 'STANDARD',
    first.toFormat("yyyyMMdd'T'HHmmss"),
    first.offset,
    first.offset,
    first.offsetNameShort ?? zone,
  );
  const end = DateTime.fromObject({ year: toYear + 1, month: 1, day: 1 }, { zone }).toMillis();
  let t = first.toMillis();
  let offset = first.offset;
  const DAY = 86_400_000;
  while (t < end) {
    const next = Math.min(t + DAY, end);
    const nextOffset = DateTime.fromMillis(next, { zone }).offset;
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (DateTime.fromMillis(mid, { zone }).offset === offset) lo = mid;
        else hi = mid;
      }
      const after = DateTime.fromMillis(hi, { zone });
      // DTSTART of an observance is the local time just before the change, in the old offset.
      const before = DateTime.fromMillis(hi, { zone: FixedOffsetZone.instance(offset) });
      observance(
        after.isInDST ? 'DAYLIGHT' : 'STANDARD',
        before.toFormat("yyyyMMdd'T'HHmmss"),
        offset,
        after.offset,
        after.offsetNameShort ?? zone,
      );
      offset = nextOffset;
    }
    t = next;
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export function buildCalendar(cal: IcsCalendar): string {
  const years = cal.events
    .flatMap((e) => [e.start, e.end, ...(e.exdates ?? [])])
    .map((d) => d.getUTCFullYear());
  const fromYear = years.length ? Math.min(...years) : cal.now.getUTCFullYear();
  const toYear = years.length ? Math.max(...years) + 2 : cal.now.getUTCFullYear();
  const tz = (name: string, d: Date) => `${name};TZID=${cal.zone}:${localStamp(d, cal.zone)}`;
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${cal.zone}`,
    ...vtimezone(cal.zone, fromYear, toYear),
  ];
  for (const e of cal.events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${utcStamp(cal.now)}`);
    if (e.recurrenceId) lines.push(tz('RECURRENCE-ID', e.recurrenceId));
    lines.push(tz('DTSTART', e.start), tz('DTEND', e.end));
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    if (e.exdates?.length) {
      lines.push(`EXDATE;TZID=${cal.zone}:${e.exdates.map((d) => localStamp(d, cal.zone)).join(',')}`);
    }
    lines.push(`SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    lines.push(`STATUS:${e.status ?? 'CONFIRMED'}`);
    if (e.sequence !== undefined) lines.push(`SEQUENCE:${e.sequence}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${utcStamp(e.lastModified)}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
