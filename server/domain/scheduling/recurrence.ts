import { RRule, type Options, type Weekday } from './rrule';
import { addDays } from '../../contracts/calendar';
import {
  weekdayCodes,
  weekdayNames,
  weekdayOrdinalWords,
  weekdayOrdinalsOfDate,
  type Recurrence,
  type WeekdayCode,
  type WeekdayOrdinal,
} from '../../contracts/scheduling';
import { daysBetween, instantToLocal, localToInstant, weekdayOf, type LocalDateTime } from './time';
import {
  DEFAULT_TIME_FORMAT,
  formatCalendarDate,
  formatWallTime,
  type TimeFormat,
} from '../../contracts/time-format';

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

export const weekdayCode = (isoWeekday: number): WeekdayCode =>
  weekdayCodes[(((isoWeekday - 1) % 7) + 7) % 7]!;
const isoWeekdayOf = (code: WeekdayCode): number => weekdayCodes.indexOf(code) + 1;

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
export function nthWeekdayOf(date: string): WeekdayOrdinal {
  return weekdayOrdinalsOfDate(date)[0]!;
}

/** Whether a date is the nth of its weekday in its month (-1: the last one, e.g. a 4th Friday can be). */
export function isNthWeekday(date: string, nth: WeekdayOrdinal): boolean {
  return weekdayOrdinalsOfDate(date).includes(nth);
}

/**
 * The ordinal of a monthly-by-weekday rule: its own, or for a rule that does not say (saved before the
 * ordinal was kept, or booked without choosing), its first occurrence's. Only the rule's own anchor may be
 * asked: a later date can be "the 4th Friday" and "the last Friday" at once.
 */
export function weekdayOrdinalOf(rec: Recurrence, anchorDate: string): WeekdayOrdinal {
  return rec.weekdayOrdinal ?? nthWeekdayOf(anchorDate);
}

const weekStartOf = (rec: Recurrence): WeekdayCode => rec.weekStart ?? 'MO';

