import crypto from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Patient, PatientCreate, PatientUpdate } from '../../../contracts/patients';
import { dateOfBirthProblem, deceasedProblem } from '../../../domain/patients/demographics';
import { mrnFromDigits } from '../../../domain/patients/mrn';
import { ethnicityProblem } from '../../../domain/patients/race-ethnicity';
import { emergencyAccessGrants, patients } from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { findDuplicates } from './duplicates';
import {
  clinicToday,
  demographicColumns,
  toPatient,
  type PatientInsert,
  type PatientRow,
} from './patient-rows';

export { luhnCheckDigit } from '../../../domain/patients/mrn';

/** How long a break-glass grant lasts before the reason must be given again. */
const EMERGENCY_ACCESS_MINUTES = 60;

/** A new MRN: 8 random digits + a Luhn check digit (see domain/patients/mrn.ts for why random). */
export function newMrn(): string {
  return mrnFromDigits(Array.from(crypto.randomBytes(8), (b) => b % 10).join(''));
}

/** A patient row of this clinic by id, live or not. */
function rowById(store: Store, id: string): PatientRow | undefined {
  return store.orm
    .select()
    .from(patients)
    .where(and(eq(patients.id, id), eq(patients.clinicId, store.requireClinicId())))
    .get();
}

/**
 * The live record an id stands for: itself, or, for a record merged into another, the record that survived
 * (following merges of merges). Undefined when there is no such patient or it was removed.
 */
export function resolvePatient(store: Store, id: string): PatientRow | undefined {
  let row = rowById(store, id);
  for (let hops = 0; row?.mergedIntoId && hops < 20; hops++) row = rowById(store, row.mergedIntoId);
  return row && !row.deletedAt ? row : undefined;
}

/** Throws 404 unless the id names a live patient of this clinic. */
export function requirePatient(store: Store, patientId: string): void {
  const row = rowById(store, patientId);
  if (!row || row.deletedAt) throw notFound('That patient record');
}

/**
 * This user's live emergency-access grant for a patient, if any. One grant opens the restricted record and
 * the patient's restricted psychotherapy notes (services/clinical): break-glass is per patient, audited.
 */
export function activeEmergencyGrant(store: Store, userId: string, patientId: string) {
  return store.orm
    .select()
    .from(emergencyAccessGrants)
    .where(
      and(
        eq(emergencyAccessGrants.userId, userId),
        eq(emergencyAccessGrants.patientId, patientId),
        gt(emergencyAccessGrants.expiresAt, store.nowIso()),
      ),
    )
    .get();
}

const restrictedError = () =>
  new AppError(
    403,
    'restricted_record',
    'This record is restricted. Opening it needs emergency access with a stated reason.',
  );

/**
 * The live patient a user may work on: 404 when there is none, 409 when the id was merged away (writes go to
 * the surviving record, which the screens open instead), and for a restricted record without a live
 * emergency-access grant, 403 audited as access.denied.
 */
export function patientForWrite(store: Store, actor: Actor & { userId: string }, id: string): PatientRow {
  const row = rowById(store, id);
  if (!row || (row.deletedAt && !row.mergedIntoId)) throw notFound('That patient record');
  if (row.mergedIntoId) {
    throw new AppError(
      409,
      'patient_merged',
      'This record was merged into another one. Open the patient again and make the change there.',
    );
  }
  if (row.restricted && !activeEmergencyGrant(store, actor.userId, id)) {
    store.audit(actor, {
      action: 'access.denied',
      outcome: 'denied',
      patientId: id,
      detail: { reason: 'restricted_record' },
    });
    throw restrictedError();
  }
  return row;
}

/** Rules that span fields or need the clinic's date: checked on the record as it would be saved. */
function checkDemographics(
  store: Store,
  r: { dateOfBirth: string; deceased?: boolean; deceasedDate?: string | null; ethnicity?: string },
) {
  const today = clinicToday(store);
  const dob = dateOfBirthProblem(r.dateOfBirth, today);
  if (dob) throw new AppError(400, 'invalid_input', dob, { dateOfBirth: dob });
  const deceased = deceasedProblem(
    { dateOfBirth: r.dateOfBirth, deceased: r.deceased ?? false, deceasedDate: r.deceasedDate ?? null },
    today,
  );
  if (deceased)
    throw new AppError(400, 'invalid_input', deceased.message, { [deceased.field]: deceased.message });
  const ethnicity = JSON.parse(r.ethnicity ?? '[]') as unknown;
  const problem = Array.isArray(ethnicity) ? ethnicityProblem(ethnicity as string[]) : null;
  if (problem) throw new AppError(400, 'invalid_input', problem, { ethnicity: problem });
}

function uniqueMrn(w: Writer, clinicId: string): string {
  let mrn = newMrn();
  while (
    w.orm
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.clinicId, clinicId), eq(patients.mrn, mrn)))
      .get()
  ) {
    mrn = newMrn();
  }
  return mrn;
}

