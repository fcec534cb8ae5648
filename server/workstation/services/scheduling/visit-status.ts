import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import {
  appointmentStatusLabels,
  type Appointment,
  type AppointmentDetail,
  type CheckInReview,
  type statusChangeSchema,
} from '../../../contracts/scheduling';
import { canAdvance, canMarkNoShow, stepNeedsToday, timestampFor } from '../../../domain/scheduling/status';
import { instantToLocal } from '../../../domain/scheduling/time';
import { appointmentChanges, appointmentStatusEvents, users, type appointments } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, fieldError } from '../../../platform/errors';
import { closeEmptyVisitEncounter, openVisitEncounter, visitEncounterRow } from '../clinical/encounters';
import { coverageStatus } from '../patients/coverage';
import { proposeChargeLines } from '../billing/charges';
import { requirePaymentClearance } from '../billing/payment-policy';
import { getAppointment, getAppointmentRow, type AppointmentRow } from './appointment-rows';
import { recordStep } from './appointment-writes';
import { ConflictChecker } from './conflict-check';
import { getSeriesRow, toSeries } from './series';
import { clinicZone, listLocations } from './setup';
import { todayIn } from '../../../contracts/calendar';
import { getClinicInfo } from '../settings/clinic-info';

/**
 * The visit on the check-in board: scheduled → arrived → checked in → roomed → with provider → checked
 * out, each step stamped with who and when, the newest one undoable. Check-in confirms demographics and
 * insurance and records the copay due; only today's appointments (clinic time) can be checked in, and an
 * appointment is checked in once.
 */

type StatusChange = z.infer<typeof statusChangeSchema>;
type SignedInActor = Actor & { userId: string };

const ALREADY_IN = new Set(['checked_in', 'roomed', 'with_provider', 'checked_out']);

function localDate(store: Store, row: AppointmentRow): { date: string; today: string } {
  const zone = clinicZone(store);
  return { date: instantToLocal(row.startsAt, zone).date, today: todayIn(zone, store.now()) };
}

export function changeVisitStatus(
  store: Store,
  actor: SignedInActor,
  id: string,
  input: StatusChange,
): Appointment {
  const row = getAppointmentRow(store, id);
  const to = input.to;
  if (to === 'checked_in' && ALREADY_IN.has(row.status)) {
    throw new AppError(409, 'already_checked_in', 'This patient is already checked in for this appointment.');
  }
  if (stepNeedsToday(to)) {
    const { date, today } = localDate(store, row);
    if (date !== today) {
      throw new AppError(
        409,
        'not_today',
        `Only today’s appointments can be checked in; this one is on ${date}. Reschedule it if the patient came on another day.`,
      );
    }
  }
  if (!canAdvance(row.status, to)) {
    throw new AppError(
      409,
      'wrong_step',
      `This visit is ${appointmentStatusLabels[row.status].toLowerCase()}; it cannot go to “${appointmentStatusLabels[to].toLowerCase()}”.`,
    );
  }
  if (to === 'checked_in' && !input.checkIn) {
    throw fieldError(
      'checkIn',
      'Confirm demographics and insurance with the patient and enter the copay due.',
    );
  }
  // The provider starting the visit is where the clinic's payment policy may warn or stop.
  if (to === 'with_provider') requirePaymentClearance(store, actor, { appointmentId: row.id }, 'start_visit');
  if (to === 'roomed' && input.roomId) {
    const room = listLocations(store)
      .find((l) => l.id === row.locationId)
      ?.rooms.find((r) => r.id === input.roomId && r.active);
    if (!room) throw fieldError('roomId', 'Choose an active room at this appointment’s location.');
  }
  const now = store.nowIso();
  const patch: Partial<typeof appointments.$inferInsert> = {
    status: to,
    statusChangedAt: now,
    [timestampFor[to]!]: now,
    updatedAt: now,
  };
  if (to === 'checked_in') {
    if (!row.arrivedAt) patch.arrivedAt = now;
    patch.copayDueCents = input.checkIn!.copayDueCents;
    patch.demographicsConfirmedAt = now;
    patch.insuranceReviewedAt = now;
  }
  if (to === 'roomed' && input.roomId) patch.roomId = input.roomId;
  store.write(actor, (w) => {
    w.update('appointments', row.id, patch);
    recordStep(w, store, row.id, row.status, to);
    // Checked in is where the visit begins: its encounter is open for the clinician to document at once.
    if (to === 'checked_in' && !visitEncounterRow(store, row.id)) openVisitEncounter(w, store, row);
    // Checkout proposes the type's default charge lines if the visit has none yet.
    const visit = to === 'checked_out' ? visitEncounterRow(store, row.id) : undefined;
    if (visit) proposeChargeLines(w, store, visit.id);
    w.audit({
      action: 'appointment.status',
      patientId: row.patientId,
      detail: {
        appointmentId: row.id,
        from: row.status,
        to,
        ...(input.checkIn && { copayDueCents: input.checkIn.copayDueCents }),
        ...(patch.roomId && { roomId: patch.roomId }),
      },
    });
  });
  return getAppointment(store, row.id);
}

