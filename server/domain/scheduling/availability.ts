import type { WorkingHoursEntry } from '../../contracts/scheduling';
import type { HoursInterval } from './conflicts';
import { datesBetween, localToInstant, weekdayOf, type Interval } from './time';

/**
 * Working hours and free time. Hours are a weekly template in local wall time (per provider, location and
 * weekday); turned into instants per date, so 08:00–17:00 is 08:00–17:00 local on both sides of a DST change.
 */

export function hoursIntervals(
  providerId: string,
  entries: readonly WorkingHoursEntry[],
  fromDate: string,
  toDate: string,
  zone: string,
): HoursInterval[] {
  return hoursOnDates(providerId, entries, datesBetween(fromDate, toDate), zone);
}

/**
 * Working-hours intervals on some dates only. A series check needs the hours of its occurrences' days,
 * not of every day of the three years they may span (tens of thousands of zone conversions).
 */
export function hoursOnDates(
  providerId: string,
  entries: readonly WorkingHoursEntry[],
  dates: Iterable<string>,
  zone: string,
): HoursInterval[] {
  const out: HoursInterval[] = [];
  for (const date of dates) {
    const weekday = weekdayOf(date);
    for (const e of entries) {
      if (e.weekday !== weekday) continue;
      out.push({
        providerId,
        locationId: e.locationId,
        start: localToInstant(date, e.start, zone).getTime(),
        end: localToInstant(date, e.end, zone).getTime(),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export interface SlotSearch {
  /** Where the provider works (already limited to the location wanted), sorted by start. */
  windows: readonly Interval[];
  /** Appointments and blocks that take the time. */
  busy: readonly Interval[];
  durationMs: number;
  /** Slots start on this grid, counted from each window's start (15 minutes by default). */
  stepMs?: number;
  notBefore: number;
  limit: number;
}

/** The earliest free slots of a given length inside the windows, avoiding everything busy. */
export function findFreeSlots(s: SlotSearch): Interval[] {
  const step = s.stepMs ?? 15 * 60_000;
  const busy = [...s.busy].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const w of s.windows) {
    if (out.length >= s.limit) break;
    let t = w.start;
    if (t < s.notBefore) t = w.start + Math.ceil((s.notBefore - w.start) / step) * step;
    while (t + s.durationMs <= w.end && out.length < s.limit) {
      const slot = { start: t, end: t + s.durationMs };
      const clash = busy.find((b) => b.start < slot.end && slot.start < b.end);
      if (!clash) {
        out.push(slot);
        t += s.durationMs <= step ? step : Math.ceil(s.durationMs / step) * step;
      } else {
        t = w.start + Math.ceil((clash.end - w.start) / step) * step;
      }
    }
  }
  return out;
}
