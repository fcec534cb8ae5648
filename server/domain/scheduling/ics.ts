import { DateTime, FixedOffsetZone } from 'luxon';
import type { LocalDateTime } from './time';

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
  /** For a repeating event: its rule. `start`/`end` are then those of the first instance. */
  repeat?: IcsRepeat;
  /** For an overriding instance: the rule's local date and wall time of the occurrence it replaces. */
  recurrenceId?: LocalDateTime;
  sequence?: number;
  lastModified?: Date;
}

export interface IcsRepeat {
  /** RRULE value; UNTIL (if any) in UTC, as RFC 5545 requires with a TZID start. */
  rrule: string;
  /**
   * The rule's first local date and wall time: DTSTART;TZID=, the wall time every instance repeats (not the
   * first instant's local rendering, which differs when that wall time falls in a spring-forward gap).
   */
  anchor: LocalDateTime;
  durationMinutes: number;
  /** Occurrences that do not take place, as the rule's local dates and wall times. */
  exdates: LocalDateTime[];
  /** The end of the last instance: the VTIMEZONE must describe the zone up to it (RFC 5545 3.6.5). */
  lastEnd: Date;
}

export interface IcsCalendar {
  name: string;
  zone: string;
  events: IcsEvent[];
  now: Date;
}

const PRODID = '-//Tessera//Clinic workstation//EN';

/**
 * TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon and comma escaped; every line break (CRLF, LF
 * or a bare CR, which would otherwise end the content line) becomes a literal backslash-n; other control characters, which a
 * TEXT value may not hold, are dropped (a tab stays); a lone UTF-16 surrogate becomes U+FFFD, as it would in
 * UTF-8 anyway, so folding counts the octets that are sent.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\t' ? c : ''));
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
const wallStamp = (w: LocalDateTime) => `${w.date.replace(/-/g, '')}T${w.time.replace(':', '')}00`;

/**
 * The instants a local wall time names in a zone: one normally, none in a spring-forward gap, two in a
 * fall-back hour. Readers differ on which of two they take (RFC 5545 says the first; ical.js takes the
 * second), so a time written in local form must name exactly one.
 */
