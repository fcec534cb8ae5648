import type { AccountGuarantor, GuarantorAccount } from '../../../contracts/billing/guarantor';
import { notFound } from '../../../platform/errors';
import type { Actor, Store } from '../../db/store';
import { resolvePatient } from '../patients/patient-core';
import { liveGuarantor, toGuarantor } from '../patients/patient-rows';
import { guarantorBillTo, patientRowForDocs } from './document-data';

/**
 * Guarantor accounts (docs/billing.md): the ledger stays one per patient, and the guarantor on file (the
 * patient registry's `patient_guarantors`, edited on the patient record or from the account screen) is
 * whom statements are addressed to. A guarantor is a row per patient, so a parent responsible for three
 * children is three rows; they are recognised as one person by first and last name (case and spacing
 * aside) and date of birth — all three required, so two different "John Smith"s never share a family
 * account — and a patient with the same name and date of birth is taken to be the guarantor themself.
 *
 * Balances come from the aging summary (`ledger_balance_summary`, kept by triggers on every ledger row),
 * one keyed read per account. Reading the family account is audited as `ledger.read` of each patient whose
 * balance it shows. Only what an account banner shows of a patient is returned (name, MRN), restricted
 * records included: no contact details, nothing clinical.
 */

const norm = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

interface Member {
  patient_id: string;
  relationship: string;
  legal_first_name: string;
  legal_last_name: string;
  mrn: string;
}

export function accountGuarantor(
  store: Store,
  actor: Actor,
  patientId: string,
  background = false,
): AccountGuarantor {
  const patient = resolvePatient(store, patientId);
  if (!patient) throw notFound('That patient record');
  const clinicId = store.requireClinicId();
  const row = liveGuarantor(store, patient.id);
  const guarantor = row ? toGuarantor(row) : null;
  const docs = patientRowForDocs(store, patient.id);
  const billTo = docs ? guarantorBillTo(store, docs) : null;

  let members: Member[] = [];
  const first = norm(guarantor?.firstName);
  const last = norm(guarantor?.lastName);
  const dob = guarantor?.dateOfBirth ?? null;
  if (guarantor && guarantor.relationship !== 'self' && first && last && dob) {
    // Candidates by date of birth (indexed for patients; guarantors are few per clinic), names compared
    // here after normalising, so "Ana  Lopez" and "ana lopez" are one person.
    const dependents = store.db
      .prepare(
        `SELECT g.patient_id, g.relationship, g.first_name, g.last_name, g.updated_at,
                p.legal_first_name, p.legal_last_name, p.mrn
           FROM patient_guarantors g JOIN patients p ON p.id = g.patient_id
          WHERE g.clinic_id = ? AND g.deleted_at IS NULL AND g.date_of_birth = ?
            AND p.deleted_at IS NULL AND p.merged_into_id IS NULL
          ORDER BY g.updated_at DESC`,
      )
      .all(clinicId, dob) as (Member & { first_name: string | null; last_name: string | null })[];
    const seen = new Set<string>();
    for (const d of dependents) {
      // Only the guarantor in force of each patient counts (the newest live row).
      if (seen.has(d.patient_id)) continue;
      seen.add(d.patient_id);
      if (norm(d.first_name) === first && norm(d.last_name) === last && d.relationship !== 'self')
        members.push(d);
    }
    const self = store.db
      .prepare(
        `SELECT id AS patient_id, 'self' AS relationship, legal_first_name, legal_last_name, mrn
           FROM patients
          WHERE clinic_id = ? AND date_of_birth = ? AND deleted_at IS NULL AND merged_into_id IS NULL`,
      )
      .all(clinicId, dob) as Member[];
    members.push(
      ...self.filter((p) => norm(p.legal_first_name) === first && norm(p.legal_last_name) === last),
    );
    // This account first, then the guarantor's own, then the others by name.
    members.sort(
      (a, b) =>
        Number(b.patient_id === patient.id) - Number(a.patient_id === patient.id) ||
        Number(b.relationship === 'self') - Number(a.relationship === 'self') ||
        `${a.legal_last_name} ${a.legal_first_name}`.localeCompare(
          `${b.legal_last_name} ${b.legal_first_name}`,
        ),
    );
  }
  if (members.length && !members.some((m) => m.patient_id === patient.id)) members = [];

  const balance = store.db.prepare(
    `SELECT responsibility, balance_cents FROM ledger_balance_summary WHERE clinic_id = ? AND patient_id = ?`,
  );
  const accounts: GuarantorAccount[] = members.map((m) => {
    const rows = balance.all(clinicId, m.patient_id) as { responsibility: string; balance_cents: number }[];
    const of = (r: string) => rows.find((x) => x.responsibility === r)?.balance_cents ?? 0;
    return {
      patientId: m.patient_id,
      name: `${m.legal_last_name}, ${m.legal_first_name}`,
      mrn: m.mrn,
      relationship: m.relationship,
      patientCents: of('patient'),
      insuranceCents: of('insurance'),
    };
  });
  if (!background)
    for (const a of accounts.length ? accounts : [{ patientId: patient.id }])
      store.audit(actor, {
        action: 'ledger.read',
        patientId: a.patientId,
        detail: { view: 'guarantor_account', of: patient.id },
      });
  return {
    patientId: patient.id,
    guarantor,
    billTo,
    accounts,
    totalPatientCents: accounts.reduce((t, a) => t + a.patientCents, 0),
  };
}
