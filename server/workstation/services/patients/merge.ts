import { and, eq, getTableColumns, isNull } from 'drizzle-orm';
import type { PatientMergeResult } from '../../../contracts/patients';
import { compactName } from '../../../domain/patients/names';
import {
  patientCoverages,
  patientEmergencyContacts,
  patientGuarantors,
  patientReferenceColumns,
  replicatedTables,
} from '../../db/schema';
import type { Actor, Store, Writer } from '../../db/store';
import { AppError } from '../../../platform/errors';
import { patientForWrite } from './patient-core';
import type { PatientInsert, PatientRow } from './patient-rows';

/**
 * Admin merge of two records of one person. In one transaction: every row that points at the merged-away
 * record (every column listed in `patientReferenceColumns`) moves to the surviving record; demographics
 * the surviving record lacks are taken from the other; exact duplicates that the move creates (the same
 * coverage, contact or a second guarantor) are tombstoned; the merged-away record becomes a tombstone that
 * names the survivor, so its id keeps resolving; both records get a `patient.merge` audit entry.
 */

/** Fields copied from the merged-away record when the survivor has none; groups move together. */
const FILL_GROUPS: (keyof PatientRow)[][] = [
  ['legalMiddleName'],
  ['nameSuffix'],
  ['firstNameToUse'],
  ['lastNameToUse'],
  ['sex'],
  ['clinicalSexParameter', 'clinicalSexParameterComment'],
  ['genderIdentity', 'genderIdentityOther'],
  ['sexualOrientation', 'sexualOrientationOther'],
  ['pronouns', 'pronounsOther'],
  ['race'],
  ['ethnicity'],
  ['preferredLanguage'],
  ['addressLine1', 'addressLine2', 'city', 'state', 'postalCode', 'country'],
  ['phoneMobile'],
  ['phoneHome'],
  ['phoneWork'],
  ['preferredPhone'],
  ['email'],
  ['contactMethod'],
  ['alertNote'],
];
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === '[]';

function filledFrom(survivor: PatientRow, merged: PatientRow): Partial<PatientInsert> {
  const out: Record<string, unknown> = {};
  for (const group of FILL_GROUPS) {
    if (isEmpty(survivor[group[0]!]) && !isEmpty(merged[group[0]!])) {
      for (const k of group) out[k] = merged[k];
    }
  }
  return out as Partial<PatientInsert>;
}

/** Move every referencing row; returns the count per table. */
function moveReferences(w: Writer, fromId: string, toId: string, at: string): Record<string, number> {
  const moved: Record<string, number> = {};
  for (const ref of patientReferenceColumns) {
    const table = replicatedTables[ref.table];
    const columns = getTableColumns(table) as Record<string, unknown>;
    for (const column of ref.columns) {
      const col = columns[column] as Parameters<typeof eq>[0];
      const idCol = columns.id as Parameters<typeof eq>[0];
      const ids = (
        w.orm
          .select({ id: idCol as never })
          .from(table)
          .where(eq(col, fromId))
          .all() as { id: string }[]
      ).map((r) => r.id);
      for (const id of ids) {
        w.update(ref.table, id, {
          [column]: toId,
          ...('updatedAt' in columns && { updatedAt: at }),
        } as never);
      }
      if (ids.length) moved[ref.table] = (moved[ref.table] ?? 0) + ids.length;
    }
  }
  return moved;
}

/** Tombstone rows that became exact duplicates of the survivor's own once moved. */
function dropDuplicates(w: Writer, survivorId: string, movedFrom: Set<string>, at: string): number {
  let dropped = 0;
  const tombstone = (
    table: 'patient_coverages' | 'patient_emergency_contacts' | 'patient_guarantors',
    id: string,
  ) => {
    w.update(table, id, { deletedAt: at, updatedAt: at });
    dropped++;
  };
  const coverages = w.orm
    .select()
    .from(patientCoverages)
    .where(and(eq(patientCoverages.patientId, survivorId), isNull(patientCoverages.deletedAt)))
    .all();
  const keepCoverage = new Set(
    coverages
      .filter((c) => !movedFrom.has(c.id))
      .map((c) => `${c.priority}|${c.payerName.toLowerCase()}|${c.memberId}`),
  );
  for (const c of coverages.filter((c) => movedFrom.has(c.id))) {
    if (keepCoverage.has(`${c.priority}|${c.payerName.toLowerCase()}|${c.memberId}`))
      tombstone('patient_coverages', c.id);
  }
  const contacts = w.orm
    .select()
    .from(patientEmergencyContacts)
    .where(
      and(eq(patientEmergencyContacts.patientId, survivorId), isNull(patientEmergencyContacts.deletedAt)),
    )
    .all();
  const keepContact = new Set(
    contacts.filter((c) => !movedFrom.has(c.id)).map((c) => `${compactName(c.name)}|${c.phone}`),
  );
  for (const c of contacts.filter((c) => movedFrom.has(c.id))) {
    if (keepContact.has(`${compactName(c.name)}|${c.phone}`)) tombstone('patient_emergency_contacts', c.id);
  }
  const guarantors = w.orm
    .select()
    .from(patientGuarantors)
    .where(and(eq(patientGuarantors.patientId, survivorId), isNull(patientGuarantors.deletedAt)))
    .all();
  if (guarantors.some((g) => !movedFrom.has(g.id))) {
    for (const g of guarantors.filter((g) => movedFrom.has(g.id))) tombstone('patient_guarantors', g.id);
  }
  return dropped;
}

export function mergePatients(
  store: Store,
  actor: Actor & { userId: string },
  input: { survivorId: string; mergedId: string; reason: string },
): PatientMergeResult {
  const survivor = patientForWrite(store, actor, input.survivorId);
  const merged = patientForWrite(store, actor, input.mergedId);
  if (survivor.id === merged.id) {
    throw new AppError(400, 'invalid_input', 'Choose two different records.', {
      mergedId: 'Choose two different records.',
    });
  }
  return store.write(actor, (w) => {
    const at = store.nowIso();
    const movedIds = new Set<string>();
    for (const t of [patientCoverages, patientEmergencyContacts, patientGuarantors]) {
      for (const r of w.orm.select({ id: t.id }).from(t).where(eq(t.patientId, merged.id)).all())
        movedIds.add(r.id);
    }
    const moved = moveReferences(w, merged.id, survivor.id, at);
    const duplicatesRemoved = dropDuplicates(w, survivor.id, movedIds, at);
    const fill = filledFrom(survivor, merged);
    const filledFields = Object.keys(fill);
    w.update('patients', survivor.id, {
      ...fill,
      // Either record being restricted keeps the person's record restricted.
      restricted: survivor.restricted || merged.restricted,
      updatedAt: at,
    });
    w.update('patients', merged.id, {
      mergedIntoId: survivor.id,
      mergedAt: at,
      deletedAt: at,
      updatedAt: at,
    });
    const detail = { survivorId: survivor.id, mergedId: merged.id, reason: input.reason };
    w.audit({
      action: 'patient.merge',
      patientId: survivor.id,
      detail: { ...detail, moved, filledFields, duplicatesRemoved },
    });
    w.audit({ action: 'patient.merge', patientId: merged.id, detail });
    return { survivorId: survivor.id, mergedId: merged.id, moved, filledFields };
  });
}
