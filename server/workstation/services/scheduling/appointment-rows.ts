import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Appointment, AppointmentPatient, StatusStep } from '../../../contracts/scheduling';
import { appointmentStatusEvents, appointments, patients, users } from '../../db/schema';
import type { Store } from '../../db/store';
import { notFound } from '../../../platform/errors';
import { liveRow } from '../../db/live-row';

/** Reading appointments with the patient facts a schedule shows and the step that can be undone. */

export type AppointmentRow = typeof appointments.$inferSelect;

const patientColumns = {
  id: patients.id,
  mrn: patients.mrn,
  legalFirstName: patients.legalFirstName,
  legalLastName: patients.legalLastName,
  firstNameToUse: patients.firstNameToUse,
  lastNameToUse: patients.lastNameToUse,
  dateOfBirth: patients.dateOfBirth,
  restricted: patients.restricted,
};

type PatientColumns = {
  id: string;
  mrn: string;
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  lastNameToUse: string | null;
  dateOfBirth: string;
  restricted: boolean;
};

/** The name to use, falling back to the legal name part by part (as the registry shows it). */
export const toAppointmentPatient = (p: PatientColumns): AppointmentPatient => ({
  id: p.id,
  mrn: p.mrn,
  firstName: p.firstNameToUse || p.legalFirstName,
  lastName: p.lastNameToUse || p.legalLastName,
  dateOfBirth: p.dateOfBirth,
  restricted: p.restricted,
});

export function toAppointment(
  a: AppointmentRow,
  patient: AppointmentPatient,
  lastStep: StatusStep | null,
): Appointment {
  return {
    id: a.id,
    patient,
    providerId: a.providerId,
    appointmentTypeId: a.appointmentTypeId,
    locationId: a.locationId,
    roomId: a.roomId,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    timeZone: a.timeZone,
    modality: a.modality,
    status: a.status,
    statusChangedAt: a.statusChangedAt,
    note: a.note,
    seriesId: a.seriesId,
    occurrenceDate: a.occurrenceDate,
    detached: a.detached,
    arrivedAt: a.arrivedAt,
    checkedInAt: a.checkedInAt,
    roomedAt: a.roomedAt,
    withProviderAt: a.withProviderAt,
    checkedOutAt: a.checkedOutAt,
    cancelledAt: a.cancelledAt,
    cancelReason: a.cancelReason,
    lateCancel: a.lateCancel,
    noShowAt: a.noShowAt,
    copayDueCents: a.copayDueCents,
    overrideReason: a.overrideReason,
    doubleBookedAt: a.doubleBookedAt,
    patientConfirmedAt: a.patientConfirmedAt ?? null,
    lastStep,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** The newest step of each appointment that has not been undone. */
export function lastSteps(store: Store, ids: readonly string[]): Map<string, StatusStep> {
  const out = new Map<string, StatusStep>();
  if (!ids.length) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = store.orm
      .select({ e: appointmentStatusEvents, userName: users.fullName })
      .from(appointmentStatusEvents)
      .leftJoin(users, eq(users.id, appointmentStatusEvents.userId))
      .where(
        and(
          inArray(appointmentStatusEvents.appointmentId, ids.slice(i, i + 500)),
          isNull(appointmentStatusEvents.undoneAt),
        ),
      )
      .orderBy(desc(appointmentStatusEvents.at), desc(appointmentStatusEvents.id))
      .all();
    for (const { e, userName } of rows) {
      if (out.has(e.appointmentId)) continue;
      out.set(e.appointmentId, { from: e.fromStatus, to: e.toStatus, at: e.at, userId: e.userId, userName });
    }
  }
  return out;
}

/** Appointments matching `where` (live rows of this clinic), by start time, with patient and last step. */
export function queryAppointments(store: Store, where: SQL | undefined): Appointment[] {
  const rows = store.orm
    .select({ a: appointments, p: patientColumns })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(and(liveRow(appointments, store.requireClinicId()), where))
    .orderBy(appointments.startsAt, appointments.id)
    .all();
  // Only visits that moved past "scheduled" have steps; the rest need no lookup.
  const steps = lastSteps(
    store,
    rows.filter((r) => r.a.status !== 'scheduled').map((r) => r.a.id),
  );
  return rows.map(({ a, p }) => toAppointment(a, toAppointmentPatient(p), steps.get(a.id) ?? null));
}

export function getAppointmentRow(store: Store, id: string): AppointmentRow {
  const row = store.orm
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.id, id),
        liveRow(appointments, store.requireClinicId()),
      ),
    )
    .get();
  if (!row) throw notFound('That appointment');
  return row;
}

export function getAppointment(store: Store, id: string): Appointment {
  const found = queryAppointments(store, eq(appointments.id, id))[0];
  if (!found) throw notFound('That appointment');
  return found;
}
