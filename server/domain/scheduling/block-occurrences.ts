import { addDays } from '../../contracts/calendar';
import { recurrenceSchema } from '../../contracts/scheduling';
import { anchorOf, expandOccurrences } from './recurrence';
import { instantToLocal } from './time';

/**
 * The times one schedule block takes inside a window: a one-time block as stored, a repeating block
 * expanded by its rule in its own zone. Shared by the workstation's schedule and central's open slots
 * for self-booking, so both see the same blocked time.
 */

export const MAX_BLOCK_OCCURRENCES = 2000;

export interface BlockTimes {
  startsAt: string;
  endsAt: string;
  timeZone: string;
  recurrence: string | null;
}

export function blockTimesIn(
  row: BlockTimes,
  from: number,
  to: number,
): { startsAt: string; endsAt: string; recurring: boolean }[] {
  if (!row.recurrence) {
    const s = Date.parse(row.startsAt);
    const e = Date.parse(row.endsAt);
    return s < to && e > from ? [{ startsAt: row.startsAt, endsAt: row.endsAt, recurring: false }] : [];
  }
  const start = new Date(row.startsAt).getTime();
  const duration = new Date(row.endsAt).getTime() - start;
  const recurrence = recurrenceSchema.parse(JSON.parse(row.recurrence));
  const anchor = anchorOf(row.startsAt, row.timeZone);
  // Local dates that can hold an occurrence overlapping the window (a block may start the day before).
  const fromDate = addDays(instantToLocal(from - duration, row.timeZone).date, -1);
  const toDate = instantToLocal(to, row.timeZone).date;
  const out: { startsAt: string; endsAt: string; recurring: boolean }[] = [];
  for (const occ of expandOccurrences(recurrence, anchor, row.timeZone, {
    fromDate: fromDate < anchor.date ? anchor.date : fromDate,
    toDate,
    max: MAX_BLOCK_OCCURRENCES,
  })) {
    const s = occ.startsAt.getTime();
    const e = s + duration;
    if (s < to && e > from)
      out.push({ startsAt: occ.startsAt.toISOString(), endsAt: new Date(e).toISOString(), recurring: true });
  }
  return out;
}
