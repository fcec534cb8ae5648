import { z } from 'zod';

/**
 * The one way dates and times read, on every screen and in every document (the renderer through
 * renderer/ui/format.ts, the servers' PDFs and exports directly). Times are shown in the clinic's time
 * zone, not the workstation's, and in the clinic's 12- or 24-hour clock (Admin > Clinic); dates in one
 * style ("Mar 10, 2026"). Plain `Intl`, so the browser and Node format alike.
 *
 * Machine formats (form values "14:30", ISO dates, iCalendar stamps) are not display and stay where they are.
 */

export const timeFormats = ['12h', '24h'] as const;
export const timeFormatSchema = z.enum(timeFormats);
export type TimeFormat = z.infer<typeof timeFormatSchema>;
export const timeFormatLabels: Record<TimeFormat, string> = {
  '12h': '12-hour clock (2:30 PM)',
  '24h': '24-hour clock (14:30)',
};
/** Clinics that never chose keep the clock Tessera always showed. */
export const DEFAULT_TIME_FORMAT: TimeFormat = '24h';

/** What a formatter needs to know about the clinic. */
export interface ClinicClock {
  timeZone: string;
  timeFormat: TimeFormat;
}

/** One locale for every clinic for now: dates read "Mar 10, 2026" everywhere, screens and paper alike. */
const LOCALE = 'en-US';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: 'UTC' }); // an unknown zone: UTC, never the machine's
    }
    formatters.set(key, f);
  }
  return f;
}

const hourCycle = (format: TimeFormat) => (format === '12h' ? 'h12' : 'h23');

function instant(iso: string | null | undefined): Date | null | string {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date;
}

const EMPTY = '—';

/** "2:30 PM" or "14:30". */
export function formatTime(iso: string | null | undefined, clock: ClinicClock): string {
  const d = instant(iso);
  if (d === null) return EMPTY;
  if (typeof d === 'string') return d;
  return formatter(clock.timeZone, {
    hour: clock.timeFormat === '12h' ? 'numeric' : '2-digit',
    minute: '2-digit',
    hourCycle: hourCycle(clock.timeFormat),
  }).format(d);
}

/** A wall time of the clinic's day ("14:30" or minutes after midnight) in the clinic's clock. */
export function formatWallTime(time: string | number, timeFormat: TimeFormat): string {
  const minutes =
    typeof time === 'number'
      ? time
      : (() => {
          const m = /^(\d{1,2}):(\d{2})/.exec(time);
          return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
        })();
  if (!Number.isFinite(minutes)) return String(time);
  const h = Math.floor(minutes / 60) % 24;
  const mm = String(minutes % 60).padStart(2, '0');
  if (timeFormat === '24h') return `${String(h).padStart(2, '0')}:${mm}`;
  return `${h % 12 === 0 ? 12 : h % 12}:${mm} ${h < 12 ? 'AM' : 'PM'}`;
}

/** "Mar 10, 2026" — the clinic's date of an instant. */
export function formatDate(iso: string | null | undefined, clock: Pick<ClinicClock, 'timeZone'>): string {
  const d = instant(iso);
  if (d === null) return EMPTY;
  if (typeof d === 'string') return d;
  return formatter(clock.timeZone, { dateStyle: 'medium' }).format(d);
}

/** "Mar 10, 2026, 2:30 PM" — an instant, to the minute. */
export function formatDateTime(iso: string | null | undefined, clock: ClinicClock): string {
  const d = instant(iso);
  if (d === null) return EMPTY;
  if (typeof d === 'string') return d;
  return `${formatDate(iso, clock)}, ${formatTime(iso, clock)}`;
}

/** "Mar 10, 2026, 2:30:05 PM" — to the second, for the audit report and other records of who did what. */
export function formatTimestamp(iso: string | null | undefined, clock: ClinicClock): string {
  const d = instant(iso);
  if (d === null) return EMPTY;
  if (typeof d === 'string') return d;
  const time = formatter(clock.timeZone, {
    hour: clock.timeFormat === '12h' ? 'numeric' : '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: hourCycle(clock.timeFormat),
  }).format(d);
  return `${formatDate(iso, clock)}, ${time}`;
}

/** The zone's short name at that instant ("CST", "GMT+1"), for documents read elsewhere. */
export function zoneAbbreviation(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const part = formatter(timeZone, { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

function calendarDate(ymd: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** A calendar date (YYYY-MM-DD, no zone: a birth date, a plan's review date): "Mar 10, 2026". */
export function formatCalendarDate(ymd: string | null | undefined): string {
  if (!ymd) return EMPTY;
  const d = calendarDate(ymd);
  return d ? formatter('UTC', { dateStyle: 'medium' }).format(d) : ymd;
}

/** "Tue, Mar 10" — a day of the schedule. */
export function formatDay(ymd: string): string {
  const d = calendarDate(ymd);
  return d ? formatter('UTC', { weekday: 'short', month: 'short', day: 'numeric' }).format(d) : ymd;
}

/** "Tuesday, March 10, 2026". */
export function formatLongDay(ymd: string): string {
  const d = calendarDate(ymd);
  return d ? formatter('UTC', { dateStyle: 'full' }).format(d) : ymd;
}

/** "Tuesday". */
export function formatWeekday(ymd: string): string {
  const d = calendarDate(ymd);
  return d ? formatter('UTC', { weekday: 'long' }).format(d) : ymd;
}

/** "March 2026" for YYYY-MM. */
export function formatMonth(month: string): string {
  const d = calendarDate(`${month}-01`);
  return d ? formatter('UTC', { month: 'long', year: 'numeric' }).format(d) : month;
}
