import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  codedDiagnosisSchema,
  type CodedDiagnosis,
  type Encounter,
  type EncounterCreate,
  type PersonRef,
} from '../../../contracts/clinical';
import { appointments, encounters, locations, notes, providerProfiles } from '../../db/schema';
import type { Store, Writer } from '../../db/store';
import { AppError, fieldError, notFound } from '../../../platform/errors';
import { patientForRead, patientForWrite } from '../patients/patient-core';
import { getClinicInfo } from '../settings/clinic-info';
import { noteWriters, people, type Clinician } from './clinician';
import { requireCode } from './icd10/code-set';
import { noteSummaries } from './note-rows';
import { liveRow } from '../../db/live-row';
import { proposeChargeLines } from '../billing/charges';
import { requirePaymentClearance } from '../billing/payment-policy';
import { visitModality } from '../../../domain/telehealth/modality';
/** The billing modality the appointment's latest video session implies (null: nothing confirmed yet). */
function telehealthModality(store: Store, appointmentId: string) {
  const s = store.db
    .prepare(
      `SELECT mode, patient_at_home AS atHome FROM telehealth_sessions
        WHERE appointment_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get(appointmentId) as { mode: 'video' | 'audio_only'; atHome: number | null } | undefined;
  return s ? visitModality(s.mode, s.atHome === null ? null : s.atHome === 1) : null;
}

export type EncounterRow = typeof encounters.$inferSelect;

const diagnosesSchema = z.array(codedDiagnosisSchema);
export const parseDiagnoses = (row: EncounterRow): CodedDiagnosis[] =>
  diagnosesSchema.parse(JSON.parse(row.diagnoses));

export function encounterRowById(store: Store, id: string): EncounterRow {
  const row = store.orm
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.id, id),
        liveRow(encounters, store.requireClinicId()),
      ),
    )
    .get();
  if (!row) throw notFound('That encounter');
  return row;
}

/** Encounters as the screens show them, with their (unrestricted) notes, in few queries. */
export function toEncounters(store: Store, rows: EncounterRow[]): Encounter[] {
  if (!rows.length) return [];
  const noteRows = store.orm
    .select()
    .from(notes)
    .where(
      and(
        inArray(
          notes.encounterId,
          rows.map((r) => r.id),
        ),
        isNull(notes.deletedAt),
        eq(notes.restricted, false),
      ),
    )
    .orderBy(asc(notes.createdAt))
    .all();
  const name = people(store, [...rows.map((r) => r.providerUserId), ...noteRows.map((n) => n.authorId)]);
  const summaries = noteSummaries(store, noteRows, name);
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patientId,
    provider: name(r.providerUserId),
    appointmentId: r.appointmentId,
    dateOfService: r.dateOfService,
    startAt: r.startAt,
    timeZone: r.timeZone,
    locationName: r.locationName,
    type: r.type,
    reason: r.reason,
    diagnoses: parseDiagnoses(r),
    notes: summaries.filter((n) => n.encounterId === r.id),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

function providerRef(store: Store, providerId: string): PersonRef {
  const writer = noteWriters(store).find((u) => u.id === providerId);
  if (!writer) throw fieldError('providerId', 'Pick a clinician who writes notes as the provider.');
  return { id: writer.id, name: writer.fullName };
}

/** An ad hoc encounter (a walk-in, a phone call, a visit not on the schedule). */
export function createEncounter(store: Store, clin: Clinician, input: EncounterCreate): Encounter {
  const patient = patientForWrite(store, clin.actor, input.patientId);
  providerRef(store, input.providerId);
  const zone = getClinicInfo(store).timeZone;
  const today = DateTime.fromJSDate(store.now(), { zone }).toISODate();
  let start: DateTime;
  if (input.startTime) start = DateTime.fromISO(`${input.dateOfService}T${input.startTime}`, { zone });
  else if (input.dateOfService === today) start = DateTime.fromJSDate(store.now(), { zone });
  else start = DateTime.fromISO(`${input.dateOfService}T12:00`, { zone });
  if (!start.isValid) throw fieldError('dateOfService', 'Enter a real date and time.');
  const now = store.nowIso();
  const id = uuidv7();
  store.write(clin.actor, (w) => {
    w.insert('encounters', {
      id,
      clinicId: store.requireClinicId(),
      patientId: patient.id,
      providerUserId: input.providerId,
      appointmentId: null,
      locationId: null,
      locationName: input.locationName,
      dateOfService: input.dateOfService,
      startAt: start.toUTC().toISO()!,
      timeZone: zone,
      type: input.type,
      reason: input.reason,
      diagnoses: '[]',
      createdBy: clin.actor.userId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    w.audit({ action: 'encounter.create', patientId: patient.id, detail: { encounterId: id, adHoc: true } });
  });
  return toEncounters(store, [encounterRowById(store, id)])[0]!;
}

/** The visit steps after check-in: from then on the patient is here and the visit can be documented. */
const CHECKED_IN = new Set(['checked_in', 'roomed', 'with_provider', 'checked_out']);

/**
 * The encounter of a checked-in appointment: provider, patient, date, time and location come from the
 * appointment. Asking again returns the same encounter (one per appointment).
 */
export function encounterFromAppointment(store: Store, clin: Clinician, appointmentId: string): Encounter {
  const appt = store.orm
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.id, appointmentId),
        liveRow(appointments, store.requireClinicId()),
      ),
    )
    .get();
  if (!appt) throw notFound('That appointment');
  const existing = visitEncounterRow(store, appointmentId);
  if (existing) {
    patientForRead(store, clin.actor, existing.patientId);
    return toEncounters(store, [existing])[0]!;
  }
  if (!CHECKED_IN.has(appt.status)) {
    throw new AppError(409, 'not_checked_in', 'Check the patient in before starting this visit’s encounter.');
  }
  patientForWrite(store, clin.actor, appt.patientId);
  requirePaymentClearance(store, clin.actor, { appointmentId }, 'start_visit');
  const id = store.write(clin.actor, (w) => openVisitEncounter(w, store, appt));
  return toEncounters(store, [encounterRowById(store, id)])[0]!;
}

type AppointmentRow = typeof appointments.$inferSelect;

/** The encounter of an appointment, if one was opened (at check-in, or with "Start visit"). */
export function visitEncounterRow(store: Store, appointmentId: string): EncounterRow | undefined {
  return store.orm
    .select()
    .from(encounters)
    .where(and(eq(encounters.appointmentId, appointmentId), isNull(encounters.deletedAt)))
    .get();
}

/**
 * Open the visit's encounter inside the caller's write: provider, patient, date, time and location come from
 * the appointment, nothing clinical is recorded. Check-in calls it, so a clinician finds today's visit ready
 * to document; "Start visit" calls it for an appointment checked in before that.
 */
export function openVisitEncounter(w: Writer, store: Store, appt: AppointmentRow): string {
  const provider = store.orm
    .select()
    .from(providerProfiles)
    .where(eq(providerProfiles.id, appt.providerId))
    .get();
  if (!provider)
    throw new AppError(
      409,
      'no_provider',
      'The appointment’s provider is not set up. Ask the front desk to fix the appointment.',
    );
  const location = store.orm.select().from(locations).where(eq(locations.id, appt.locationId)).get();
  const start = DateTime.fromISO(appt.startsAt, { zone: appt.timeZone });
  const now = store.nowIso();
  const id = uuidv7();
  w.insert('encounters', {
    id,
    clinicId: store.requireClinicId(),
    patientId: appt.patientId,
    providerUserId: provider.userId,
    appointmentId: appt.id,
    locationId: appt.locationId,
    locationName: location?.name ?? '',
    dateOfService: start.toISODate()!,
    startAt: appt.startsAt,
    timeZone: appt.timeZone,
    type: appt.modality === 'telehealth' ? 'telehealth' : 'office',
    // Billing's place of service follows it. A telehealth visit takes the video session's facts (audio only;
    // the patient's confirmed location: home 10 / elsewhere 02); before the location is confirmed it is
    // provisionally "home", and confirming it at the visit's start updates the open encounter.
    modality: appt.modality === 'telehealth' ? (telehealthModality(store, appt.id) ?? 'telehealth_home') : 'office',
    reason: '',
    diagnoses: '[]',
    createdBy: w.actor.userId ?? provider.userId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
  // Draft charge lines from the appointment type's default codes, for the clinician or checkout to adjust.
  proposeChargeLines(w, store, id);
  w.audit({
    action: 'encounter.create',
    patientId: appt.patientId,
    detail: { encounterId: id, appointmentId: appt.id },
  });
  return id;
}

/**
 * An undone check-in takes back the encounter it opened, as long as nothing was documented in it (no note,
 * no diagnosis); otherwise the encounter stays, because what was written belongs to the record.
 */
export function closeEmptyVisitEncounter(w: Writer, store: Store, appointmentId: string): void {
  const row = visitEncounterRow(store, appointmentId);
  if (!row || parseDiagnoses(row).length) return;
  const note = store.orm
    .select({ id: notes.id })
    .from(notes)
    .where(and(eq(notes.encounterId, row.id), isNull(notes.deletedAt)))
    .get();
  if (note) return;
  const now = store.nowIso();
  w.update('encounters', row.id, { deletedAt: now, updatedAt: now });
}

export function getEncounter(store: Store, clin: Clinician, id: string): Encounter {
  const row = encounterRowById(store, id);
  const { row: patient, grant } = patientForRead(store, clin.actor, row.patientId);
  store.audit(clin.actor, {
    action: 'encounter.read',
    patientId: patient.id,
    detail: { encounterId: id, ...(grant && { emergencyGrantId: grant.id }) },
  });
  return toEncounters(store, [row])[0]!;
}

export function updateEncounter(
  store: Store,
  clin: Clinician,
  id: string,
  patch: Partial<Pick<EncounterRow, 'type' | 'locationName' | 'reason'>>,
): Encounter {
  const row = encounterRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter(
    (k) => patch[k] !== undefined && patch[k] !== row[k],
  );
  if (!changed.length) return toEncounters(store, [row])[0]!;
  store.write(clin.actor, (w) => {
    w.update('encounters', id, {
      ...Object.fromEntries(changed.map((k) => [k, patch[k]])),
      updatedAt: store.nowIso(),
    });
    w.audit({
      action: 'encounter.update',
      patientId: patient.id,
      detail: { encounterId: id, fields: changed },
    });
  });
  return toEncounters(store, [encounterRowById(store, id)])[0]!;
}

/** Set an encounter's diagnoses (first = primary); descriptions come from the code set, not the caller. */
export function setEncounterDiagnoses(store: Store, clin: Clinician, id: string, codes: string[]): Encounter {
  const row = encounterRowById(store, id);
  const patient = patientForWrite(store, clin.actor, row.patientId);
  const unique = [...new Set(codes)];
  const diagnoses = unique.map((code, i) => {
    const entry = requireCode(store, code, `codes.${i}`);
    return { code: entry.code, description: entry.description };
  });
  store.write(clin.actor, (w) => {
    w.update('encounters', id, { diagnoses: JSON.stringify(diagnoses), updatedAt: store.nowIso() });
    w.audit({
      action: 'encounter.update',
      patientId: patient.id,
      detail: { encounterId: id, fields: ['diagnoses'], count: diagnoses.length },
    });
  });
  return toEncounters(store, [encounterRowById(store, id)])[0]!;
}
