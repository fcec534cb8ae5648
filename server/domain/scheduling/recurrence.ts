import { RRule, type Options, type Weekday } from './rrule';
import { weekdayCodes, type Recurrence, type WeekdayCode } from '../../contracts/scheduling';
import { daysBetween, instantToLocal, localToInstant, weekdayOf, type LocalDateTime } from './time';
import { addDays } from '../../contracts/calendar';

/**
 * Repeat rules. A rule is anchored at its first occurrence's clinic-local date and time and expanded in
 * local ("floating") time with the rrule library, then each occurrence is turned into a UTC instant in the
 * clinic zone. So a weekly 09:00 series stays at 09:00 local across DST changes, while its UTC instants move.
 *
 * rrule works on JS Dates in UTC; we hand it Dates whose UTC fields are the local wall time and read the
 * results back the same way (the library's documented way to get floating times).
 */

export interface Occurrence {
  /** Local calendar date of the occurrence: its identity within the series (RECURRENCE-ID). */
  date: string;
  time: string;
  startsAt: Date;
}

const RRULE_DAYS: Record<WeekdayCode, Weekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

const FREQ = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY } as const;

export const weekdayCode = (isoWeekday: number): WeekdayCode => weekdayCodes[(isoWeekday - 1 + 7) % 7]!;

const floating = (date: string, time = '00:00'): Date => {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi));
};

const pad = (n: number) => String(n).padStart(2, '0');
const fromFloating = (d: Date): LocalDateTime => ({
  date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
});

/** "The 2nd Tuesday" of the anchor's month; a 5th weekday is taken as "the last". */
export function nthWeekdayOf(date: string): number {
  const day = Number(date.slice(8, 10));
  const nth = Math.ceil(day / 7);
  return nth >= 5 ? -1 : nth;
}

function weekdaysFor(rec: Recurrence, anchor: LocalDateTime): WeekdayCode[] {
  if (rec.weekdays?.length) return [...new Set(rec.weekdays)];
  return [weekdayCode(weekdayOf(anchor.date))];
}

export function rruleOptions(rec: Recurrence, anchor: LocalDateTime): Partial<Options> {
  const options: Partial<Options> = {
    freq: FREQ[rec.frequency],
    interval: rec.interval ?? 1,
    dtstart: floating(anchor.date, anchor.time),
    wkst: RRule.MO,
  };
  if (rec.frequency === 'weekly') options.byweekday = weekdaysFor(rec, anchor).map((c) => RRULE_DAYS[c]);
  if (rec.frequency === 'daily' && rec.weekdays?.length)
    options.byweekday = rec.weekdays.map((c) => RRULE_DAYS[c]);
  if (rec.frequency === 'monthly') {
    if (rec.monthlyBy === 'weekday') {
      options.byweekday = [RRULE_DAYS[weekdayCode(weekdayOf(anchor.date))].nth(nthWeekdayOf(anchor.date))];
    } else {
      options.bymonthday = [Number(anchor.date.slice(8, 10))];
    }
  }
  if (rec.count !== undefined) options.count = rec.count;
  if (rec.until !== undefined) options.until = floating(rec.until, '23:59');
  return options;
}

/**
 * Occurrences of a rule, optionally only those on local dates within [fromDate, toDate]. An open-ended rule
 * (no count, no until) needs a window or a `max`.
 */
export function expandOccurrences(
  rec: Recurrence,
  anchor: LocalDateTime,
  zone: string,
  window: { fromDate?: string; toDate?: string; max?: number } = {},
): Occurrence[] {
  const max = window.max ?? 1000;
  if (window.fromDate && window.toDate) {
    const simple = simpleWindow(rec, anchor, zone, window.fromDate, window.toDate, max);
    if (simple) return simple;
  }
  const rule = new RRule(rruleOptions(rec, anchor));
  let dates: Date[];
  if (window.fromDate || window.toDate) {
    const from = floating(window.fromDate ?? anchor.date);
    const to = floating(addDays(window.toDate ?? '9999-12-30', 1));
    dates = rule.between(from, new Date(to.getTime() - 1), true, (_d, i) => i < max);
  } else {
    if (rec.count === undefined && rec.until === undefined && window.max === undefined) {
      throw new Error('An open-ended rule needs a window or a maximum.');
    }
    dates = rule.all((_d, i) => i < max);
  }
  return dates.map((d) => {
    const local = fromFloating(d);
    return { ...local, startsAt: localToInstant(local.date, local.time, zone) };
  });
}

