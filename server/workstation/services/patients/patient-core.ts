import crypto from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Patient, PatientCreate } from '../../../contracts/patients';
import { emergencyAccessGrants, patients } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, notFound } from '../../errors';

type PatientRow = typeof patients.$inferSelect;

/** How long a break-glass grant lasts before the reason must be given again. */
const EMERGENCY_ACCESS_MINUTES = 60;

/**
 * MRN: 8 random digits + a Luhn check digit. Random rather than sequential so that two offline
 * workstations do not hand out the same number; the check digit catches most typing slips.
 */
export function newMrn(): string {
  const digits = Array.from(crypto.randomBytes(8), (b) => b % 10).join('');
  return digits + luhnCheckDigit(digits);
}

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const toPatient = (r: PatientRow): Patient => ({
  id: r.id,
  mrn: r.mrn,
  legalFirstName: r.legalFirstName,
  legalLastName: r.legalLastName,
  dateOfBirth: r.dateOfBirth,
  restricted: r.restricted,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function createPatient(store: Store, actor: Actor, input: PatientCreate): Patient {
  const clinicId = store.requireClinicId();
  const now = store.nowIso();
  const id = uuidv7();
  return store.write(actor, (w) => {
    let mrn = newMrn();
    while (w.orm.select().from(patients).where(and(eq(patients.clinicId, clinicId), eq(patients.mrn, mrn))).get()) {
      mrn = newMrn();
    }
    const row = { id, clinicId, mrn, ...input, createdAt: now, updatedAt: now, deletedAt: null };
    w.insert('patients', row);
    w.audit({ action: 'patient.create', patientId: id });
    return toPatient(row);
  });
}

/**
 * Read one patient, audited. A restricted record opens only with a live emergency-access grant for this
 * user; without one the attempt is audited as denied and the caller is told how to proceed.
 */
export function readPatient(store: Store, actor: Actor & { userId: string }, id: string): Patient {
  const row = store.orm
    .select()
    .from(patients)
    .where(and(eq(patients.id, id), eq(patients.clinicId, store.requireClinicId()), isNull(patients.deletedAt)))
    .get();
  if (!row) throw notFound('That patient record');
  const grant = row.restricted ? activeGrant(store, actor.userId, id) : undefined;
  if (row.restricted && !grant) {
    store.audit(actor, { action: 'access.denied', outcome: 'denied', patientId: id, detail: { reason: 'restricted_record' } });
    throw new AppError(
      403,
      'restricted_record',
      'This record is restricted. Opening it needs emergency access with a stated reason.',
    );
  }
  store.audit(actor, { action: 'patient.read', patientId: id, detail: grant ? { emergencyGrantId: grant.id } : {} });
  return toPatient(row);
}

function activeGrant(store: Store, userId: string, patientId: string) {
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

/** Throws 404 unless the id names a live patient of this clinic. */
export function requirePatient(store: Store, patientId: string): void {
  const exists = store.orm
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.id, patientId), eq(patients.clinicId, store.requireClinicId()), isNull(patients.deletedAt)))
    .get();
  if (!exists) throw notFound('That patient record');
}

/** Break-glass: record the reason and grant this user time-limited access to the record. */
export function grantEmergencyAccess(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  reason: string,
): { patientId: string; expiresAt: string } {
  requirePatient(store, patientId);
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
