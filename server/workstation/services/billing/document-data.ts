import { DateTime } from 'luxon';
import type { LedgerItem, PatientOnDocument } from '../../../domain/billing/documents';
import type { Store } from '../../db/store';
import { accountRows } from './ledger';

/**
 * Reads for billing documents: a patient's ledger as LedgerItems (charges described by their charge line's
 * code and description), the patient as printed, a visit's lines, diagnoses and provider. Plain SQL over the
 * ledger (0007) and charge-line (0008) tables; nothing here writes.
 */

export interface PatientRowForDocs {
  id: string;
  mrn: string;
  legal_first_name: string;
  legal_last_name: string;
  date_of_birth: string;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  phone_mobile: string | null;
  phone_home: string | null;
  email: string | null;
  restricted: number;
}

export function patientOnDocument(p: PatientRowForDocs): PatientOnDocument {
  const cityLine = [p.city, [p.state, p.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return {
    name: `${p.legal_last_name}, ${p.legal_first_name}`,
    mrn: p.mrn,
    dateOfBirth: p.date_of_birth,
    addressLines: [p.address_line1, p.address_line2, cityLine].filter((l): l is string => !!l && !!l.trim()),
  };
}

export const PATIENT_DOC_COLUMNS =
  'id, mrn, legal_first_name, legal_last_name, date_of_birth, address_line1, address_line2, city, state, postal_code, phone_mobile, phone_home, email, restricted';

export function patientRowForDocs(store: Store, patientId: string): PatientRowForDocs | undefined {
  return store.db
    .prepare(`SELECT ${PATIENT_DOC_COLUMNS} FROM patients WHERE clinic_id = ? AND id = ?`)
    .get(store.requireClinicId(), patientId) as PatientRowForDocs | undefined;
}

/** The calendar day of an instant in the clinic's zone (memoised per day prefix and hour: cheap in batches). */
export function localDateIn(zone: string): (iso: string) => string {
  const cache = new Map<string, string>();
  return (iso: string) => {
    const k = iso.slice(0, 13);
    let d = cache.get(k);
    if (d === undefined) {
      d = DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);
      cache.set(k, d);
    }
    return d;
  };
}

export function describeCharges(store: Store, patientId: string): Map<string, string> {
  const rows = store.db
    .prepare('SELECT id, code, description FROM charge_lines WHERE clinic_id = ? AND patient_id = ?')
    .all(store.requireClinicId(), patientId) as { id: string; code: string; description: string }[];
  return new Map(rows.map((r) => [r.id, `${r.code} ${r.description}`]));
}

export interface RawEntry {
  id: string;
  kind: LedgerItem['kind'];
  responsibility: LedgerItem['responsibility'];
  amountCents: number;
  transferFrom: LedgerItem['transferFrom'];
  reversesEntryId: string | null;
  appliesToEntryId: string | null;
  chargeLineId: string | null;
  encounterId: string | null;
  serviceDate: string | null;
  postedAt: string;
  postedBy: string;
  method: LedgerItem['method'];
  checkNumber: string | null;
  memo: string;
}

export function toLedgerItem(r: RawEntry, descriptions: ReadonlyMap<string, string>): LedgerItem {
  return {
    id: r.id,
    kind: r.kind,
    responsibility: r.responsibility,
    amountCents: r.amountCents,
    transferFrom: r.transferFrom,
    reversesEntryId: r.reversesEntryId,
    appliesToEntryId: r.appliesToEntryId,
    serviceDate: r.serviceDate,
    postedAt: r.postedAt,
    method: r.method,
    checkNumber: r.checkNumber,
    memo: r.memo || null,
    description:
      r.kind === 'charge' ? (r.chargeLineId && descriptions.get(r.chargeLineId)) || r.memo || 'Charge' : null,
  };
}

/** A patient's whole account as documents read it. */
export function patientAccount(store: Store, patientId: string) {
  const { entries, allocations } = accountRows(store, patientId);
  const descriptions = describeCharges(store, patientId);
  const items = entries.map((e) => toLedgerItem(e as RawEntry, descriptions));
  return { entries, allocations, items, byId: new Map(items.map((i) => [i.id, i])) };
}

export interface EncounterForDocs {
  id: string;
  patient_id: string;
  provider_user_id: string;
  location_id: string | null;
  location_name: string;
  date_of_service: string;
  diagnoses: string;
}

export function encounterForDocs(store: Store, encounterId: string): EncounterForDocs | undefined {
  return store.db
    .prepare(
      'SELECT id, patient_id, provider_user_id, location_id, location_name, date_of_service, diagnoses FROM encounters WHERE clinic_id = ? AND id = ? AND deleted_at IS NULL',
    )
    .get(store.requireClinicId(), encounterId) as EncounterForDocs | undefined;
}

export function diagnosesOf(e: EncounterForDocs): { code: string; description: string }[] {
  try {
    const parsed = JSON.parse(e.diagnoses) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (d): d is { code: string; description: string } =>
          !!d && typeof d === 'object' && typeof (d as { code?: unknown }).code === 'string',
      )
      .map((d) => ({ code: d.code, description: String(d.description ?? '') }));
  } catch {
    return [];
  }
}

