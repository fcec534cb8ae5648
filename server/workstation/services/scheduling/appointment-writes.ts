import { v7 as uuidv7 } from 'uuid';
import type { AppointmentStatus, AppointmentType } from '../../../contracts/scheduling';
import type { Store, Writer } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { resolvePatient } from '../patients/patient-core';
import { getAppointmentType, listLocations, listProviders } from './setup';

/** Pieces shared by booking, moving, cancelling and the visit steps. */

export interface Placement {
  providerId: string;
  locationId: string;
  roomId: string | null;
  appointmentTypeId: string;
}

/** Check that provider, location and room exist, are active and fit together. */
export function checkWhere(store: Store, p: Omit<Placement, 'appointmentTypeId'>): void {
  const provider = listProviders(store).find((x) => x.id === p.providerId);
  if (!provider) throw fieldError('providerId', 'Choose a provider of this clinic.');
  if (!provider.active)
    throw fieldError('providerId', `${provider.name} is not taking appointments (inactive).`);
  const location = listLocations(store).find((l) => l.id === p.locationId);
  if (!location || !location.active)
    throw fieldError('locationId', 'Choose an active location of this clinic.');
  if (p.roomId && !location.rooms.some((r) => r.id === p.roomId && r.active)) {
    throw fieldError('roomId', `Choose an active room at ${location.name}.`);
  }
}

/** checkWhere, plus an active appointment type. */
export function checkPlacement(store: Store, p: Placement): { type: AppointmentType } {
  checkWhere(store, p);
  let type: AppointmentType;
  try {
    type = getAppointmentType(store, p.appointmentTypeId);
  } catch {
    throw fieldError('appointmentTypeId', 'Choose an appointment type of this clinic.');
  }
  if (!type.active) throw fieldError('appointmentTypeId', `“${type.name}” is no longer offered (inactive).`);
  return { type };
}

/**
 * The patient to book: a merged-away id books the surviving record; a removed record or one recorded as
 * deceased cannot be booked.
 */
export function bookablePatientId(store: Store, patientId: string): string {
  const row = resolvePatient(store, patientId);
  if (!row) throw fieldError('patientId', 'That patient record was not found.');
  if (row.deceased)
    throw new AppError(409, 'patient_deceased', 'This patient is recorded as deceased and cannot be booked.');
  return row.id;
}

export function recordStep(
  w: Writer,
  store: Store,
  appointmentId: string,
  from: AppointmentStatus,
  to: AppointmentStatus,
): void {
  const now = store.nowIso();
  w.insert('appointment_status_events', {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    appointmentId,
    fromStatus: from,
    toStatus: to,
    at: now,
    userId: w.actor.userId,
    updatedAt: now,
  });
}

/** Keep the reschedule history: the fields that changed, before and after, and why. */
export function recordChange(
  w: Writer,
  store: Store,
  appointmentId: string,
  kind: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  reason: string | null,
): void {
  const now = store.nowIso();
  w.insert('appointment_changes', {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    appointmentId,
    kind,
    before: JSON.stringify(before),
    after: JSON.stringify(after),
    reason,
    at: now,
    userId: w.actor.userId,
    updatedAt: now,
  });
}

/** The fields of `next` that differ from `prev`, as before/after pairs. */
export function diff<T extends Record<string, unknown>>(
  prev: T,
  next: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const before: Partial<T> = {};
  const after: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (next[key] !== undefined && next[key] !== prev[key]) {
      before[key] = prev[key];
      after[key] = next[key];
    }
  }
  return { before, after };
}

/** The kind of change for the history: a move, a resize, a new provider or room, or another edit. */
export function changeKind(changed: readonly string[]): string {
  if (changed.includes('startsAt')) return 'moved';
  if (changed.includes('endsAt')) return 'resized';
  if (changed.includes('providerId') || changed.includes('roomId') || changed.includes('locationId'))
    return 'reassigned';
  return 'edited';
}
