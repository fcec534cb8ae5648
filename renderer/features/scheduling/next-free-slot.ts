import { SLOT_MINUTES } from './slots';

/** Statuses that no longer hold their time on the calendar. */
const RELEASED = new Set(['cancelled', 'no_show']);

export interface SlotInput {
  /** The day being booked and today's date, both clinic-local YYYY-MM-DD. */
  date: string;
  today: string;
  /** Minutes since midnight, clinic time, right now. */
  nowMinute: number;
  /** The provider's working hours that day, as minutes. */
  hours: { start: number; end: number }[];
  /** The provider's appointments that day, as minutes. */
  busy: { start: number; end: number; status: string }[];
  /** The length wanted, in minutes. */
  length: number;
}

/**
 * Where a new appointment starts by default: the first free slot of the provider's working hours that is not
 * in the past (a past day has none: then the first working hour, and the booking rules explain the rest).
 * Without working hours, 09:00 or the next slot after now.
 */
export function nextFreeSlot({ date, today, nowMinute, hours, busy, length }: SlotInput): number {
  const earliest = date === today ? Math.ceil(nowMinute / SLOT_MINUTES) * SLOT_MINUTES : 0;
  const held = busy.filter((b) => !RELEASED.has(b.status));
  const free = (start: number) => !held.some((b) => b.start < start + length && start < b.end);
  const open = [...hours].sort((a, b) => a.start - b.start);
  if (date >= today) {
    for (const h of open) {
      for (let m = Math.max(h.start, earliest); m + length <= h.end; m += SLOT_MINUTES) {
        if (m % SLOT_MINUTES === 0 && free(m)) return m;
      }
    }
  }
  const fallback = open[0]?.start ?? 9 * 60;
  return Math.min(Math.max(fallback, earliest), 24 * 60 - SLOT_MINUTES);
}
