import { and, eq, gte, inArray, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Appointment, AppointmentUpdate, SeriesScope } from '../../../contracts/scheduling';
import { shiftRecurrence, splitRecurrence, toRRuleString } from '../../../domain/scheduling/recurrence';
import { canCancel, canReschedule, isLateCancel } from '../../../domain/scheduling/status';
import { daysBetween, instantToLocal } from '../../../domain/scheduling/time';
import { appointmentStatusLabels } from '../../../contracts/scheduling';
import { appointments } from '../../db/schema';
import type { Store } from '../../db/store';
import { AppError } from '../../../platform/errors';
import type { SchedulingActor } from './actor';
import { getAppointment, getAppointmentRow, type AppointmentRow } from './appointment-rows';
import { changeKind, checkPlacement, diff, recordChange, recordStep } from './appointment-writes';
import { ConflictChecker, settleConflicts } from './conflict-check';
import {
  getSeriesRow,
  planSeriesRows,
  seriesRowFor,
  shapeOf,
  type SeriesRow,
  type SeriesShape,
} from './series';
import { addDays } from '../../../contracts/calendar';

/**
 * Moving, resizing and editing appointments, and cancelling them: for one appointment, for it and the
 * rest of its series, or for the whole series from now on. Every move keeps its history.
 */

const notMovable = (row: AppointmentRow) =>
  new AppError(
    409,
    'visit_started',
    `This appointment is ${appointmentStatusLabels[row.status].toLowerCase()}; only scheduled appointments can be moved or changed.`,
  );

export function updateAppointment(
  store: Store,
  who: SchedulingActor,
  id: string,
  input: AppointmentUpdate,
): { appointment: Appointment; affected: number } {
  const row = getAppointmentRow(store, id);
  const onlyNote =
    input.note !== undefined &&
    [
      input.startsAt,
      input.endsAt,
      input.providerId,
      input.locationId,
      input.roomId,
      input.appointmentTypeId,
      input.recurrence,
    ].every((v) => v === undefined);
  if (!canReschedule(row.status) && !(onlyNote && row.status !== 'cancelled' && row.status !== 'no_show')) {
    throw notMovable(row);
  }
  const scope: SeriesScope = row.seriesId ? input.scope : 'this';
  if (scope === 'this') {
    if (input.recurrence) {
      throw new AppError(
        400,
        'invalid_input',
        'A new repeat rule applies to “this and following” or the whole series.',
      );
    }
    return { appointment: updateOne(store, who, row, input), affected: 1 };
  }
  return updateSeries(store, who, row, input, scope);
}