/**
 * Register a patient. Unless the caller says the possible duplicates were reviewed, a registration that
 * looks like an existing patient (same name and date of birth, or a shared phone) is refused with 409
 * `possible_duplicate` and nothing is stored; the screen then shows the matches.
 */
export function createPatient(store: Store, actor: Actor, input: PatientCreate): Patient {
  const clinicId = store.requireClinicId();
  const now = store.nowIso();
  const id = uuidv7();
  const { confirmedNotDuplicate, ...fields } = input;
  const row: PatientInsert = {
    id,
    clinicId,
    mrn: '',
    restricted: false,
    ...demographicColumns(fields),
    legalFirstName: input.legalFirstName,
    legalLastName: input.legalLastName,
    dateOfBirth: input.dateOfBirth,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  checkDemographics(store, row);
  const duplicates = findDuplicates(store, {
    legalFirstName: input.legalFirstName,
    legalLastName: input.legalLastName,
    dateOfBirth: input.dateOfBirth,
    phones: [input.phoneMobile, input.phoneHome, input.phoneWork],
  });
  if (duplicates.length && !confirmedNotDuplicate) {
    throw new AppError(
      409,
      'possible_duplicate',
      'This patient may already be registered. Review the possible matches; register anyway only if this is a different person.',
    );
  }
  return store.write(actor, (w) => {
    row.mrn = uniqueMrn(w, clinicId);
    w.insert('patients', row);
    w.audit({
      action: 'patient.create',
      patientId: id,
      detail: duplicates.length ? { duplicateWarningOverridden: duplicates.map((d) => d.patient.id) } : {},
    });
    return toPatient(store, rowById(store, id)!);
  });
}

/**
 * The live record a user may read (a merged-away id follows to the surviving record). A restricted record
 * needs a live emergency-access grant for this user; without one the attempt is audited as denied and
 * refused. The read itself is audited by the caller, which knows what was read (a chart, a note).
 */
export function patientForRead(
  store: Store,
  actor: Actor & { userId: string },
  id: string,
): { row: PatientRow; grant: { id: string } | undefined; redirectedFrom: string | null } {
  const row = resolvePatient(store, id);
  if (!row) throw notFound('That patient record');
  const grant = row.restricted ? activeEmergencyGrant(store, actor.userId, row.id) : undefined;
  if (row.restricted && !grant) {
    store.audit(actor, {
      action: 'access.denied',
      outcome: 'denied',
      patientId: row.id,
      detail: { reason: 'restricted_record' },
    });
    throw restrictedError();
  }
  return { row, grant, redirectedFrom: row.id === id ? null : id };
}

/**
 * Read one patient, audited. A merged-away id opens the surviving record (with `redirectedFrom`). A
 * restricted record opens only with a live emergency-access grant for this user; without one the attempt
 * is audited as denied and the caller is told how to proceed.
 */
export function readPatient(store: Store, actor: Actor & { userId: string }, id: string): Patient {
  const { row, grant, redirectedFrom } = patientForRead(store, actor, id);
  store.audit(actor, {
    action: 'patient.read',
    patientId: row.id,
    detail: {
      ...(grant && { emergencyGrantId: grant.id }),
      ...(redirectedFrom && { requestedId: redirectedFrom }),
    },
  });
  return toPatient(store, row, redirectedFrom);
}

/** Change demographics. Each changed column is a plain row update, so replication merges field by field. */
export function updatePatient(
  store: Store,
  actor: Actor & { userId: string },
  id: string,
  input: PatientUpdate,
): Patient {
  const row = patientForWrite(store, actor, id);
  const cols = demographicColumns(input);
  const next = { ...row, ...cols } as PatientRow;
  checkDemographics(store, next);
  const changed = (Object.keys(cols) as (keyof PatientRow)[]).filter((k) => next[k] !== row[k]);
  if (!changed.length) return toPatient(store, row);
  return store.write(actor, (w) => {
    const patch = Object.fromEntries(changed.map((k) => [k, next[k]])) as Partial<PatientInsert>;
    w.update('patients', id, { ...patch, updatedAt: store.nowIso() });
    // Field names only: the values are in the record, not the audit trail.
    w.audit({ action: 'patient.update', patientId: id, detail: { fields: changed } });
    return toPatient(store, rowById(store, id)!);
  });
}

/** Break-glass: record the reason and grant this user time-limited access to the record. */
export function grantEmergencyAccess(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  reason: string,
): { patientId: string; expiresAt: string } {
  // A merged-away id stands for the record it was merged into: that is the one the user is opening.
  const target = resolvePatient(store, patientId);
  if (!target) throw notFound('That patient record');
  patientId = target.id;
  const now = store.now();
  const expiresAt = new Date(now.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000).toISOString();
  const id = uuidv7();
  store.write(actor, (w) => {
    w.insert('emergency_access_grants', {
      id,
      clinicId: store.requireClinicId(),
      userId: actor.userId,
      patientId,
      reason,
      grantedAt: now.toISOString(),
      expiresAt,
    });
    w.audit({ action: 'emergency.access', patientId, detail: { reason, grantId: id, expiresAt } });
  });
  return { patientId, expiresAt };
}
