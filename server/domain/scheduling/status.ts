import type { AppointmentStatus, VisitStep } from '../../contracts/scheduling';

/**
 * The visit status machine: scheduled → arrived → checked_in → roomed → with_provider → checked_out, with
 * arrival and check-in allowed as one step (a patient who walks straight to the desk). Cancelled and
 * no-show end a visit that has not started. Every step can be undone, one at a time, newest first.
 */

const FORWARD: Record<AppointmentStatus, readonly VisitStep[]> = {
  scheduled: ['arrived', 'checked_in'],
  arrived: ['checked_in'],
  checked_in: ['roomed'],
  roomed: ['with_provider'],
  with_provider: ['checked_out'],
  checked_out: [],
  cancelled: [],
  no_show: [],
};

export const canAdvance = (from: AppointmentStatus, to: VisitStep): boolean => FORWARD[from].includes(to);

/** The usual next step (what the board's main button does), or null when the visit is over. */
export const nextStep = (from: AppointmentStatus): VisitStep | null => FORWARD[from][0] ?? null;

/** Cancelling is for visits that have not started (an arrived patient may still leave unseen). */
export const canCancel = (status: AppointmentStatus): boolean =>
  status === 'scheduled' || status === 'arrived';

export const canMarkNoShow = (status: AppointmentStatus): boolean => status === 'scheduled';

/** Only the day's visits move through check-in; a future or past appointment cannot be checked in. */
export const stepNeedsToday = (to: VisitStep): boolean => to === 'arrived' || to === 'checked_in';

/** Statuses in which the patient is in the building and the visit is under way. */
export const inVisit = (status: AppointmentStatus): boolean =>
  status === 'arrived' || status === 'checked_in' || status === 'roomed' || status === 'with_provider';

/** A visit that has started (or ended) cannot be moved to another time or provider. */
export const canReschedule = (status: AppointmentStatus): boolean => status === 'scheduled';

export type StepTimestamp =
  'arrivedAt' | 'checkedInAt' | 'roomedAt' | 'withProviderAt' | 'checkedOutAt' | 'cancelledAt' | 'noShowAt';

/** The appointment column that records when a status was reached. */
export const timestampFor: Partial<Record<AppointmentStatus, StepTimestamp>> = {
  arrived: 'arrivedAt',
  checked_in: 'checkedInAt',
  roomed: 'roomedAt',
  with_provider: 'withProviderAt',
  checked_out: 'checkedOutAt',
  cancelled: 'cancelledAt',
  no_show: 'noShowAt',
};

/** Late cancellation: less than this before the start (clinic policy commonly 24 hours). */
export const LATE_CANCEL_HOURS = 24;
export const isLateCancel = (startsAt: number, now: number): boolean =>
  startsAt - now < LATE_CANCEL_HOURS * 3_600_000;
