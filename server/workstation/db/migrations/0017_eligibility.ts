import { eligibilityStatuses } from '../../../contracts/claims/eligibility';
import { oneOf } from './sql';

/**
 * Eligibility, 270/271 (issue 9; docs/claims.md "Eligibility"). Both tables replicate (the front desk sees an
 * answer imported on the biller's workstation):
 *
 * - `eligibility_files`: every 270 we built (the day it asks about, its interchange control number, which
 *   shares the clinic's sequence with the 837P batches) and every 271 read, with digest and content.
 *   Written once.
 * - `eligibility_checks`: one per coverage asked about; its id is the 270's TRN02 trace (never patient
 *   data), so a 271 answer finds it. Status `requested` until the answer, then active / inactive / rejected /
 *   unknown with the readable summary (plan, co-pays, co-insurance, deductible and what remains of it).
 */
export const sql = /* sql */ `
CREATE TABLE eligibility_files (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('x270', 'x271')),
  service_date TEXT,
  interchange_control_number INTEGER CHECK (interchange_control_number IS NULL OR interchange_control_number BETWEEN 1 AND 999999999),
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  content TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '{}',
  created_by TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX eligibility_files_sha256 ON eligibility_files (sha256);

CREATE TABLE eligibility_checks (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  coverage_id TEXT NOT NULL,
  appointment_id TEXT,
  service_date TEXT NOT NULL,
  request_file_id TEXT NOT NULL,
  response_file_id TEXT,
  status TEXT NOT NULL CHECK (status IN (${oneOf(eligibilityStatuses)})),
  summary TEXT,
  answered_at TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX eligibility_checks_patient ON eligibility_checks (patient_id, coverage_id, created_at);
`;
