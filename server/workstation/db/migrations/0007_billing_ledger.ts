import { ledgerEntryKinds, paymentMethods, responsibilities } from '../../../contracts/billing/ledger';
import { oneOf } from './sql';

/**
 * The patient ledger (docs/billing.md): append-only entries and allocations of payments to charges.
 *
 * Nothing here is ever updated or deleted; a correction is a new `reversal` entry (an un-allocation is a
 * new allocation row naming the one it undoes). The database enforces it: triggers refuse DELETE, and
 * refuse any UPDATE that changes a column other than `patient_id` (merging a duplicate patient re-files
 * the account, as it does a signed note). An UPDATE that rewrites a row with its own values (sync applying
 * a row it already has) changes nothing and passes.
 *
 * `amount_cents` is always > 0; the sign follows from `kind` (server/domain/billing/balances.ts).
 * `external_ref` (a Stripe PaymentIntent or Refund id) is unique when set, so posting from a webhook twice
 * stores one entry. Each entry is reversed at most once, each allocation undone at most once.
 */
export const sql = /* sql */ `
CREATE TABLE ledger_entries (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(ledgerEntryKinds)})),
  responsibility TEXT NOT NULL CHECK (responsibility IN (${oneOf(responsibilities)})),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  transfer_from TEXT CHECK (transfer_from IN (${oneOf(responsibilities)})),
  reverses_entry_id TEXT,
  applies_to_entry_id TEXT,
  encounter_id TEXT,
  appointment_id TEXT,
  charge_line_id TEXT,
  service_date TEXT,
  provider_user_id TEXT,
  location_id TEXT,
  method TEXT CHECK (method IN (${oneOf(paymentMethods)})),
  check_number TEXT,
  external_ref TEXT,
  memo TEXT NOT NULL DEFAULT '',
  posted_at TEXT NOT NULL,
  posted_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((kind = 'transfer') = (transfer_from IS NOT NULL)),
  CHECK (transfer_from IS NULL OR transfer_from <> responsibility),
  CHECK ((kind = 'reversal') = (reverses_entry_id IS NOT NULL)),
  CHECK (method IS NULL OR kind IN ('payment', 'refund')),
  CHECK (check_number IS NULL OR method = 'check')
) STRICT;
CREATE INDEX ledger_entries_patient ON ledger_entries (patient_id, posted_at, created_at, id);
CREATE INDEX ledger_entries_clinic_posted ON ledger_entries (clinic_id, posted_at);
CREATE INDEX ledger_entries_encounter ON ledger_entries (encounter_id) WHERE encounter_id IS NOT NULL;
CREATE INDEX ledger_entries_appointment ON ledger_entries (appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX ledger_entries_charge_line ON ledger_entries (charge_line_id) WHERE charge_line_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_entries_external_ref ON ledger_entries (external_ref) WHERE external_ref IS NOT NULL;
CREATE UNIQUE INDEX ledger_entries_reverses ON ledger_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE ON ledger_entries
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.kind IS NOT OLD.kind
  OR NEW.responsibility IS NOT OLD.responsibility OR NEW.amount_cents IS NOT OLD.amount_cents
  OR NEW.transfer_from IS NOT OLD.transfer_from OR NEW.reverses_entry_id IS NOT OLD.reverses_entry_id
  OR NEW.applies_to_entry_id IS NOT OLD.applies_to_entry_id OR NEW.encounter_id IS NOT OLD.encounter_id
  OR NEW.appointment_id IS NOT OLD.appointment_id OR NEW.charge_line_id IS NOT OLD.charge_line_id
  OR NEW.service_date IS NOT OLD.service_date OR NEW.provider_user_id IS NOT OLD.provider_user_id
  OR NEW.location_id IS NOT OLD.location_id OR NEW.method IS NOT OLD.method
  OR NEW.check_number IS NOT OLD.check_number OR NEW.external_ref IS NOT OLD.external_ref
  OR NEW.memo IS NOT OLD.memo OR NEW.posted_at IS NOT OLD.posted_at OR NEW.posted_by IS NOT OLD.posted_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; post a reversal instead'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only; post a reversal instead'); END;

CREATE TABLE ledger_allocations (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  payment_entry_id TEXT NOT NULL,
  charge_entry_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reverses_allocation_id TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_allocations_patient ON ledger_allocations (patient_id, created_at);
CREATE INDEX ledger_allocations_payment ON ledger_allocations (payment_entry_id);
CREATE INDEX ledger_allocations_charge ON ledger_allocations (charge_entry_id);
CREATE UNIQUE INDEX ledger_allocations_reverses ON ledger_allocations (reverses_allocation_id)
  WHERE reverses_allocation_id IS NOT NULL;

CREATE TRIGGER ledger_allocations_append_only BEFORE UPDATE ON ledger_allocations
WHEN NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id
  OR NEW.payment_entry_id IS NOT OLD.payment_entry_id OR NEW.charge_entry_id IS NOT OLD.charge_entry_id
  OR NEW.amount_cents IS NOT OLD.amount_cents OR NEW.reverses_allocation_id IS NOT OLD.reverses_allocation_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'ledger allocations are append-only; un-allocate with a reversing allocation'); END;
CREATE TRIGGER ledger_allocations_no_delete BEFORE DELETE ON ledger_allocations
BEGIN SELECT RAISE(ABORT, 'ledger allocations are append-only; un-allocate with a reversing allocation'); END;
`;