function updateOne(
  store: Store,
  who: SchedulingActor,
  row: AppointmentRow,
  input: AppointmentUpdate,
): Appointment {
  const start = input.startsAt ? Date.parse(input.startsAt) : Date.parse(row.startsAt);
  const length = Date.parse(row.endsAt) - Date.parse(row.startsAt);
  const end = input.endsAt ? Date.parse(input.endsAt) : start + length;
  if (end <= start)
    throw new AppError(400, 'invalid_input', 'The end must be after the start.', {
      endsAt: 'The end must be after the start.',
    });
  if (end - start > 12 * 3_600_000)
    throw new AppError(400, 'invalid_input', 'An appointment lasts at most 12 hours.', {
      endsAt: 'At most 12 hours.',
    });
  const next = {
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    providerId: input.providerId ?? row.providerId,
    locationId: input.locationId ?? row.locationId,
    roomId: input.roomId !== undefined ? input.roomId : row.roomId,
    appointmentTypeId: input.appointmentTypeId ?? row.appointmentTypeId,
    note: input.note ?? row.note,
  };
  const { before, after } = diff(row as unknown as Record<string, unknown>, next);
  const changed = Object.keys(after);
  if (!changed.length) return getAppointment(store, row.id);
  const { type } = checkPlacement(store, next);
  const placementChanged = changed.some((k) => k !== 'note' && k !== 'appointmentTypeId');
  const checker = new ConflictChecker(store);
  store.write(who.actor, (w) => {
    const conflicts = placementChanged
      ? checker.check([{ id: row.id, ...next, patientId: row.patientId, start, end }])
      : [];
    const overrideReason = settleConflicts(conflicts, input.override, who.mayOverride);
    w.update('appointments', row.id, {
      ...next,
      modality: type.modality,
      // Edited on its own: a later series edit leaves it as it is now.
      detached: row.seriesId !== null,
      ...(overrideReason && { overrideReason }),
      ...(placementChanged && { doubleBookedAt: null, doubleBookedWith: null }),
      // The patient confirmed the old time; a new time needs its own confirmation.
      ...(changed.includes('startsAt') && { patientConfirmedAt: null }),
      updatedAt: store.nowIso(),
    });
    recordChange(w, store, row.id, changeKind(changed), before, after, input.reason ?? null);
    w.audit({
      action: 'appointment.update',
      patientId: row.patientId,
      detail: {
        appointmentId: row.id,
        scope: 'this',
        fields: changed,
        ...(input.reason && { reason: input.reason }),
      },
    });
    if (overrideReason) overrideAudit(w, row, overrideReason, conflicts);
  });
  return getAppointment(store, row.id);
}

function overrideAudit(
  w: Parameters<Parameters<Store['write']>[1]>[0],
  row: AppointmentRow,
  reason: string,
  conflicts: readonly { kind: string }[],
) {
  w.audit({
    action: 'appointment.override',
    patientId: row.patientId,
    detail: {
      appointmentId: row.id,
      seriesId: row.seriesId,
      reason,
      conflicts: [...new Set(conflicts.map((c) => c.kind))],
    },
  });
}

/**
 * "This and following" splits the series at this occurrence: the first part ends the day before, a new
 * series (split_from_id) takes this occurrence and the rest with the new shape. "The whole series" changes
 * the series itself. Either way only rows from now on are touched, and exceptions keep their own details.
 */
