import { addDays } from '../../../server/contracts/calendar';
import {
  requestWeekdays,
  type AppointmentRequest,
  type RequestDayPart,
} from '../../../server/contracts/portal/requests';
import { isoWeekday } from './clinic-time';

/** Where the booking dialog opens for a portal request: a start inside the part of the day the patient chose. */
const partStart: Record<RequestDayPart, string> = { morning: '09:00', afternoon: '13:00', evening: '17:00' };

/**
 * The first day after `today` that is one of the patient's preferred weekdays (any day: tomorrow), and the
 * start of their first preferred part of the day (none: 09:00). Staff then move it to a free time ("Find
 * next available" in the dialog); this only saves retyping what the patient asked for.
 */
export function requestPrefill(
  r: Pick<AppointmentRequest, 'preferredDays' | 'preferredTimes'>,
  today: string,
): { date: string; time: string } {
  let date = addDays(today, 1);
  if (r.preferredDays.length) {
    for (let i = 1; i <= 7; i++) {
      const d = addDays(today, i);
      if (r.preferredDays.includes(requestWeekdays[isoWeekday(d) - 1]!)) {
        date = d;
        break;
      }
    }
  }
  const part = r.preferredTimes[0];
  return { date, time: part ? partStart[part] : '09:00' };
}