/** The same rule with every part that is read from its anchor written out, so it can move to another anchor. */
export function pinRecurrence(rec: Recurrence, anchorDate: string): Recurrence {
  if (rec.frequency !== 'monthly' || rec.monthlyBy !== 'weekday') return rec;
  return { ...rec, weekdayOrdinal: weekdayOrdinalOf(rec, anchorDate) };
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
    wkst: RRULE_DAYS[weekStartOf(rec)],
  };
  if (rec.frequency === 'weekly') options.byweekday = weekdaysFor(rec, anchor).map((c) => RRULE_DAYS[c]);
  if (rec.frequency === 'daily' && rec.weekdays?.length)
    options.byweekday = rec.weekdays.map((c) => RRULE_DAYS[c]);
  if (rec.frequency === 'monthly') {
    if (rec.monthlyBy === 'weekday') {
      options.byweekday = [
        RRULE_DAYS[weekdayCode(weekdayOf(anchor.date))].nth(weekdayOrdinalOf(rec, anchor.date)),
      ];
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
 * weeks start on the rule's week start (WKST) and are counted from the week of the first occurrence; nothing
 * before it). Counted
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
  const firstWeekStart = addDays(
    anchor.date,
    -((weekdayOf(anchor.date) - isoWeekdayOf(weekStartOf(rec)) + 7) % 7),
  );
  const last = rec.until !== undefined && rec.until < toDate ? rec.until : toDate;
  const out: Occurrence[] = [];
  for (
    let d = fromDate < anchor.date ? anchor.date : fromDate;
    d <= last && out.length < max;
    d = addDays(d, 1)
  ) {
    if (wanted.size && !wanted.has(weekdayCode(weekdayOf(d)))) continue;
    const step =
      rec.frequency === 'daily'
        ? daysBetween(anchor.date, d)
        : Math.floor(daysBetween(firstWeekStart, d) / 7);
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
 * Move a rule with its anchor (a series dragged from Monday to Tuesday, or "this and following" moved a
 * day): the whole pattern moves by the same days. Explicit weekdays, the week start (so "every 2 weeks on
 * Saturday and Sunday" moved a day keeps each pair in one week) and the end date move with it. A monthly
 * rule by weekday keeps its ordinal when the new anchor still is that one ("the last Friday" moved to a
 * Friday that is also the last), otherwise takes the new anchor's. Monthly by date follows the anchor.
 */
export function shiftRecurrence(rec: Recurrence, fromDate: string, toDate: string): Recurrence {
  const delta = daysBetween(fromDate, toDate);
  const next: Recurrence = { ...rec };
  if (rec.frequency === 'monthly' && rec.monthlyBy === 'weekday') {
    const ordinal = weekdayOrdinalOf(rec, fromDate);
    next.weekdayOrdinal = isNthWeekday(toDate, ordinal) ? ordinal : nthWeekdayOf(toDate);
  }
  if (delta === 0) return next;
  const turn = (c: WeekdayCode) => weekdayCode(isoWeekdayOf(c) + delta);
  if (delta % 7 !== 0) {
    if (rec.weekdays?.length) next.weekdays = rec.weekdays.map(turn);
    if (rec.frequency === 'weekly') next.weekStart = turn(weekStartOf(rec));
  }
  if (rec.until !== undefined) next.until = addDays(rec.until, delta);
  return next;
}

/**
 * Split a series at a date ("this and following"): the first part ends the day before; the second is the
 * same rule — every part of it, the ordinal of "the last Friday" written out — resuming at `resumeDate`,
 * the rule's first date on or after the split (the split date itself unless the row split at stands for a
 * date the rule no longer has), with what is left of the count (or the same end date). `resumeDate` is
 * null when the rule has no dates left.
 */
export function splitRecurrence(
  rec: Recurrence,
  anchor: LocalDateTime,
  zone: string,
  splitDate: string,
): { before: Recurrence | null; after: Recurrence; resumeDate: string | null } {
  const all = expandOccurrences(rec, anchor, zone, { max: 10_000 });
  const beforeCount = all.filter((o) => o.date < splitDate).length;
  const resumeDate = all.find((o) => o.date >= splitDate)?.date ?? null;
  const { count: _c, until: _u, ...base } = pinRecurrence(rec, anchor.date);
  const before = beforeCount > 0 ? { ...base, until: addDays(splitDate, -1) } : null;
  const after: Recurrence =
    rec.count !== undefined
      ? { ...base, count: Math.max(1, rec.count - beforeCount) }
      : rec.until !== undefined
        ? { ...base, until: rec.until }
        : base;
  return { before, after, resumeDate };
}

/**
 * "Every 2 weeks on Monday at 9:00 AM, 10 times" — for screens and confirmations, in the clinic's clock and
 * date style (contracts/time-format.ts).
 */
export function describeRecurrence(
  rec: Recurrence,
  anchor: LocalDateTime,
  timeFormat: TimeFormat = DEFAULT_TIME_FORMAT,
): string {
  const n = rec.interval ?? 1;
  let text: string;
  if (rec.frequency === 'daily') {
    text = n === 1 ? 'Daily' : `Every ${n} days`;
    if (rec.weekdays?.length) text += ` on ${rec.weekdays.map((c) => weekdayNames[c]).join(', ')}`;
  } else if (rec.frequency === 'weekly') {
    text = `${n === 1 ? 'Weekly' : `Every ${n} weeks`} on ${weekdaysFor(rec, anchor)
      .map((c) => weekdayNames[c])
      .join(', ')}`;
  } else {
    const every = n === 1 ? 'Monthly' : `Every ${n} months`;
    text =
      rec.monthlyBy === 'weekday'
        ? `${every} on the ${weekdayOrdinalWords[weekdayOrdinalOf(rec, anchor.date)]} ${weekdayNames[weekdayCode(weekdayOf(anchor.date))]}`
        : `${every} on day ${Number(anchor.date.slice(8, 10))}`;
  }
  text += ` at ${formatWallTime(anchor.time, timeFormat)}`;
  if (rec.count !== undefined) text += `, ${rec.count} time${rec.count === 1 ? '' : 's'}`;
  if (rec.until !== undefined) text += `, until ${formatCalendarDate(rec.until)}`;
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

/**
 * The local anchor of a stored rule: its first occurrence's date and wall time in the clinic zone (the
 * rule's own `wallTime` when that fell in a spring-forward gap, where the instant reads an hour later).
 */
export function anchorOf(startsAt: string | Date, zone: string, rec?: Recurrence): LocalDateTime {
  const { date, time } = instantToLocal(startsAt, zone);
  return { date, time: rec?.wallTime ?? time };
}

/**
 * The rule as stored with its first instant: `wallTime` only when the anchor's wall time does not survive
 * the trip through that instant (a spring-forward gap), so reading the anchor back never moves the series.
 */
export function storedRecurrence(
  rec: Recurrence,
  anchor: LocalDateTime,
  firstStart: Date,
  zone: string,
): Recurrence {
  const { wallTime: _w, ...rule } = rec;
  return instantToLocal(firstStart, zone).time === anchor.time ? rule : { ...rule, wallTime: anchor.time };
}