function updateSeries(
  store: Store,
  who: SchedulingActor,
  row: AppointmentRow,
  input: AppointmentUpdate,
  scope: 'following' | 'series',
): { appointment: Appointment; affected: number } {
  const series = getSeriesRow(store, row.seriesId!);
  const zone = series.timeZone;
  const old = shapeOf(store, series);
  const occurrenceDate = row.occurrenceDate!;
  // Where this occurrence sits in the series' own rhythm (a detached row may have been moved elsewhere).
  const slot = { date: occurrenceDate, time: old.anchor.time };
  const newStart = input.startsAt ? instantToLocal(input.startsAt, zone) : null;
  const dayDelta = newStart ? daysBetween(occurrenceDate, newStart.date) : 0;
  const newTime = newStart ? newStart.time : slot.time;
  const currentStart = input.startsAt ? Date.parse(input.startsAt) : Date.parse(row.startsAt);
  const durationMinutes = input.endsAt
    ? Math.round((Date.parse(input.endsAt) - currentStart) / 60_000)
    : old.durationMinutes;
  if (durationMinutes <= 0 || durationMinutes > 720) {
    throw new AppError(400, 'invalid_input', 'An appointment lasts between 5 minutes and 12 hours.', {
      endsAt: 'Check the end time.',
    });
  }
  const base = {
    providerId: input.providerId ?? old.providerId,
    locationId: input.locationId ?? old.locationId,
    roomId: input.roomId !== undefined ? input.roomId : old.roomId,
    appointmentTypeId: input.appointmentTypeId ?? old.appointmentTypeId,
    note: input.note ?? old.note,
    durationMinutes,
  };
  const { type } = checkPlacement(store, base);
  const checker = new ConflictChecker(store);
  const now = store.now().getTime();
  const changedFields = Object.keys(diff(old as unknown as Record<string, unknown>, base).after);
  if (newStart) changedFields.push('startsAt');
  if (input.recurrence) changedFields.push('recurrence');

  const firstDate = old.anchor.date;
  const splitAtStart = scope === 'series' || occurrenceDate <= firstDate;
  let affected = 0;
  let newSeriesId: string | null = null;
  store.write(who.actor, (w) => {
    let target: SeriesRow;
    let shape: SeriesShape;
    if (splitAtStart) {
      const anchor = { date: addDays(old.anchor.date, dayDelta), time: newTime };
      shape = {
        ...old,
        ...base,
        modality: type.modality,
        anchor,
        recurrence: input.recurrence ?? shiftRecurrence(old.recurrence, old.anchor.date, anchor.date),
      };
      const fresh = seriesRowFor(
        store,
        series.id,
        series.patientId,
        zone,
        shape,
        series.createdBy,
        series.splitFromId,
      );
      const patch = {
        providerId: fresh.providerId,
        locationId: fresh.locationId,
        roomId: fresh.roomId,
        appointmentTypeId: fresh.appointmentTypeId,
        note: fresh.note,
        durationMinutes: fresh.durationMinutes,
        startsAt: fresh.startsAt,
        recurrence: fresh.recurrence,
        rrule: fresh.rrule,
        updatedAt: store.nowIso(),
      };
      w.update('appointment_series', series.id, patch);
      target = { ...series, ...patch };
    } else {
      const { before, after, resumeDate } = splitRecurrence(old.recurrence, old.anchor, zone, occurrenceDate);
      // The rest keeps the old rhythm: it resumes at the rule's next date (this row's own, unless the row
      // stands for a date a rule change dropped), moved by as many days as this appointment was. A new rule
      // sent with the edit starts where the user put this appointment.
      const resumeAt = input.recurrence ? occurrenceDate : resumeDate;
      if (!resumeAt) {
        throw new AppError(
          409,
          'series_ended',
          'The series has no more dates from this appointment on; change this appointment on its own.',
        );
      }
      const anchorDate = addDays(resumeAt, dayDelta);
      if (before) {
        w.update('appointment_series', series.id, {
          recurrence: JSON.stringify(before),
          rrule: toRRuleString(before, old.anchor, zone),
          updatedAt: store.nowIso(),
        });
      }
      newSeriesId = uuidv7();
      shape = {
        ...old,
        ...base,
        modality: type.modality,
        anchor: { date: anchorDate, time: newTime },
        recurrence: input.recurrence ?? shiftRecurrence(after, resumeAt, anchorDate),
      };
      target = seriesRowFor(store, newSeriesId, series.patientId, zone, shape, who.actor.userId, series.id);
      w.insert('appointment_series', target);
      // This occurrence and every later one now belong to the new series.
      const moving = store.orm
        .select({ id: appointments.id })
        .from(appointments)
        .where(
          and(
            eq(appointments.seriesId, series.id),
            isNull(appointments.deletedAt),
            gte(appointments.occurrenceDate, occurrenceDate),
          ),
        )
        .all();
      for (const m of moving)
        w.update('appointments', m.id, { seriesId: newSeriesId, updatedAt: store.nowIso() });
    }
    const plan = planSeriesRows(store, checker, target, shape, now);
    const overrideReason = settleConflicts(plan.conflicts, input.override, who.mayOverride);
    affected = plan.apply(w, overrideReason, input.reason ?? null);
    w.audit({
      action: 'appointment.update',
      patientId: row.patientId,
      detail: {
        appointmentId: row.id,
        seriesId: series.id,
        ...(newSeriesId && { newSeriesId }),
        scope,
        fields: changedFields,
        affected,
        ...(input.reason && { reason: input.reason }),
      },
    });
    if (overrideReason) overrideAudit(w, row, overrideReason, plan.conflicts);
  });
  // The row asked about may have been replaced (its date left the rule); answer with what is there now.
  const current = store.orm
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(eq(appointments.id, row.id), isNull(appointments.deletedAt)))
    .get();
  const answerId =
    current?.id ??
    store.orm
      .select({ id: appointments.id })
      .from(appointments)
      .where(
        and(
          eq(appointments.seriesId, newSeriesId ?? series.id),
          isNull(appointments.deletedAt),
          gte(appointments.startsAt, new Date(now).toISOString()),
        ),
      )
      .orderBy(appointments.startsAt)
      .get()?.id ??
    row.id;
  return { appointment: answerFor(store, answerId), affected };
}

