import { z } from 'zod';

/**
 * Every date the API accepts lies in a window a clinic can mean, and every date range has a maximum span.
 * Years like 0999, 1800 or 9999 are typing slips, never real visits, and they reach date arithmetic that
 * fails or runs for a long time (calendar maths on a 9999-12-31 window steps into year 10000; a repeat
 * rule anchored centuries away is walked occurrence by occurrence). Refusing them here, with a sentence,
 * keeps every later step on dates it can handle. See docs/security.md ("Input").
 */
export interface DateWindow {
  /** First allowed calendar date, YYYY-MM-DD. */
  from: string;
  /** Last allowed calendar date, YYYY-MM-DD. */
  to: string;
}

/** Dates about people and their care: births, onsets, coverage, plans, vitals, the audit report. */
export const recordDates: DateWindow = { from: '1900-01-01', to: '2199-12-31' };

/**
 * The schedule: appointments, blocks, repeat rules, views and exports. Narrower, because schedule reads
 * expand repeat rules from their first occurrence up to the window asked for.
 */
export const scheduleDates: DateWindow = { from: '2000-01-01', to: '2099-12-31' };

const year = (date: string) => date.slice(0, 4);
export const outsideWindowMessage = (w: DateWindow) =>
  `Choose a date between ${year(w.from)} and ${year(w.to)}.`;

const inWindow = (date: string, w: DateWindow) => date >= w.from && date <= w.to;

/**
 * A calendar date (YYYY-MM-DD, a real day) inside `w`. `outsideMessage` words the refusal for the field
 * (a date of birth before 1900 reads better as such than as a window).
 */
export const boundedDate = (
  w: DateWindow,
  formatMessage = 'Enter a complete date.',
  outsideMessage: (date: string) => string = () => outsideWindowMessage(w),
) =>
  z.iso.date({ message: formatMessage }).superRefine((d, ctx) => {
    if (!inWindow(d, w)) ctx.addIssue({ code: 'custom', message: outsideMessage(d) });
  });

/** A month (YYYY-MM) inside `w`. */
export const boundedMonth = (w: DateWindow, formatMessage = 'Use a month like 2026-03.') =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, formatMessage)
    .refine((m) => m >= w.from.slice(0, 7) && m <= w.to.slice(0, 7), {
      message: outsideWindowMessage(w),
    });

/** An ISO 8601 instant with its offset, whose UTC date is inside `w`. */
export const boundedInstant = (
  w: DateWindow,
  formatMessage = 'Enter a date and time like 2026-03-02T09:00:00-06:00.',
) =>
  z.iso.datetime({ offset: true, message: formatMessage }).refine(
    (v) => {
      const ms = Date.parse(v);
      // A malformed value already has its format message; do not add a second one.
      return !Number.isFinite(ms) || inWindow(new Date(ms).toISOString().slice(0, 10), w);
    },
    { message: outsideWindowMessage(w) },
  );

/** Whole days from calendar date a to b (UTC arithmetic on dates: no zone, no DST). */
const daysFrom = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/**
 * A date range's problem, if any: the end before the start, or more than `maxDays` days (inclusive)
 * asked for at once. Either end may be absent (an open range has no span to check).
 */
export function dateRangeProblem(
  from: string | null | undefined,
  to: string | null | undefined,
  maxDays: number,
): string | null {
  if (!from || !to) return null;
  const span = daysFrom(from, to);
  if (!Number.isFinite(span)) return null; // malformed dates carry their own message
  if (span < 0) return 'The end date must not be before the start date.';
  if (span + 1 > maxDays) return `Ask for at most ${maxDays} days at a time.`;
  return null;
}

/**
 * Adds the range rule to an object schema with `from` and `to` calendar dates: the message lands on `to`,
 * the field a person changes to fix it.
 */
export function withDateRange<T extends z.ZodType<{ from?: string | null; to?: string | null }>>(
  schema: T,
  maxDays: number,
) {
  return schema.superRefine((v, ctx) => {
    const problem = dateRangeProblem(v.from, v.to, maxDays);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['to'] });
  });
}
