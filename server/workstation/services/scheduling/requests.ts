import { and, asc, eq } from 'drizzle-orm';
import {
  parseChoiceList,
  requestDayParts,
  requestWeekdays,
  type AppointmentRequest,
} from '../../../contracts/portal/requests';
import { appointmentRequests, patients } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { liveRow } from '../../db/live-row';
import { toAppointmentPatient } from './appointment-rows';

/**
 * The front desk's Requests queue: appointment requests patients sent from the portal (written at central,
 * pulled here). Staff book one (booking.ts names the request, and the same write marks it booked with the
 * appointment) or decline it with a reason the patient reads in the portal. Oldest first: whoever asked first
 * is answered first. A request decided on another workstation meanwhile is refused at central (the
 * replication policy locks a decided request) and lands in the conflict inbox.
 */

type RequestRow = typeof appointmentRequests.$inferSelect;

export function listAppointmentRequests(
  store: Store,
  actor: Actor,
  background: boolean,
): AppointmentRequest[] {
  const rows = store.orm
    .select({ r: appointmentRequests, p: patients })
    .from(appointmentRequests)
    .innerJoin(patients, eq(patients.id, appointmentRequests.patientId))
    .where(
      and(liveRow(appointmentRequests, store.requireClinicId()), eq(appointmentRequests.status, 'pending')),
    )
    .orderBy(asc(appointmentRequests.createdAt))
    .all();
  if (!background) {
    store.audit(actor, {
      action: 'schedule.view',
      detail: { view: 'appointment_requests', entries: rows.length },
    });
  }
  return rows.map(({ r, p }) => ({
    id: r.id,
    patient: toAppointmentPatient(p),
    providerId: r.providerId,
    appointmentTypeId: r.appointmentTypeId,
    preferredDays: parseChoiceList(r.preferredDays, requestWeekdays),
    preferredTimes: parseChoiceList(r.preferredTimes, requestDayParts),
    note: r.note,
    requestedBy: r.requestedBy,
    status: r.status,
    createdAt: r.createdAt,
  }));
}

function pendingRequest(store: Store, id: string): RequestRow | null {
  const row = store.orm
    .select()
    .from(appointmentRequests)
    .where(and(eq(appointmentRequests.id, id), liveRow(appointmentRequests, store.requireClinicId())))
    .get();
  return row && row.status === 'pending' ? row : null;
}

/** The request a booking answers: still pending and the same patient's, else the booking is refused. */
export function requestToBook(store: Store, id: string, patientId: string): RequestRow {
  const row = pendingRequest(store, id);
  if (!row || row.patientId !== patientId) {
    throw fieldError(
      'appointmentRequestId',
      'That appointment request is no longer waiting for this patient (someone else answered it).',
    );
  }
  return row;
}

/** Inside the booking's write: the request now holds the appointment. */
export function markRequestBooked(
  w: Writer,
  store: Store,
  actor: Actor,
  row: RequestRow,
  appointmentId: string,
): void {
  const at = store.nowIso();
  w.update('appointment_requests', row.id, {
    status: 'booked',
    appointmentId,
    decidedBy: actor.userId,
    decidedAt: at,
    updatedAt: at,
  });
  w.audit({
    action: 'appointment_request.book',
    patientId: row.patientId,
    detail: { requestId: row.id, appointmentId },
  });
}

export function declineAppointmentRequest(
  store: Store,
  actor: Actor,
  id: string,
  reason: string,
): { ok: true } {
  const row = pendingRequest(store, id);
  if (!row) {
    const exists = store.orm
      .select({ id: appointmentRequests.id })
      .from(appointmentRequests)
      .where(and(eq(appointmentRequests.id, id), liveRow(appointmentRequests, store.requireClinicId())))
      .get();
    if (!exists) throw notFound('That appointment request');
    throw new AppError(409, 'already_decided', 'This request was already booked or declined.');
  }
  const at = store.nowIso();
  store.write(actor, (w) => {
    w.update('appointment_requests', id, {
      status: 'declined',
      declineReason: reason,
      decidedBy: actor.userId,
      decidedAt: at,
      updatedAt: at,
    });
    w.audit({ action: 'appointment_request.decline', patientId: row.patientId, detail: { requestId: id } });
  });
  return { ok: true };
}
