/**
 * Calendar dates (YYYY-MM-DD, no zone): the one implementation of the date helpers both servers and the
 * renderer use. Pure, no dependencies (the renderer imports it), correct for every year 0000-9999:
 * `Date.UTC` maps years 0-99 to 1900-1999, so years are set with setUTCFullYear instead.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year, month, day of a real calendar date, or null (malformed text, 31 February, month 13). */
export function calendarParts(date: string): { year: number; month: number; day: number } | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = utc(year, month, day);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day
    ? { year, month, day }
    : null;
}

function utc(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The date `days` calendar days after `date` (before, when negative). Throws a RangeError for text that is
 * not a calendar date or a result outside years 0000-9999; inputs are validated before they get here.
 */
export function addDays(date: string, days: number): string {
  const p = calendarParts(date);
  if (!p || !Number.isInteger(days)) throw new RangeError('addDays needs a calendar date and whole days.');
  const d = utc(p.year, p.month, p.day + days);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('The date is outside years 0000-9999.');
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Whole years from a date of birth to a calendar date; a birthday on 29 February counts on 1 March in
 * other years. Null when either is not a calendar date or the date is before the birth.
 */
export function ageOn(dateOfBirth: string, onDate: string): number | null {
  const b = calendarParts(dateOfBirth);
  const o = calendarParts(onDate);
  if (!b || !o) return null;
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age -= 1;
  return age >= 0 ? age : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar date in an IANA time zone (the clinic's, not the computer's), at `now`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const get = (type: string) => Number(parts.find((x) => x.type === type)?.value);
  return `${pad(get('year'), 4)}-${pad(get('month'))}-${pad(get('day'))}`;
}
