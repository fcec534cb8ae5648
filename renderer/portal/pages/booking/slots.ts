import type { SelfBookingSlots } from '../../../../server/contracts/portal/self-booking';

export type Slot = SelfBookingSlots['slots'][number];

export interface SlotDay {
  /** The clinic's calendar day, YYYY-MM-DD. */
  key: string;
  slots: Slot[];
}

/** Open times grouped by the clinic's calendar day (in its time zone), earliest first. */
export function slotsByDay(slots: Slot[], timeZone: string): SlotDay[] {
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const days: SlotDay[] = [];
  for (const s of [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const key = dayOf.format(new Date(s.startsAt));
    const last = days.at(-1);
    if (last?.key === key) last.slots.push(s);
    else days.push({ key, slots: [s] });
  }
  return days;
}
