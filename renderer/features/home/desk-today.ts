import type { Appointment } from '../../../server/contracts/scheduling';

/** Not here this long after the start time: someone should call, or record a no-show. */
export const LATE_AFTER_MS = 10 * 60_000;
/** Waiting this long since arriving, not yet roomed: worth a look. */
export const LONG_WAIT_MS = 20 * 60_000;

export type DeskTask =
  | { kind: 'late'; appointment: Appointment; minutes: number }
  | { kind: 'long_wait'; appointment: Appointment; minutes: number }
  | { kind: 'double_booked'; appointment: Appointment };

export interface DeskToday {
  /** Still to arrive and not late yet, soonest first. */
  arriving: Appointment[];
  /** Here, not yet roomed, longest wait first. */
  waiting: Appointment[];
  inRooms: number;
  finished: number;
  /** What needs someone at the desk to act, most pressing first. */
  tasks: DeskTask[];
}

const minutes = (ms: number) => Math.floor(ms / 60_000);
const arrivedAt = (a: Appointment) => Date.parse(a.arrivedAt ?? a.checkedInAt ?? a.statusChangedAt);

/** Today's board read for the front desk's home screen. Pure, so it is tested with plain data. */
export function deskToday(appointments: readonly Appointment[], now: number): DeskToday {
  const scheduled = appointments
    .filter((a) => a.status === 'scheduled')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const late = scheduled.filter((a) => now - Date.parse(a.startsAt) >= LATE_AFTER_MS);
  const waiting = appointments
    .filter((a) => a.status === 'arrived' || a.status === 'checked_in')
    .sort((a, b) => arrivedAt(a) - arrivedAt(b));
  const tasks: DeskTask[] = [
    ...appointments
      .filter((a) => a.doubleBookedAt && a.status !== 'cancelled')
      .map((appointment) => ({ kind: 'double_booked' as const, appointment })),
    ...late.map((appointment) => ({
      kind: 'late' as const,
      appointment,
      minutes: minutes(now - Date.parse(appointment.startsAt)),
    })),
    ...waiting
      .filter((a) => now - arrivedAt(a) >= LONG_WAIT_MS)
      .map((appointment) => ({
        kind: 'long_wait' as const,
        appointment,
        minutes: minutes(now - arrivedAt(appointment)),
      })),
  ];
  return {
    arriving: scheduled.filter((a) => !late.includes(a)),
    waiting,
    inRooms: appointments.filter((a) => a.status === 'roomed' || a.status === 'with_provider').length,
    finished: appointments.filter((a) => a.status === 'checked_out').length,
    tasks,
  };
}