/**
 * rrule walks every occurrence from the rule's start, and has a noticeable fixed cost per rule, so a
 * years-old daily lunch block would cost hundreds of steps on every schedule read. A daily or weekly rule
 * without a count is simple enough to test date by date inside the window instead (same RFC 5545 meaning:
 * weeks start on Monday and are counted from the week of the first occurrence; nothing before it). Counted
 * and monthly rules always go through rrule. A unit test holds the two ways to the same answers.
 */
function simpleWindow(
  rec: Recurrence,
  anchor: LocalDateTime,
  zone: string,
  fromDate: string,
  toDate: string,
  max: number,
): Occurrence[] | null {
  if (rec.count !== undefined || rec.frequency === 'monthly') return null;
  const interval = rec.interval ?? 1;
  const wanted = new Set(rec.frequency === 'weekly' ? weekdaysFor(rec, anchor) : (rec.weekdays ?? []));
  const anchorMonday = addDays(anchor.date, 1 - weekdayOf(anchor.date));
  const last = rec.until !== undefined && rec.until < toDate ? rec.until : toDate;
  const out: Occurrence[] = [];
  for (
    let d = fromDate < anchor.date ? anchor.date : fromDate;
    d <= last && out.length < max;
    d = addDays(d, 1)
  ) {
    if (wanted.size && !wanted.has(weekdayCode(weekdayOf(d)))) continue;
    const step =
      rec.frequency === 'daily' ? daysBetween(anchor.date, d) : Math.floor(daysBetween(anchorMonday, d) / 7);
    if (step % interval !== 0) continue;
    out.push({ date: d, time: anchor.time, startsAt: localToInstant(d, anchor.time, zone) });
  }
  return out;
}

/**
 * The RFC 5545 RRULE value for a rule whose DTSTART carries the clinic zone (TZID): UNTIL is then the UTC
 * instant of the end of the last local day, as RFC 5545 requires.
 */
export function toRRuleString(rec: Recurrence, anchor: LocalDateTime, zone: string): string {
  const { until: _until, dtstart: _dtstart, ...rest } = rruleOptions(rec, anchor);
  let text = RRule.optionsToString(rest).replace(/^RRULE:/, '');
  if (rec.until !== undefined) {
    const end = localToInstant(rec.until, '23:59', zone);
    const stamp = end
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    text += `;UNTIL=${stamp}`;
  }
  return text;
}

/**
 * Move a rule along with its anchor by whole days (a series dragged from Monday to Tuesday): explicit
 * weekdays move too; monthly rules follow the anchor by themselves.
 */
export function shiftRecurrence(rec: Recurrence, dayDelta: number): Recurrence {
  if (!rec.weekdays?.length || dayDelta % 7 === 0) return rec;
  const shifted = rec.weekdays.map((c) =>
    weekdayCode(weekdayCodes.indexOf(c) + 1 + (((dayDelta % 7) + 7) % 7)),
  );
  return { ...rec, weekdays: shifted };
}

/**
 * Split a series at an occurrence ("this and following"): the first part ends the day before, the second
 * starts at the split occurrence with what is left of the count (or the same end date).
 */