export function markNoShow(store: Store, actor: SignedInActor, id: string): Appointment {
  const row = getAppointmentRow(store, id);
  if (!canMarkNoShow(row.status)) {
    throw new AppError(
      409,
      'wrong_step',
      `This visit is ${appointmentStatusLabels[row.status].toLowerCase()}; only a scheduled appointment can be a no-show.`,
    );
  }
  const { date, today } = localDate(store, row);
  if (date > today) {
    throw new AppError(
      409,
      'not_yet',
      'A no-show can be recorded on the day of the appointment or later, not before.',
    );
  }
  const now = store.nowIso();
  store.write(actor, (w) => {
    w.update('appointments', row.id, {
      status: 'no_show',
      statusChangedAt: now,
      noShowAt: now,
      updatedAt: now,
    });
    recordStep(w, store, row.id, row.status, 'no_show');
    w.audit({ action: 'appointment.no_show', patientId: row.patientId, detail: { appointmentId: row.id } });
  });
  return getAppointment(store, row.id);
}

/**
 * Undo the newest step that has not been undone. Undoing a cancel or no-show gives the time back only if
 * nobody has been booked into it since.
 */
export function undoVisitStatus(store: Store, actor: SignedInActor, id: string): Appointment {
  const row = getAppointmentRow(store, id);
  const last = store.orm
    .select()
    .from(appointmentStatusEvents)
    .where(and(eq(appointmentStatusEvents.appointmentId, id), isNull(appointmentStatusEvents.undoneAt)))
    .orderBy(desc(appointmentStatusEvents.at), desc(appointmentStatusEvents.id))
    .get();
  if (!last || last.toStatus !== row.status) {
    throw new AppError(409, 'nothing_to_undo', 'There is no status step to undo for this appointment.');
  }
  if (last.toStatus === 'cancelled' || last.toStatus === 'no_show') {
    const conflicts = new ConflictChecker(store)
      .check([
        {
          id: row.id,
          providerId: row.providerId,
          locationId: row.locationId,
          roomId: row.roomId,
          patientId: row.patientId,
          start: Date.parse(row.startsAt),
          end: Date.parse(row.endsAt),
        },
      ])
      .filter((c) => c.kind === 'provider_busy' || c.kind === 'room_busy' || c.kind === 'patient_busy');
    if (conflicts.length) {
      throw new AppError(
        409,
        'time_taken',
        `The time has been booked again since (${conflicts[0]!.message}) Book a new appointment instead.`,
      );
    }
  }
  const now = store.nowIso();
  const field = timestampFor[last.toStatus];
  const patch: Partial<typeof appointments.$inferInsert> = {
    status: last.fromStatus,
    statusChangedAt: now,
    ...(field && { [field]: null }),
    updatedAt: now,
  };
  if (last.toStatus === 'checked_in') {
    if (last.fromStatus === 'scheduled') patch.arrivedAt = null;
    patch.copayDueCents = null;
    patch.demographicsConfirmedAt = null;
    patch.insuranceReviewedAt = null;
  }
  if (last.toStatus === 'cancelled') {
    patch.cancelReason = null;
    patch.lateCancel = false;
  }
  store.write(actor, (w) => {
    w.update('appointments', row.id, patch);
    w.update('appointment_status_events', last.id, { undoneAt: now, undoneBy: actor.userId, updatedAt: now });
    if (last.toStatus === 'checked_in') closeEmptyVisitEncounter(w, store, row.id);
    w.audit({
      action: 'appointment.status_undo',
      patientId: row.patientId,
      detail: { appointmentId: row.id, undone: last.toStatus, backTo: last.fromStatus },
    });
  });
  return getAppointment(store, row.id);
}

