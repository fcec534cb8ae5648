import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type {
  Coverage,
  CoverageStatus,
  coverageInputSchema,
  coverageUpdateSchema,
} from '../../../contracts/patients';
import { rangesOverlap } from '../../../domain/patients/coverage';
import type { z } from 'zod';
import { patientCoverages } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { AppError, notFound } from '../../../platform/errors';
import { patientForWrite, resolvePatient } from './patient-core';
import {
  buildCoverageStatus,
  clinicToday,
  liveContacts,
  liveCoverages,
  liveGuarantor,
  toCoverage,
  type CoverageRow,
} from './patient-rows';

type CoverageInput = z.output<typeof coverageInputSchema>;
type CoverageUpdate = z.output<typeof coverageUpdateSchema>;

/**
 * What check-in needs to know about a patient's insurance and registration on `onDate` (YYYY-MM-DD, the
 * clinic's date): coverages in effect (primary first), the copay due, and what is missing, expired or not
 * yet started. A merged-away id answers for the surviving record. Does not audit: the caller's own
 * read (the check-in screen) is the audited access.
 */
export function coverageStatus(store: Store, patientId: string, onDate: string): CoverageStatus {
  const row = resolvePatient(store, patientId);
  if (!row) throw notFound('That patient record');
  const coverages = liveCoverages(store, row.id);
  return buildCoverageStatus(
    row,
    coverages,
    liveContacts(store, row.id).length,
    !!liveGuarantor(store, row.id),
    onDate,
  );
}

/** Two live coverages of one priority may not be in effect on the same day. */
function checkPriority(
  store: Store,
  patientId: string,
  c: Pick<CoverageRow, 'id' | 'priority' | 'effectiveFrom' | 'effectiveTo'>,
) {
  const clash = liveCoverages(store, patientId).find(
    (o) => o.id !== c.id && o.priority === c.priority && rangesOverlap(o, c),
  );
  if (clash) {
    const message = `There is already a ${c.priority} coverage for these dates. End it first (set its end date) or choose another priority.`;
    throw new AppError(409, 'coverage_priority_taken', message, { priority: message });
  }
}

function coverageRow(store: Store, patientId: string, id: string): CoverageRow {
  const row = store.orm
    .select()
    .from(patientCoverages)
    .where(and(eq(patientCoverages.id, id), eq(patientCoverages.patientId, patientId)))
    .get();
  if (!row || row.deletedAt) throw notFound('That coverage');
  return row;
}

const nullable = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function createCoverage(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  input: CoverageInput,
): Coverage {
  patientForWrite(store, actor, patientId);
  const now = store.nowIso();
  const row: CoverageRow = {
    id: uuidv7(),
    clinicId: store.requireClinicId(),
    patientId,
    priority: input.priority,
    payerName: input.payerName,
    payerId: nullable(input.payerId),
    planName: nullable(input.planName),
    memberId: input.memberId,
    groupNumber: nullable(input.groupNumber),
    subscriberRelationship: input.subscriberRelationship,
    // The patient is their own subscriber: no separate subscriber details to keep.
    subscriberFirstName: input.subscriberRelationship === 'self' ? null : nullable(input.subscriberFirstName),
    subscriberLastName: input.subscriberRelationship === 'self' ? null : nullable(input.subscriberLastName),
    subscriberDateOfBirth:
      input.subscriberRelationship === 'self' ? null : nullable(input.subscriberDateOfBirth),
    effectiveFrom: nullable(input.effectiveFrom),
    effectiveTo: nullable(input.effectiveTo),
    copayCents: nullable(input.copayCents),
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  checkPriority(store, patientId, row);
  store.write(actor, (w) => {
    w.insert('patient_coverages', row);
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { coverageId: row.id, change: 'coverage_added' },
    });
  });
  return toCoverage(row, clinicToday(store));
}

export function updateCoverage(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  id: string,
  input: CoverageUpdate,
): Coverage {
  patientForWrite(store, actor, patientId);
  const row = coverageRow(store, patientId, id);
  const next: CoverageRow = { ...row, ...(input as Partial<CoverageRow>) };
  if (next.subscriberRelationship === 'self') {
    next.subscriberFirstName = null;
    next.subscriberLastName = null;
    next.subscriberDateOfBirth = null;
  } else if (!next.subscriberFirstName || !next.subscriberLastName || !next.subscriberDateOfBirth) {
    const message = 'Enter the subscriber’s name and date of birth.';
    throw new AppError(400, 'invalid_input', message, { subscriberFirstName: message });
  }
  if (next.effectiveFrom && next.effectiveTo && next.effectiveTo < next.effectiveFrom) {
    const message = 'The end date is before the start date.';
    throw new AppError(400, 'invalid_input', message, { effectiveTo: message });
  }
  checkPriority(store, patientId, next);
  const changed = (Object.keys(next) as (keyof CoverageRow)[]).filter((k) => next[k] !== row[k]);
  if (!changed.length) return toCoverage(row, clinicToday(store));
  const updatedAt = store.nowIso();
  store.write(actor, (w) => {
    w.update('patient_coverages', id, { ...Object.fromEntries(changed.map((k) => [k, next[k]])), updatedAt });
    w.audit({
      action: 'patient.update',
      patientId,
      detail: { coverageId: id, change: 'coverage_changed', fields: changed },
    });
  });
  return toCoverage({ ...next, updatedAt }, clinicToday(store));
}

/** For a coverage entered in error; a coverage that ended gets an end date instead, so its history stays. */
export function deleteCoverage(
  store: Store,
  actor: Actor & { userId: string },
  patientId: string,
  id: string,
): { ok: true } {
  patientForWrite(store, actor, patientId);
  coverageRow(store, patientId, id);
  const at = store.nowIso();
  store.write(actor, (w) => {
    w.update('patient_coverages', id, { deletedAt: at, updatedAt: at });
    w.audit({ action: 'patient.update', patientId, detail: { coverageId: id, change: 'coverage_removed' } });
  });
  return { ok: true };
}
