import { and, eq, inArray } from 'drizzle-orm';
import type { DuplicateMatches } from '../../../contracts/patients';
import { duplicateReasons, type NewRegistration } from '../../../domain/patients/duplicates';
import { patients } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { phonesOf, toPatientSummary, type PatientRow } from './patient-rows';
import { liveRow } from '../../db/live-row';

/** Live patients who may be the person being registered (see domain/patients/duplicates.ts for the rules). */
export function findDuplicates(store: Store, reg: NewRegistration): DuplicateMatches['matches'] {
  const clinicId = store.requireClinicId();
  const live = liveRow(patients, clinicId);
  const candidates = new Map<string, PatientRow>();
  for (const r of store.orm
    .select()
    .from(patients)
    .where(and(live, eq(patients.dateOfBirth, reg.dateOfBirth)))
    .all()) {
    candidates.set(r.id, r);
  }
  const phones = [...new Set(reg.phones.filter((p): p is string => !!p))].map((p) => p.replace(/^\+/, ''));
  if (phones.length) {
    const ids = (
      store.db
        .prepare(
          `SELECT DISTINCT patient_id AS id FROM patient_phone_search WHERE digits IN (${phones.map(() => '?').join(',')})`,
        )
        .all(...phones) as { id: string }[]
    ).map((r) => r.id);
    if (ids.length) {
      for (const r of store.orm
        .select()
        .from(patients)
        .where(and(live, inArray(patients.id, ids)))
        .all()) {
        candidates.set(r.id, r);
      }
    }
  }
  const matches: DuplicateMatches['matches'] = [];
  for (const r of candidates.values()) {
    const reasons = duplicateReasons(reg, { ...r, phones: phonesOf(r) });
    if (reasons.length) matches.push({ patient: toPatientSummary(r), reasons });
  }
  // Name-and-birthday matches first: they are the likelier duplicates.
  return matches.sort(
    (a, b) => b.reasons.length - a.reasons.length || a.reasons[0]!.localeCompare(b.reasons[0]!),
  );
}

/** The duplicate check the registration screen runs before saving; audited like a search (a count only). */
export function checkDuplicates(store: Store, actor: Actor, reg: NewRegistration): DuplicateMatches {
  const matches = findDuplicates(store, reg);
  store.audit(actor, {
    action: 'patient.search',
    detail: { kind: 'duplicate_check', count: matches.length },
  });
  return { matches };
}
