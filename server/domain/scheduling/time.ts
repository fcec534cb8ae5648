import { addDays } from '../../contracts/calendar';
import { DateTime } from 'luxon';

/**
 * Clinic wall time <-> UTC instants. The schedule is stored as UTC instants plus the clinic's IANA zone;
 * everything people see and every repeat rule works in the clinic's local time.
 */

export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
}

export interface Interval {
  start: number;
  end: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`Not a calendar date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function parseTime(time: string): { hour: number; minute: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new Error(`Not a wall time: ${time}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The instant of a local wall time, following RFC 5545 for the two awkward cases: a time skipped by a
 * spring-forward gap means the same length of time after the gap's start (02:30 → 03:30), and a time that
 * happens twice in a fall-back hour means the first of the two.
 */
export function localToInstant(date: string, time: string, zone: string): Date {
  // Schedules ask for the same few wall times (hours, lunch) on the same dates over and over; zone math
  // through Intl is the slow part, so answers are remembered (a pure function of its arguments).
  const key = `${zone}|${date}|${time}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const ms = computeInstant(date, time, zone);
  if (instants.size >= MEMO_LIMIT) instants.clear();
  instants.set(key, ms);
  return new Date(ms);
}

const MEMO_LIMIT = 50_000;
const instants = new Map<string, number>();

/**
 * The zone's UTC offset (minutes) on a local date when it is the same all day, else null (a DST change
 * that day). Remembered per zone and date: a series check converts thousands of wall times on a few
 * hundred dates, and Intl's zone lookups were most of its time.
 */
function steadyOffset(zone: string, year: number, month: number, day: number, date: string): number | null {
  const key = `${zone}|${date}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const first = DateTime.fromObject({ year, month, day, hour: 0, minute: 0 }, { zone });
  const last = DateTime.fromObject({ year, month, day, hour: 23, minute: 59 }, { zone });
  const offset = first.isValid && last.isValid && first.offset === last.offset ? first.offset : null;
  if (offsets.size >= MEMO_LIMIT) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const offsets = new Map<string, number | null>();

function computeInstant(date: string, time: string, zone: string): number {
  const { year, month, day } = parseDate(date);
  const { hour, minute } = parseTime(time);
  // Date.UTC reads years 0-99 as 1900-1999: those (refused by the contracts anyway) take the slow path.
  const offset = year >= 100 ? steadyOffset(zone, year, month, day, date) : null;
  if (offset !== null) return Date.UTC(year, month - 1, day, hour, minute) - offset * 60_000;
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!dt.isValid) throw new Error(`Invalid time zone or date: ${zone} ${date} ${time}`);
  // Ambiguous (fall back): an hour earlier may show the same wall time with the summer offset.
  const earlier = dt.minus({ hours: 1 });
  if (earlier.hour === dt.hour && earlier.minute === dt.minute && earlier.offset !== dt.offset) {
    return earlier.toMillis();
  }
  return dt.toMillis();
}

export function instantToLocal(
  instant: Date | string | number,
  zone: string,
): LocalDateTime & { weekday: number } {
  const ms = new Date(instant).getTime();
  const key = `${zone}|${ms}`;
  const known = locals.get(key);
  if (known) return { ...known };
  const dt = DateTime.fromMillis(ms, { zone });
  const local = {
    date: `${dt.year}-${pad(dt.month)}-${pad(dt.day)}`,
    time: `${pad(dt.hour)}:${pad(dt.minute)}`,
    weekday: dt.weekday,
  };
  if (locals.size >= MEMO_LIMIT) locals.clear();
  locals.set(key, local);
  return { ...local };
}

const locals = new Map<string, LocalDateTime & { weekday: number }>();

/** Minutes past local midnight, for laying out a day. */
export function minutesOfDay(instant: Date | string | number, zone: string): number {
  const dt = DateTime.fromMillis(new Date(instant).getTime(), { zone });
  return dt.hour * 60 + dt.minute;
}

/** The UTC instants bounding a clinic-local calendar day (23, 24 or 25 hours long). */
export function dayBounds(date: string, zone: string): Interval {
  // A midnight skipped by a DST change maps to the first instant of that day (the gap rule above).
  return {
    start: localToInstant(date, '00:00', zone).getTime(),
    end: localToInstant(addDays(date, 1), '00:00', zone).getTime(),
  };
}

/** Whole days from a to b (calendar dates). */
export function daysBetween(a: string, b: string): number {
  const pa = parseDate(a);
  const pb = parseDate(b);
  return Math.round(
    (Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000,
  );
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const { year, month, day } = parseDate(date);
  const js = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return js === 0 ? 7 : js;
}

/** Every calendar date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function timeToMinutes(time: string): number {
  const { hour, minute } = parseTime(time);
  return hour * 60 + minute;
}

export function minutesToTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