export interface ChargeLineForDocs {
  id: string;
  code: string;
  description: string;
  units: number;
  modifiers: string;
  diagnosis_pointers: string;
  rendering_provider_user_id: string;
  date_of_service: string;
  place_of_service: string;
  amount_cents: number;
  status: string;
  ledger_entry_id: string | null;
}

/** The visit's lines that count: posted ones (a reversed line was corrected by a new one; drafts are not billed yet). */
export function chargeLinesOf(store: Store, encounterId: string, includeDrafts = false): ChargeLineForDocs[] {
  return store.db
    .prepare(
      `SELECT id, code, description, units, modifiers, diagnosis_pointers, rendering_provider_user_id, date_of_service,
              place_of_service, amount_cents, status, ledger_entry_id
         FROM charge_lines
        WHERE clinic_id = ? AND encounter_id = ? AND deleted_at IS NULL
          AND status ${includeDrafts ? "IN ('posted', 'draft')" : "= 'posted'"}
        ORDER BY position, id`,
    )
    .all(store.requireClinicId(), encounterId) as ChargeLineForDocs[];
}

export const jsonList = <T>(text: string, fallback: T[]): T[] => {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : fallback;
  } catch {
    return fallback;
  }
};

export function providerForDocs(
  store: Store,
  userId: string,
): { name: string; credentials: string; npi: string } {
  const row = store.db
    .prepare(
      `SELECT u.full_name AS name, p.credentials AS credentials, p.npi AS npi
         FROM users u LEFT JOIN provider_profiles p ON p.user_id = u.id AND p.clinic_id = u.clinic_id AND p.deleted_at IS NULL
        WHERE u.clinic_id = ? AND u.id = ?`,
    )
    .get(store.requireClinicId(), userId) as
    { name: string; credentials: string | null; npi: string | null } | undefined;
  return { name: row?.name ?? 'Unknown provider', credentials: row?.credentials ?? '', npi: row?.npi ?? '' };
}

export function primaryCoverage(
  store: Store,
  patientId: string,
  onDate: string,
): { payerName: string; memberId: string; groupNumber: string; subscriber: string } | null {
  const row = store.db
    .prepare(
      `SELECT payer_name, member_id, group_number, subscriber_relationship, subscriber_first_name, subscriber_last_name
         FROM patient_coverages
        WHERE clinic_id = ? AND patient_id = ? AND deleted_at IS NULL AND priority = 'primary'
          AND (effective_from IS NULL OR effective_from <= ?) AND (effective_to IS NULL OR effective_to >= ?)
        ORDER BY created_at DESC LIMIT 1`,
    )
    .get(store.requireClinicId(), patientId, onDate, onDate) as
    | {
        payer_name: string;
        member_id: string;
        group_number: string | null;
        subscriber_relationship: string;
        subscriber_first_name: string | null;
        subscriber_last_name: string | null;
      }
    | undefined;
  if (!row) return null;
  const subscriberName = [row.subscriber_first_name, row.subscriber_last_name].filter(Boolean).join(' ');
  return {
    payerName: row.payer_name,
    memberId: row.member_id,
    groupNumber: row.group_number ?? '',
    subscriber:
      row.subscriber_relationship === 'self' ? 'Self' : subscriberName || row.subscriber_relationship,
  };
}

/**
 * Whom a statement is addressed to: the guarantor on file when it is someone other than the patient (the
 * newest live one), with the patient's address when the guarantor shares it; null for the patient.
 */
export function guarantorBillTo(
  store: Store,
  patient: PatientRowForDocs,
): { name: string; addressLines: string[] } | null {
  const g = store.db
    .prepare(
      `SELECT relationship, first_name, last_name, same_address_as_patient, address_line1, address_line2, city, state, postal_code
         FROM patient_guarantors WHERE clinic_id = ? AND patient_id = ? AND deleted_at IS NULL AND relationship <> 'self'
        ORDER BY updated_at DESC LIMIT 1`,
    )
    .get(store.requireClinicId(), patient.id) as
    | {
        first_name: string | null;
        last_name: string | null;
        same_address_as_patient: number;
        address_line1: string | null;
        address_line2: string | null;
        city: string | null;
        state: string | null;
        postal_code: string | null;
      }
    | undefined;
  if (!g) return null;
  const name = [g.last_name, g.first_name].filter(Boolean).join(', ');
  if (!name) return null;
  const addressLines = g.same_address_as_patient
    ? patientOnDocument(patient).addressLines
    : patientOnDocument({
        ...patient,
        address_line1: g.address_line1,
        address_line2: g.address_line2,
        city: g.city,
        state: g.state,
        postal_code: g.postal_code,
      }).addressLines;
  return { name, addressLines };
}