/** Clear the flag sync sets on overlapping bookings made offline, once reception has dealt with it. */
export function resolveDoubleBooking(store: Store, actor: SignedInActor, id: string): Appointment {
  const row = getAppointmentRow(store, id);
  if (!row.doubleBookedAt) return getAppointment(store, id);
  store.write(actor, (w) => {
    w.update('appointments', row.id, {
      doubleBookedAt: null,
      doubleBookedWith: null,
      updatedAt: store.nowIso(),
    });
    w.audit({
      action: 'appointment.double_booking_resolved',
      patientId: row.patientId,
      detail: { appointmentId: row.id, otherAppointmentId: row.doubleBookedWith },
    });
  });
  return getAppointment(store, id);
}

/**
 * What reception confirms at check-in, from the registry: gaps in the registration and the insurance in
 * effect on the visit date (missing, expired, not yet started), with the copay the primary plan lists.
 * Audited as a read of the patient's record.
 */
export function checkInReview(
  store: Store,
  actor: SignedInActor,
  id: string,
  background = false,
): CheckInReview {
  const appointment = getAppointment(store, id);
  const { date } = localDate(store, getAppointmentRow(store, id));
  const status = coverageStatus(store, appointment.patient.id, date);
  const expired = status.issues.some((i) => i.code === 'coverage_expired');
  const missing = status.issues.some((i) => i.code === 'no_active_coverage');
  // A live refresh of the open dialog repeats a read already audited.
  if (!background) {
    store.audit(actor, {
      action: 'patient.read',
      patientId: appointment.patient.id,
      detail: { view: 'check_in', appointmentId: id },
    });
  }
  return {
    appointmentId: id,
    patient: appointment.patient,
    demographics: { problems: status.demographicGaps.map((g) => g.message) },
    insurance: {
      status:
        expired && status.active.length === 0
          ? 'expired'
          : missing
            ? 'missing'
            : status.issues.length
              ? 'problems'
              : 'ok',
      problems: status.issues.map((i) => i.message),
    },
    copayDueCents: appointment.copayDueCents ?? status.copayCents,
  };
}

/** One appointment with its series, every status step (undone ones marked) and its change history. */
export function appointmentDetail(
  store: Store,
  actor: SignedInActor,
  id: string,
  background: boolean,
): AppointmentDetail {
  const appointment = getAppointment(store, id);
  const steps = store.orm
    .select({ e: appointmentStatusEvents, userName: users.fullName })
    .from(appointmentStatusEvents)
    .leftJoin(users, eq(users.id, appointmentStatusEvents.userId))
    .where(eq(appointmentStatusEvents.appointmentId, id))
    .orderBy(asc(appointmentStatusEvents.at), asc(appointmentStatusEvents.id))
    .all()
    .map(({ e, userName }) => ({
      from: e.fromStatus,
      to: e.toStatus,
      at: e.at,
      userId: e.userId,
      userName,
      undoneAt: e.undoneAt,
    }));
  const changes = store.orm
    .select({ c: appointmentChanges, userName: users.fullName })
    .from(appointmentChanges)
    .leftJoin(users, eq(users.id, appointmentChanges.userId))
    .where(eq(appointmentChanges.appointmentId, id))
    .orderBy(asc(appointmentChanges.at), asc(appointmentChanges.id))
    .all()
    .map(({ c, userName }) => ({
      at: c.at,
      userName,
      kind: c.kind,
      before: JSON.parse(c.before) as Record<string, unknown>,
      after: JSON.parse(c.after) as Record<string, unknown>,
      reason: c.reason,
    }));
  if (!background) {
    store.audit(actor, {
      action: 'appointment.read',
      patientId: appointment.patient.id,
      detail: { appointmentId: id },
    });
  }
  return {
    appointment,
    series: appointment.seriesId ? toSeries(getSeriesRow(store, appointment.seriesId), getClinicInfo(store).timeFormat) : null,
    steps,
    changes,
  };
}
