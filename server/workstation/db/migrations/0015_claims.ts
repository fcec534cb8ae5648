import {
  batchStatuses,
  claimEventKinds,
  claimFileKinds,
  claimFrequencies,
  claimLineStatuses,
  claimPriorities,
  claimStatuses,
  denialActions,
  eraPaymentStatuses,
  linePostingKinds,
} from '../../../contracts/claims/records';
import { enrollmentStatuses } from '../../../contracts/claims/setup';
import { oneOf } from './sql';

/**
 * Insurance claims (issue 9; docs/claims.md). Every table replicates (a biller may work from any
 * workstation; central sends the batches):
 *
 * - `claim_payers`: payers with their id per clearinghouse (JSON list), filing indicator, enrollment.
 * - `claim_billing_providers`: the practice as billing provider (2010AA) with an optional pay-to address.
 * - `claim_rendering_providers`: NPI and taxonomy per rendering clinician (2310B).
 * - `claims` and `claim_lines`: one claim per payer and coverage order; a visit may split over several,
 *   and one charge line may be on several claims over time (primary, secondary, a replacement).
 *   `patient_control_number` (CLM01, echoed by 277CA and 835) is unique.
 * - `claim_batches`: an 837P file with its control numbers (ISA13 unique; GS06/ST02 within it) and content.
 * - `claim_files`: every file that came back (999, 277CA, 835) with its digest, and the 837P we built.
 * - `claim_events`: append-only history of every claim, naming the file that touched it.
 * - `era_payments`: one per 835 remittance (ST/SE): trace, fingerprint, status, the plan's proof.
 * - `claim_line_postings`: what each ERA did to each line (payment, CAS by group and reason, denial), with
 *   the ledger entry it posted; denials carry the biller's action. Source of the secondary claim's 2320/2430.
 *
 * No unique index on payer names: two workstations may add one offline; the service refuses what it sees.
 */
