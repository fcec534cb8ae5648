/**
 * The "on a schedule" rule for questionnaires (issue 11): a request sent at `sentAt` every N weeks splits
 * time into periods [sentAt + k·N weeks, sentAt + (k+1)·N weeks), k = 0, 1, 2… The patient is asked once
 * per period: the request is due while the period containing "now" has no answer, and an answer records
 * its period so the score history stays one point per period. Pure, so central's portal and the tests share
 * it; a period starts at its exact instant (the start belongs to the new period, not the old one).
 */

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The period (0-based) that `now` falls in; null only for an unreadable date. `sentAt` is the sending
 * workstation's clock and `now` central's: a workstation a little ahead would otherwise leave a request it
 * just sent not due, so an instant before the sending counts as the first period.
 */
export function periodAt(sentAt: string, repeatWeeks: number, now: Date): number | null {
  const elapsed = now.getTime() - Date.parse(sentAt);
  if (!Number.isFinite(elapsed)) return null;
  return Math.max(0, Math.floor(elapsed / (repeatWeeks * WEEK_MS)));
}

/** When period `period` ends (the next one starts), as an ISO instant. */
export function periodEnd(sentAt: string, repeatWeeks: number, period: number): string {
  return new Date(Date.parse(sentAt) + (period + 1) * repeatWeeks * WEEK_MS).toISOString();
}

/** Due now: the current period has no answer yet. */
export function dueEveryWeeks(
  sentAt: string,
  repeatWeeks: number,
  answeredPeriods: readonly (number | null)[],
  now: Date,
): boolean {
  const period = periodAt(sentAt, repeatWeeks, now);
  return period !== null && !answeredPeriods.includes(period);
}
