import { addDays } from '../../../server/contracts/calendar';
import { DateTime } from 'luxon';
import { formatDay, formatLongDay, formatMonth } from '../../ui/format';

/**
 * The schedule is laid out in the clinic's time zone, whatever the workstation's own zone is. Times go to
 * the server as UTC instants; dates and wall times on screen are the clinic's.
 */

export function toInstant(date: string, time: string, zone: string): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi }, { zone }).toUTC().toISO()!;
}

export function local(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { zone });
}

export const dateOf = (iso: string, zone: string) => local(iso, zone).toISODate()!;
/** The clinic's wall time of an instant as a form value ("14:30"); on screen use formatTime (ui/format). */
export const timeOf = (iso: string, zone: string) => local(iso, zone).toFormat('HH:mm');
export const minutesOf = (iso: string, zone: string) => {
  const dt = local(iso, zone);
  return dt.hour * 60 + dt.minute;
};

export function addMonths(date: string, months: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ months }).toISODate()!;
}

/** Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const dt = DateTime.fromISO(date, { zone: 'UTC' });
  return dt.minus({ days: dt.weekday - 1 }).toISODate()!;
}

export const weekDates = (date: string) => Array.from({ length: 7 }, (_, i) => addDays(weekStart(date), i));

/** Day and month names, as every screen shows them (server/contracts/time-format.ts): "Tue, Mar 10". */
export const shortDay = (date: string) => formatDay(date);
/** "Tuesday, March 10, 2026" */
export const longDay = (date: string) => formatLongDay(date);
export const monthTitle = (month: string) => formatMonth(month);
export const isoWeekday = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday;

/** Minutes after midnight as a form value ("09:30"); on screen use formatWallTime (ui/format). */
export const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const minutesFrom = (time: string) => {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** "12 min", "1 h 05 min" */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
