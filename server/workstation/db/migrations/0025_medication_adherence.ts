import { adherenceStatuses } from '../../../contracts/portal/adherence';
import { oneOf } from './sql';

/**
 * Medication adherence from the portal (issue 11), replicated with central like tracking_entries: what the
 * patient reports per medication and clinic day (taken / partial / missed, a short note) is written at
 * central and pulled; one row per medication and day (a later report for the day updates it). Read-only
 * here. The index serves the chart (a patient's reports by day).
 */
export const sql = /* sql */ `
CREATE TABLE medication_adherence (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  medication_id TEXT NOT NULL,
  day TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(adherenceStatuses)})),
  note TEXT NOT NULL DEFAULT '',
  entered_by_name TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX medication_adherence_patient ON medication_adherence (patient_id, day);
`;