export function wallInstants(w: LocalDateTime, zone: string): number[] {
  const [y, mo, d] = w.date.split('-').map(Number) as [number, number, number];
  const [h, mi] = w.time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const offsets = offsetsAround(zone, w.date, Date.UTC(y, mo - 1, d, 12));
  // Most days see one offset: the wall time names exactly one instant, with no more zone arithmetic.
  if (offsets.length === 1) return [naive - offsets[0]! * 60_000];
  const found = new Set<number>();
  for (const offset of offsets) {
    const t = naive - offset * 60_000;
    const back = DateTime.fromMillis(t, { zone });
    if (back.year === y && back.month === mo && back.day === d && back.hour === h && back.minute === mi)
      found.add(t);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The offsets in force from a day and a half before a date's noon to a day and a half after: every offset
 * a wall time on that date can have. Zone arithmetic is the slow part of an export (a series has hundreds
 * of instances, and series share dates), so answers are remembered per zone and date.
 */
function offsetsAround(zone: string, date: string, noon: number): number[] {
  const key = `${zone}|${date}`;
  const known = dayOffsets.get(key);
  if (known) return known;
  const SPAN = 36 * 3_600_000;
  const found = [
    ...new Set([noon - SPAN, noon, noon + SPAN].map((t) => DateTime.fromMillis(t, { zone }).offset)),
  ];
  if (dayOffsets.size >= 20_000) dayOffsets.clear();
  dayOffsets.set(key, found);
  return found;
}
const dayOffsets = new Map<string, number[]>();

/** Whether an instant written as its local wall time in the zone reads back as that instant, whoever reads it. */
export function hasUniqueWallTime(d: Date, zone: string): boolean {
  const dt = DateTime.fromJSDate(d, { zone });
  const wall = { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm') };
  const named = wallInstants(wall, zone);
  return dt.second === 0 && dt.millisecond === 0 && named.length === 1 && named[0] === d.getTime();
}

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

const offsetAt = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).offset;

/** One occurrence of a repeating event, as its rule puts it and as it stands. */
export interface IcsInstance {
  /** The rule's local date and wall time for it (its RECURRENCE-ID). */
  wall: LocalDateTime;
  /** Where the rule puts it. */
  ruleStart: Date;
  /** How it stands, or null when it does not take place (EXDATE). */
  event: Omit<IcsEvent, 'uid' | 'repeat' | 'recurrenceId'> | null;
  /** Edited on its own: written as an overriding instance even when its times are the rule's. */
  edited?: boolean;
}

/**
 * A repeating event as iCalendar events: the master (RRULE, DURATION, EXDATE for instances that do not take
 * place) and an overriding event (same UID, RECURRENCE-ID) for each instance that was moved or edited, or
 * whose times a reader could place elsewhere — a wall time in a fall-back hour (readers disagree on which of
 * the two instants it means) or a spring-forward gap, or a visit over an offset change (some readers add
 * its DURATION to the wall clock) — written in UTC, so every reader places it where Tessera does.
 */
export function repeatingEvents(
  master: Omit<IcsEvent, 'repeat' | 'recurrenceId'> & Omit<IcsRepeat, 'exdates' | 'lastEnd'>,
  instances: readonly IcsInstance[],
  zone: string,
): IcsEvent[] {
  const { rrule, anchor, durationMinutes, ...fields } = master;
  const durationMs = durationMinutes * 60_000;
  const exdates: LocalDateTime[] = [];
  const overrides: IcsEvent[] = [];
  for (const i of instances) {
    if (!i.event) {
      exdates.push(i.wall);
      continue;
    }
    const named = wallInstants(i.wall, zone);
    // DURATION is exact time, but some readers (ical.js) add it to the wall clock: an instance over an
    // offset change gets its own UTC end too.
    const exact =
      named.length === 1 &&
      named[0] === i.ruleStart.getTime() &&
      offsetAt(i.event.start, zone) === offsetAt(i.event.end, zone);
    const moved =
      i.event.start.getTime() !== i.ruleStart.getTime() ||
      i.event.end.getTime() - i.event.start.getTime() !== durationMs;
    if (moved || i.edited || !exact) overrides.push({ ...i.event, uid: master.uid, recurrenceId: i.wall });
  }
  const last = instances.at(-1)?.ruleStart ?? master.start;
  return [
    {
      ...fields,
      repeat: {
        rrule,
        anchor,
        durationMinutes,
        exdates,
        lastEnd: new Date(last.getTime() + durationMs),
      },
    },
    ...overrides,
  ];
}

/**
 * The calendar. Times are local with TZID where the wall time names one instant; a time in a repeated
 * (fall-back) hour is written in UTC instead. A repeating event keeps DTSTART;TZID (its rule repeats wall
 * times) and a DURATION; the exporter overrides any instance whose wall time does not name its instant.
 * The VTIMEZONE covers every instance of every event (RFC 5545 3.6.5).
 */
export function buildCalendar(cal: IcsCalendar): string {
  const instants = cal.events.flatMap((e) => [e.start, e.end, ...(e.repeat ? [e.repeat.lastEnd] : [])]);
  const yearOf = (d: Date) => DateTime.fromJSDate(d, { zone: cal.zone }).year;
  const fromYear = instants.length ? Math.min(...instants.map(yearOf)) : yearOf(cal.now);
  const toYear = instants.length ? Math.max(...instants.map(yearOf)) : yearOf(cal.now);
  const time = (name: string, d: Date) =>
    hasUniqueWallTime(d, cal.zone)
      ? `${name};TZID=${cal.zone}:${localStamp(d, cal.zone)}`
      : `${name}:${utcStamp(d)}`;
  const wall = (name: string, w: LocalDateTime) => `${name};TZID=${cal.zone}:${wallStamp(w)}`;
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
    // RECURRENCE-ID and EXDATE name an instance by the rule's wall time, the way readers compute it.
    if (e.recurrenceId) lines.push(wall('RECURRENCE-ID', e.recurrenceId));
    if (e.repeat) {
      lines.push(
        wall('DTSTART', e.repeat.anchor),
        `DURATION:PT${e.repeat.durationMinutes}M`,
        `RRULE:${e.repeat.rrule}`,
      );
      if (e.repeat.exdates.length)
        lines.push(`EXDATE;TZID=${cal.zone}:${e.repeat.exdates.map(wallStamp).join(',')}`);
    } else {
      lines.push(time('DTSTART', e.start), time('DTEND', e.end));
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
