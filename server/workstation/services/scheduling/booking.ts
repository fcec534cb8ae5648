import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { AppointmentCreate, Appointment, Series } from '../../../contracts/scheduling';
import { instantToLocal } from '../../../domain/scheduling/time';
import { waitlistEntries } from '../../db/schema';
import type { Store } from '../../db/store';
import { fieldError } from '../../../platform/errors';
import { getAppointment } from './appointment-rows';
import { bookablePatientId, checkPlacement } from './appointment-writes';
import { ConflictChecker, settleConflicts } from './conflict-check';
import {
  getSeriesRow,
  insertOccurrence,
  seriesOccurrences,
  seriesRowFor,
  toSeries,
  type SeriesShape,
} from './series';
import type { SchedulingActor } from './actor';
import { liveRow } from '../../db/live-row';
import { getClinicInfo } from '../settings/clinic-info';
import { markRequestBooked, requestToBook } from './requests';

/**
 * Booking: one appointment, or a series whose every occurrence is checked and booked in one transaction.
 * A conflict refuses the whole booking with its reasons; a user allowed to override may book anyway with
 * a reason, which is stored on each appointment and audited as `appointment.override`.
 */
export function bookAppointment(
  store: Store,
  who: SchedulingActor,
  input: AppointmentCreate,
): { appointment: Appointment; series: Series | null; booked: number } {
  const patientId = bookablePatientId(store, input.patientId);
  const { type } = checkPlacement(store, { ...input, roomId: input.roomId ?? null });
  const checker = new ConflictChecker(store);
  const zone = checker.zone;
  // The type's default room applies when it is at the chosen location and no room was named.
  const roomId =
    input.roomId !== undefined
      ? input.roomId
      : type.defaultRoomId && isRoomAt(store, type.defaultRoomId, input.locationId)
        ? type.defaultRoomId
        : null;
  const durationMinutes = input.durationMinutes ?? type.durationMinutes;
  const start = new Date(input.startsAt);
  const anchor = instantToLocal(start, zone);
  const shape: SeriesShape = {
    providerId: input.providerId,
    locationId: input.locationId,
    roomId,
    appointmentTypeId: input.appointmentTypeId,
    note: input.note,
    durationMinutes,
    modality: type.modality,
    anchor: { date: anchor.date, time: anchor.time },
    recurrence: input.recurrence ?? { frequency: 'daily', interval: 1, count: 1 },
  };
  const occurrences = input.recurrence
    ? seriesOccurrences(input.recurrence, shape.anchor, zone)
    : [{ date: anchor.date, time: anchor.time, startsAt: start }];
  const waitlist = input.waitlistEntryId ? waitingEntry(store, input.waitlistEntryId, patientId) : null;
  const request = input.appointmentRequestId ? requestToBook(store, input.appointmentRequestId, patientId) : null;

  const seriesId = input.recurrence ? uuidv7() : null;
  const firstId = store.write(who.actor, (w) => {
    // Checked inside the write transaction, so nothing can be booked into the same time in between.
    const conflicts = checker.check(
      occurrences.map((o) => ({
        providerId: shape.providerId,
        locationId: shape.locationId,
        roomId,
        patientId,
        start: o.startsAt.getTime(),
        end: o.startsAt.getTime() + durationMinutes * 60_000,
      })),
    );
    const overrideReason = settleConflicts(conflicts, input.override, who.mayOverride);
    if (seriesId) {
      w.insert(
        'appointment_series',
        seriesRowFor(store, seriesId, patientId, zone, shape, who.actor.userId, null),
      );
    }
    const ids = occurrences.map((o) =>
      insertOccurrence(w, store, { id: seriesId, patientId, timeZone: zone }, shape, o, overrideReason, {
        waitlistEntryId: waitlist?.id ?? null,
      }),
    );
    w.audit({
      action: 'appointment.create',
      patientId,
      detail: { appointmentId: ids[0], seriesId, occurrences: ids.length, providerId: input.providerId },
    });
    if (overrideReason) {
      w.audit({
        action: 'appointment.override',
        patientId,
        detail: {
          appointmentId: ids[0],
          seriesId,
          reason: overrideReason,
          conflicts: [...new Set(conflicts.map((c) => c.kind))],
          conflictCount: conflicts.length,
        },
      });
    }
    if (waitlist) {
      w.update('waitlist_entries', waitlist.id, {
        status: 'booked',
        bookedAppointmentId: ids[0]!,
        updatedAt: store.nowIso(),
      });
      w.audit({ action: 'waitlist.remove', patientId, detail: { entryId: waitlist.id, reason: 'booked' } });
    }
    if (request) markRequestBooked(w, store, who.actor, request, ids[0]!);
    return ids[0]!;
  });
  return {
    appointment: getAppointment(store, firstId),
    series: seriesId ? toSeries(getSeriesRow(store, seriesId), getClinicInfo(store).timeFormat) : null,
    booked: occurrences.length,
  };
}

function isRoomAt(store: Store, roomId: string, locationId: string): boolean {
  return (
    store.db
      .prepare('SELECT 1 FROM rooms WHERE id = ? AND location_id = ? AND deleted_at IS NULL AND active = 1')
      .get(roomId, locationId) !== undefined
  );
}

function waitingEntry(store: Store, id: string, patientId: string) {
  const entry = store.orm
    .select()
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.id, id),
        liveRow(waitlistEntries, store.requireClinicId()),
      ),
    )
    .get();
  if (!entry || entry.status !== 'waiting' || entry.patientId !== patientId) {
    throw fieldError('waitlistEntryId', 'That waitlist entry is not waiting for this patient any more.');
  }
  return entry;
}
