import { and, eq, gte, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { recurrenceSchema, type Conflict, type Recurrence, type Series } from '../../../contracts/scheduling';
import type { Candidate } from '../../../domain/scheduling/conflicts';
import {
  anchorOf,
  describeRecurrence,
  expandOccurrences,
  planRegeneration,
  storedRecurrence,
  toRRuleString,
  type Occurrence,
} from '../../../domain/scheduling/recurrence';
import { instantToLocal, type LocalDateTime } from '../../../domain/scheduling/time';
import { appointmentSeries, appointments } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { fieldError, notFound } from '../../../platform/errors';
import type { AppointmentRow } from './appointment-rows';
import { recordChange } from './appointment-writes';
import type { ConflictChecker } from './conflict-check';
import { getAppointmentType } from './setup';
import { addDays } from '../../../contracts/calendar';
import type { TimeFormat } from '../../../contracts/time-format';

/**
 * Repeating appointments. A series keeps its rule; each occurrence is an `appointments` row (series_id +
 * occurrence_date). Editing the series regenerates the plain future rows; exceptions (rows edited on their
 * own, or cancelled, no-show or under way) are left exactly as they are.
 */

export type SeriesRow = typeof appointmentSeries.$inferSelect;

/** How far ahead a series may reach, so every occurrence is a real row that can be checked. */
export const MAX_SERIES_YEARS = 3;
export const MAX_OCCURRENCES = 520;

export function toSeries(row: SeriesRow, timeFormat?: TimeFormat): Series {
  const recurrence = recurrenceSchema.parse(JSON.parse(row.recurrence));
  return {
    id: row.id,
    patientId: row.patientId,
    providerId: row.providerId,
    startsAt: row.startsAt,
    durationMinutes: row.durationMinutes,
    timeZone: row.timeZone,
    recurrence,
    rrule: row.rrule,
    recurrenceText: describeRecurrence(recurrence, anchorOf(row.startsAt, row.timeZone, recurrence), timeFormat),
    status: row.status,
  };
}

export function getSeriesRow(store: Store, id: string): SeriesRow {
  const row = store.orm
    .select()
    .from(appointmentSeries)
    .where(and(eq(appointmentSeries.id, id), isNull(appointmentSeries.deletedAt)))
    .get();
  if (!row) throw notFound('That appointment series');
  return row;
}

export const recurrenceOf = (row: SeriesRow): Recurrence =>
  recurrenceSchema.parse(JSON.parse(row.recurrence));

/** All occurrences of a rule from its anchor, refusing rules that reach too far or produce nothing. */
export function seriesOccurrences(rec: Recurrence, anchor: LocalDateTime, zone: string): Occurrence[] {
  const limitDate = addDays(anchor.date, Math.round(MAX_SERIES_YEARS * 365.25));
  if (rec.until && rec.until > limitDate) {
    throw fieldError(
      'recurrence.until',
      `A series can run at most ${MAX_SERIES_YEARS} years; choose an earlier end date.`,
    );
  }
  const all = expandOccurrences(rec, anchor, zone, { max: MAX_OCCURRENCES + 1 });
  if (all.length > MAX_OCCURRENCES) {
    throw fieldError('recurrence.count', `A series can have at most ${MAX_OCCURRENCES} appointments.`);
  }
  if (all.some((o) => o.date > limitDate)) {
    throw fieldError(
      'recurrence.count',
      `A series can run at most ${MAX_SERIES_YEARS} years; make it shorter.`,
    );
  }
  if (!all.length)
    throw fieldError('recurrence', 'This repeat rule gives no dates. Check the weekdays and the end.');
  // The first appointment is the series' anchor; a rule that skips it would silently book other days.
  if (all[0]!.date !== anchor.date) {
    throw fieldError('recurrence.weekdays', 'The first appointment must fall on one of the repeat days.');
  }
  return all;
}

/** Live rows of a series whose occurrence date is on or after `fromDate`. */
export function seriesRows(store: Store, seriesId: string, fromDate: string): AppointmentRow[] {
  return store.orm
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.seriesId, seriesId),
        isNull(appointments.deletedAt),
        gte(appointments.occurrenceDate, fromDate),
      ),
    )
    .orderBy(appointments.occurrenceDate)
    .all();
}

export interface SeriesShape {
  providerId: string;
  locationId: string;
  roomId: string | null;
  appointmentTypeId: string;
  note: string;
  durationMinutes: number;
  modality: 'in_person' | 'telehealth';
  anchor: LocalDateTime;
  recurrence: Recurrence;
}

export interface RegenerationResult {
  conflicts: Conflict[];
  apply(w: Writer, overrideReason: string | null, reason: string | null): number;
}

/**
 * Plan a series' rows from `fromInstant` on against its (new) shape; `apply` writes the plan. Conflicts are
 * checked for rows that will move or be created, not for the series' own rows being replaced.
 */
