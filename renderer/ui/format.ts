import {
  DEFAULT_TIME_FORMAT,
  formatCalendarDate as calendarDate,
  formatDate as dateOfInstant,
  formatDateTime as dateTime,
  formatDay,
  formatLongDay,
  formatMonth,
  formatTime as timeOfDay,
  formatTimestamp,
  formatWallTime as wallTime,
  formatWeekday,
  type ClinicClock,
  type TimeFormat,
} from '../../server/contracts/time-format';

/**
 * Dates and times on screen, through the one set of helpers in server/contracts/time-format.ts (which the
 * servers' documents use too). Times are in the clinic's time zone (not the workstation's) and in the
 * clinic's 12- or 24-hour clock. Screens pass the zone they already hold; the clock is the signed-in
 * session's (`useClinicClockSetting`, set by the auth provider whenever the session is loaded or
 * refreshed, so a change in Admin > Clinic reaches every screen at once).
 */

let currentTimeFormat: TimeFormat = DEFAULT_TIME_FORMAT;

/** Called by the auth provider with the session's clinic. */
export function setClinicTimeFormat(format: TimeFormat): void {
  currentTimeFormat = format;
}

export const clinicTimeFormat = (): TimeFormat => currentTimeFormat;

const clock = (timeZone: string): ClinicClock => ({ timeZone, timeFormat: currentTimeFormat });

/** "Mar 10, 2026, 2:30:05 PM" (to the second: the audit report, install and sync stamps). */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  return formatTimestamp(iso, clock(timeZone));
}

/** "Mar 10, 2026, 2:30 PM". */
export function formatShortDateTime(iso: string | null | undefined, timeZone: string): string {
  return dateTime(iso, clock(timeZone));
}

/** "2:30 PM" / "14:30": the clinic's time of an instant. */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  return timeOfDay(iso, clock(timeZone));
}

/** "2:30 PM–3:00 PM". */
export function formatTimeRange(startIso: string, endIso: string, timeZone: string): string {
  return `${formatTime(startIso, timeZone)}–${formatTime(endIso, timeZone)}`;
}

/** A wall time of the clinic's day ("14:30" or minutes after midnight) in the clinic's clock. */
export function formatWallTime(time: string | number): string {
  return wallTime(time, currentTimeFormat);
}

/** "Mar 10, 2026": the clinic's date of an instant. */
export function formatDate(iso: string | null | undefined, timeZone: string): string {
  return dateOfInstant(iso, { timeZone });
}

/** A calendar date (YYYY-MM-DD, no zone), e.g. a date of birth: "Mar 10, 2026". */
export function formatCalendarDate(ymd: string | null | undefined): string {
  return calendarDate(ymd);
}

export { formatDay, formatLongDay, formatMonth, formatWeekday };