export const sql = /* sql */ `
CREATE TABLE claim_payers (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  name TEXT NOT NULL,
  clearinghouse_ids TEXT NOT NULL DEFAULT '[]',
  claim_filing_indicator TEXT NOT NULL,
  claim_enrollment TEXT NOT NULL CHECK (claim_enrollment IN (${oneOf(enrollmentStatuses)})),
  era_enrollment TEXT NOT NULL CHECK (era_enrollment IN (${oneOf(enrollmentStatuses)})),
  timely_filing_days INTEGER CHECK (timely_filing_days IS NULL OR timely_filing_days BETWEEN 1 AND 730),
  address TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE claim_billing_providers (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  organization_name TEXT NOT NULL,
  npi TEXT NOT NULL,
  tax_id TEXT NOT NULL,
  taxonomy TEXT NOT NULL,
  address TEXT NOT NULL,
  pay_to_address TEXT,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE claim_rendering_providers (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  npi TEXT NOT NULL,
  taxonomy TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX claim_rendering_providers_user ON claim_rendering_providers (user_id);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  encounter_id TEXT NOT NULL,
  payer_id TEXT NOT NULL,
  coverage_id TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN (${oneOf(claimPriorities)})),
  rendering_provider_user_id TEXT NOT NULL,
  patient_control_number TEXT NOT NULL,
  frequency TEXT NOT NULL CHECK (frequency IN (${oneOf(claimFrequencies)})),
  replaces_claim_id TEXT,
  primary_claim_id TEXT,
  payer_claim_number TEXT,
  status TEXT NOT NULL CHECK (status IN (${oneOf(claimStatuses)})),
  diagnoses TEXT NOT NULL DEFAULT '[]',
  place_of_service TEXT NOT NULL,
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  paid_cents INTEGER NOT NULL DEFAULT 0,
  patient_responsibility_cents INTEGER NOT NULL DEFAULT 0,
  adjusted_cents INTEGER NOT NULL DEFAULT 0,
  scrub_findings TEXT NOT NULL DEFAULT '[]',
  batch_id TEXT,
  status_detail TEXT NOT NULL DEFAULT '',
  appeal_note TEXT NOT NULL DEFAULT '',
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX claims_patient_control_number ON claims (patient_control_number);
CREATE INDEX claims_status ON claims (clinic_id, status, created_at);
CREATE INDEX claims_encounter ON claims (encounter_id);
CREATE INDEX claims_patient ON claims (patient_id);
CREATE INDEX claims_batch ON claims (batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE claim_lines (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  charge_line_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  modifiers TEXT NOT NULL DEFAULT '[]',
  units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 99),
  charge_cents INTEGER NOT NULL CHECK (charge_cents >= 0),
  place_of_service TEXT NOT NULL,
  date_of_service TEXT NOT NULL,
  diagnosis_pointers TEXT NOT NULL DEFAULT '[1]',
  line_control_number TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(claimLineStatuses)})),
  paid_cents INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX claim_lines_claim ON claim_lines (claim_id, position);
CREATE INDEX claim_lines_charge_line ON claim_lines (charge_line_id);

CREATE TABLE claim_batches (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  interchange_control_number INTEGER NOT NULL CHECK (interchange_control_number BETWEEN 1 AND 999999999),
  group_control_number INTEGER NOT NULL,
  file_id TEXT NOT NULL,
  claim_count INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(batchStatuses)})),
  status_detail TEXT NOT NULL DEFAULT '',
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX claim_batches_interchange ON claim_batches (interchange_control_number);

CREATE TABLE claim_files (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(claimFileKinds)})),
  direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  content TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '{}',
  created_by TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX claim_files_sha256 ON claim_files (sha256);

CREATE TABLE claim_events (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(claimEventKinds)})),
  file_id TEXT,
  status_from TEXT,
  status_to TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  created_by TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX claim_events_claim ON claim_events (claim_id, created_at);
CREATE TRIGGER claim_events_append_only BEFORE UPDATE ON claim_events
WHEN NEW.id IS NOT OLD.id OR NEW.claim_id IS NOT OLD.claim_id OR NEW.kind IS NOT OLD.kind
  OR NEW.file_id IS NOT OLD.file_id OR NEW.status_from IS NOT OLD.status_from OR NEW.status_to IS NOT OLD.status_to
  OR NEW.detail IS NOT OLD.detail OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
BEGIN SELECT RAISE(ABORT, 'claim history is append-only'); END;

CREATE TABLE era_payments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  file_id TEXT NOT NULL,
  remittance_index INTEGER NOT NULL,
  trace_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  payer_name TEXT NOT NULL,
  payment_cents INTEGER NOT NULL,
  payment_date TEXT,
  status TEXT NOT NULL CHECK (status IN (${oneOf(eraPaymentStatuses)})),
  blocked_because TEXT NOT NULL DEFAULT '[]',
  review_because TEXT NOT NULL DEFAULT '[]',
  proof TEXT NOT NULL DEFAULT '{}',
  provider_adjustments TEXT NOT NULL DEFAULT '[]',
  unmatched TEXT NOT NULL DEFAULT '[]',
  posted_at TEXT,
  posted_by TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX era_payments_trace ON era_payments (trace_key);
CREATE INDEX era_payments_status ON era_payments (clinic_id, status, created_at);

CREATE TABLE claim_line_postings (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  era_payment_id TEXT NOT NULL,
  claim_id TEXT NOT NULL,
  claim_line_id TEXT,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(linePostingKinds)})),
  group_code TEXT,
  reason_code TEXT,
  amount_cents INTEGER NOT NULL,
  reversal INTEGER NOT NULL DEFAULT 0,
  ledger_entry_id TEXT,
  denial_action TEXT CHECK (denial_action IN (${oneOf(denialActions)})),
  denial_worked_at TEXT,
  denial_worked_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX claim_line_postings_claim ON claim_line_postings (claim_id);
CREATE INDEX claim_line_postings_denials ON claim_line_postings (clinic_id, kind, denial_action);
`;