export function splitRecurrence(
  rec: Recurrence,
  anchor: LocalDateTime,
  zone: string,
  splitDate: string,
): { before: Recurrence | null; after: Recurrence } {
  const beforeCount = expandOccurrences(rec, anchor, zone, {
    fromDate: anchor.date,
    toDate: addDays(splitDate, -1),
    max: 10_000,
  }).length;
  const { count: _c, until: _u, ...base } = rec;
  const before = beforeCount > 0 ? { ...base, until: addDays(splitDate, -1) } : null;
  const after: Recurrence =
    rec.count !== undefined
      ? { ...base, count: Math.max(1, rec.count - beforeCount) }
      : rec.until !== undefined
        ? { ...base, until: rec.until }
        : base;
  return { before, after };
}

const WEEKDAY_NAMES: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINALS: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd', 4: '4th', [-1]: 'last' };

/** "Every 2 weeks on Monday, 10 times" — for screens and confirmations. */
export function describeRecurrence(rec: Recurrence, anchor: LocalDateTime): string {
  const n = rec.interval ?? 1;
  let text: string;
  if (rec.frequency === 'daily') {
    text = n === 1 ? 'Daily' : `Every ${n} days`;
    if (rec.weekdays?.length) text += ` on ${rec.weekdays.map((c) => WEEKDAY_NAMES[c]).join(', ')}`;
  } else if (rec.frequency === 'weekly') {
    text = `${n === 1 ? 'Weekly' : `Every ${n} weeks`} on ${weekdaysFor(rec, anchor)
      .map((c) => WEEKDAY_NAMES[c])
      .join(', ')}`;
  } else {
    const every = n === 1 ? 'Monthly' : `Every ${n} months`;
    text =
      rec.monthlyBy === 'weekday'
        ? `${every} on the ${ORDINALS[nthWeekdayOf(anchor.date)]} ${WEEKDAY_NAMES[weekdayCode(weekdayOf(anchor.date))]}`
        : `${every} on day ${Number(anchor.date.slice(8, 10))}`;
  }
  text += ` at ${anchor.time}`;
  if (rec.count !== undefined) text += `, ${rec.count} time${rec.count === 1 ? '' : 's'}`;
  if (rec.until !== undefined) text += `, until ${rec.until}`;
  return text;
}

/** A series row as far as regeneration cares. */
export interface SeriesMember {
  id: string;
  occurrenceDate: string;
  status: string;
  detached: boolean;
}

export interface RegenerationPlan<R extends SeriesMember> {
  /** Exceptions: edited on their own, or already under way or finished. They survive series edits. */
  keep: R[];
  update: { row: R; occurrence: Occurrence }[];
  insert: Occurrence[];
  remove: R[];
}

/**
 * What a series edit does to the rows from some point on: plain scheduled rows follow the new rule (updated
 * in place when their date stays in it, removed when it does not), exceptions are left as they are, and
 * dates of the new rule without a row get one.
 */
export function planRegeneration<R extends SeriesMember>(
  occurrences: Occurrence[],
  rows: R[],
): RegenerationPlan<R> {
  const plan: RegenerationPlan<R> = { keep: [], update: [], insert: [], remove: [] };
  const byDate = new Map<string, R>();
  for (const row of rows) byDate.set(row.occurrenceDate, row);
  const isException = (r: R) => r.detached || r.status !== 'scheduled';
  const wanted = new Set<string>();
  for (const occ of occurrences) {
    wanted.add(occ.date);
    const row = byDate.get(occ.date);
    if (!row) plan.insert.push(occ);
    else if (isException(row)) plan.keep.push(row);
    else plan.update.push({ row, occurrence: occ });
  }
  for (const row of rows) {
    if (wanted.has(row.occurrenceDate)) continue;
    if (isException(row)) plan.keep.push(row);
    else plan.remove.push(row);
  }
  return plan;
}

/** The local anchor of a stored rule: its first occurrence's wall time in the clinic zone. */
export function anchorOf(startsAt: string | Date, zone: string): LocalDateTime {
  const { date, time } = instantToLocal(startsAt, zone);
  return { date, time };
}
