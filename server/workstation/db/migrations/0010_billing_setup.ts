import { chargeLineStatuses, policyPoints } from '../../../contracts/billing/charges';
import { encounterModalities, feeScopes } from '../../../contracts/billing/setup';
import { oneOf } from './sql';

/**
 * Billing set-up and charges (issue 8; docs/billing.md):
 *
 * - `service_codes`: the clinic's own codes (no CPT ships with the product), with default units and minutes.
 * - `fee_schedule_entries`: the practice rate of a code, per-provider and per-patient (sliding scale, with an
 *   end date) overrides. Amounts are integer cents.
 * - `place_of_service_rules`: per payer (NULL = any payer) and modality, the place of service and modifiers;
 *   where no rule applies the built-in defaults in server/domain/billing/place-of-service.ts do.
 * - `appointment_type_service_codes`: the codes a visit of a type proposes.
 * - `charge_lines`: a visit's lines; `draft` until the visit is closed, then `posted` with the ledger entry
 *   that carries it, `reversed` once a reversal entry undid it.
 * - `payment_policy_overrides`: append-only record of a warning acknowledged or a block overridden for a
 *   visit (the reason is audited too).
 * - `encounters.modality` and `encounters.closed_at` / `closed_by`.
 *
 * No unique index on codes: two workstations may add the same code while offline, and a replicated row must
 * always apply; the service refuses a duplicate it can see.
 */
export const sql = /* sql */ `
CREATE TABLE service_codes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  default_units INTEGER NOT NULL CHECK (default_units BETWEEN 1 AND 99),
  default_minutes INTEGER CHECK (default_minutes IS NULL OR default_minutes BETWEEN 1 AND 1440),
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX service_codes_code ON service_codes (clinic_id, code);

CREATE TABLE fee_schedule_entries (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  service_code_id TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN (${oneOf(feeScopes)})),
  provider_user_id TEXT,
  patient_id TEXT,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  effective_from TEXT,
  ends_on TEXT,
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((scope = 'provider') = (provider_user_id IS NOT NULL)),
  CHECK ((scope = 'patient') = (patient_id IS NOT NULL))
) STRICT;
CREATE INDEX fee_schedule_entries_code ON fee_schedule_entries (service_code_id);
CREATE INDEX fee_schedule_entries_patient ON fee_schedule_entries (patient_id) WHERE patient_id IS NOT NULL;

CREATE TABLE place_of_service_rules (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  payer_id TEXT,
  modality TEXT NOT NULL CHECK (modality IN (${oneOf(encounterModalities)})),
  place_of_service TEXT NOT NULL,
  modifiers TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE appointment_type_service_codes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  appointment_type_id TEXT NOT NULL,
  service_code_id TEXT NOT NULL,
  units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 99),
  position INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX appointment_type_service_codes_type ON appointment_type_service_codes (appointment_type_id);

CREATE TABLE charge_lines (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  encounter_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  service_code_id TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 99),
  modifiers TEXT NOT NULL DEFAULT '[]',
  diagnosis_pointers TEXT NOT NULL DEFAULT '[1]',
  rendering_provider_user_id TEXT NOT NULL,
  date_of_service TEXT NOT NULL,
  place_of_service TEXT NOT NULL,
  unit_fee_cents INTEGER NOT NULL CHECK (unit_fee_cents >= 0),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  fee_source TEXT NOT NULL DEFAULT 'none' CHECK (fee_source IN ('practice', 'provider', 'patient', 'manual', 'none')),
  status TEXT NOT NULL CHECK (status IN (${oneOf(chargeLineStatuses)})),
  ledger_entry_id TEXT,
  position INTEGER NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX charge_lines_encounter ON charge_lines (encounter_id);
CREATE INDEX charge_lines_patient ON charge_lines (patient_id);

CREATE TABLE payment_policy_overrides (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  appointment_id TEXT,
  encounter_id TEXT,
  point TEXT NOT NULL CHECK (point IN (${oneOf(policyPoints)})),
  kind TEXT NOT NULL CHECK (kind IN ('acknowledge', 'override')),
  reason TEXT NOT NULL DEFAULT '',
  due_cents INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX payment_policy_overrides_appointment ON payment_policy_overrides (appointment_id);
CREATE INDEX payment_policy_overrides_encounter ON payment_policy_overrides (encounter_id);

ALTER TABLE encounters ADD COLUMN modality TEXT NOT NULL DEFAULT 'office' CHECK (modality IN (${oneOf(encounterModalities)}));
ALTER TABLE encounters ADD COLUMN closed_at TEXT;
ALTER TABLE encounters ADD COLUMN closed_by TEXT;
`;