function answerFor(store: Store, id: string): Appointment {
  try {
    return getAppointment(store, id);
  } catch {
    throw new AppError(
      409,
      'series_changed',
      'The series changed and this appointment is no longer part of it.',
    );
  }
}

// ---------------------------------------------------------------- cancel

export function cancelAppointment(
  store: Store,
  who: SchedulingActor,
  id: string,
  input: { reason: string; lateCancel?: boolean; scope: SeriesScope },
): { appointment: Appointment; affected: number } {
  const row = getAppointmentRow(store, id);
  if (!canCancel(row.status)) {
    throw new AppError(
      409,
      'cannot_cancel',
      `This appointment is ${appointmentStatusLabels[row.status].toLowerCase()}; it cannot be cancelled.`,
    );
  }
  const scope: SeriesScope = row.seriesId ? input.scope : 'this';
  const now = store.now().getTime();
  const nowIso = store.nowIso();
  let affected = 0;
  store.write(who.actor, (w) => {
    const targets: AppointmentRow[] = [row];
    if (scope !== 'this') {
      const series = getSeriesRow(store, row.seriesId!);
      const old = shapeOf(store, series);
      const fromDate = scope === 'series' ? instantToLocal(now, series.timeZone).date : row.occurrenceDate!;
      const later = store.orm
        .select()
        .from(appointments)
        .where(
          and(
            eq(appointments.seriesId, series.id),
            isNull(appointments.deletedAt),
            gte(appointments.occurrenceDate, fromDate),
            inArray(appointments.status, ['scheduled']),
          ),
        )
        .all()
        .filter((r) => r.id !== row.id && (scope === 'following' || Date.parse(r.startsAt) >= now));
      targets.push(...later);
      const endsBefore = scope === 'series' ? null : row.occurrenceDate!;
      if (endsBefore && endsBefore > old.anchor.date) {
        const { before } = splitRecurrence(old.recurrence, old.anchor, series.timeZone, endsBefore);
        if (before) {
          w.update('appointment_series', series.id, {
            recurrence: JSON.stringify(before),
            rrule: toRRuleString(before, old.anchor, series.timeZone),
            updatedAt: nowIso,
          });
        }
      } else {
        w.update('appointment_series', series.id, { status: 'cancelled', updatedAt: nowIso });
      }
    }
    for (const t of targets) {
      w.update('appointments', t.id, {
        status: 'cancelled',
        statusChangedAt: nowIso,
        cancelledAt: nowIso,
        cancelReason: input.reason,
        lateCancel:
          t.id === row.id && input.lateCancel !== undefined
            ? input.lateCancel
            : isLateCancel(Date.parse(t.startsAt), now),
        doubleBookedAt: null,
        doubleBookedWith: null,
        updatedAt: nowIso,
      });
      recordStep(w, store, t.id, t.status, 'cancelled');
    }
    affected = targets.length;
    w.audit({
      action: 'appointment.cancel',
      patientId: row.patientId,
      detail: {
        appointmentId: row.id,
        seriesId: row.seriesId,
        scope,
        affected,
        reason: input.reason,
        lateCancel: input.lateCancel ?? isLateCancel(Date.parse(row.startsAt), now),
      },
    });
  });
  return { appointment: getAppointment(store, row.id), affected };
}