export function planSeriesRows(
  store: Store,
  checker: ConflictChecker,
  series: SeriesRow,
  shape: SeriesShape,
  fromInstant: number,
): RegenerationResult {
  const zone = series.timeZone;
  const durationMs = shape.durationMinutes * 60_000;
  const fromDate = instantToLocal(fromInstant, zone).date;
  // Rows already past stay as they are; their dates are taken even if the rule now puts them later.
  const allRows = seriesRows(store, series.id, addDays(fromDate, -1));
  const rows = allRows.filter((r) => Date.parse(r.startsAt) >= fromInstant);
  const taken = new Set(
    allRows.filter((r) => Date.parse(r.startsAt) < fromInstant).map((r) => r.occurrenceDate),
  );
  const occurrences = seriesOccurrences(shape.recurrence, shape.anchor, zone).filter(
    (o) => o.startsAt.getTime() >= fromInstant && !taken.has(o.date),
  );
  const plan = planRegeneration(
    occurrences,
    rows.map((r) => ({ ...r, occurrenceDate: r.occurrenceDate! })),
  );
  const candidate = (o: Occurrence, id: string | null): Candidate => ({
    id,
    providerId: shape.providerId,
    locationId: shape.locationId,
    roomId: shape.roomId,
    patientId: series.patientId,
    start: o.startsAt.getTime(),
    end: o.startsAt.getTime() + durationMs,
  });
  const changed = plan.update.filter(
    ({ row, occurrence }) =>
      row.startsAt !== occurrence.startsAt.toISOString() ||
      Date.parse(row.endsAt) - Date.parse(row.startsAt) !== durationMs ||
      row.providerId !== shape.providerId ||
      row.roomId !== shape.roomId ||
      row.locationId !== shape.locationId ||
      row.appointmentTypeId !== shape.appointmentTypeId ||
      row.note !== shape.note ||
      row.modality !== shape.modality,
  );
  const exclude = new Set(rows.map((r) => r.id));
  const conflicts = checker.check(
    [
      ...changed.map(({ row, occurrence }) => candidate(occurrence, row.id)),
      ...plan.insert.map((o) => candidate(o, null)),
    ],
    exclude,
  );
  return {
    conflicts,
    apply(w, overrideReason, reason) {
      const now = store.nowIso();
      for (const { row, occurrence } of changed) {
        const next = {
          startsAt: occurrence.startsAt.toISOString(),
          endsAt: new Date(occurrence.startsAt.getTime() + durationMs).toISOString(),
          providerId: shape.providerId,
          locationId: shape.locationId,
          roomId: shape.roomId,
          appointmentTypeId: shape.appointmentTypeId,
          modality: shape.modality,
          note: shape.note,
        };
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(next)) {
          if (row[k as keyof typeof next] !== v) {
            before[k] = row[k as keyof typeof next];
            after[k] = v;
          }
        }
        w.update('appointments', row.id, {
          ...next,
          seriesId: series.id,
          ...(overrideReason && { overrideReason }),
          doubleBookedAt: null,
          doubleBookedWith: null,
          updatedAt: now,
        });
        recordChange(w, store, row.id, 'series_edit', before, after, reason);
      }
      for (const row of plan.remove) {
        w.update('appointments', row.id, { deletedAt: now, updatedAt: now });
        recordChange(
          w,
          store,
          row.id,
          'series_edit',
          { occurrenceDate: row.occurrenceDate },
          { removed: true },
          reason,
        );
      }
      for (const o of plan.insert) {
        insertOccurrence(w, store, series, shape, o, overrideReason);
      }
      return changed.length + plan.remove.length + plan.insert.length;
    },
  };
}

export function insertOccurrence(
  w: Writer,
  store: Store,
  /** id null: a single appointment, not a series member. */
  series: { id: string | null; patientId: string; timeZone: string },
  shape: Omit<SeriesShape, 'anchor' | 'recurrence'>,
  o: Occurrence,
  overrideReason: string | null,
  extra: { waitlistEntryId?: string | null } = {},
): string {
  const now = store.nowIso();
  const id = uuidv7();
  w.insert('appointments', {
    id,
    clinicId: store.requireClinicId(),
    patientId: series.patientId,
    providerId: shape.providerId,
    appointmentTypeId: shape.appointmentTypeId,
    locationId: shape.locationId,
    roomId: shape.roomId,
    startsAt: o.startsAt.toISOString(),
    endsAt: new Date(o.startsAt.getTime() + shape.durationMinutes * 60_000).toISOString(),
    timeZone: series.timeZone,
    modality: shape.modality,
    status: 'scheduled',
    statusChangedAt: now,
    note: shape.note,
    seriesId: series.id,
    occurrenceDate: series.id ? o.date : null,
    detached: false,
    lateCancel: false,
    overrideReason,
    waitlistEntryId: extra.waitlistEntryId ?? null,
    createdBy: w.actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** Write a series row for a shape (new series, or the second half of a split). */
export function seriesRowFor(
  store: Store,
  id: string,
  patientId: string,
  zone: string,
  shape: SeriesShape,
  createdBy: string | null,
  splitFromId: string | null,
): SeriesRow {
  const occurrences = seriesOccurrences(shape.recurrence, shape.anchor, zone);
  const recurrence = storedRecurrence(shape.recurrence, shape.anchor, occurrences[0]!.startsAt, zone);
  const now = store.nowIso();
  return {
    id,
    clinicId: store.requireClinicId(),
    patientId,
    providerId: shape.providerId,
    appointmentTypeId: shape.appointmentTypeId,
    locationId: shape.locationId,
    roomId: shape.roomId,
    startsAt: occurrences[0]!.startsAt.toISOString(),
    durationMinutes: shape.durationMinutes,
    timeZone: zone,
    recurrence: JSON.stringify(recurrence),
    rrule: toRRuleString(recurrence, shape.anchor, zone),
    note: shape.note,
    status: 'active',
    splitFromId,
    createdBy,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}

export function shapeOf(store: Store, series: SeriesRow): SeriesShape {
  return {
    modality: getAppointmentType(store, series.appointmentTypeId).modality,
    providerId: series.providerId,
    locationId: series.locationId,
    roomId: series.roomId,
    appointmentTypeId: series.appointmentTypeId,
    note: series.note,
    durationMinutes: series.durationMinutes,
    anchor: anchorOf(series.startsAt, series.timeZone, recurrenceOf(series)),
    recurrence: recurrenceOf(series),
  };
}
