import { trackingKinds } from '../../../contracts/portal/tracking';
import { oneOf } from './sql';

/**
 * Health tracking from the portal (issue 11), replicated with central: what the patient enters (weight,
 * blood pressure, glucose, sleep, mood, exercise, water) is written at central and pulled
 * (tracking_entries, integers in the stored unit of server/contracts/portal/tracking.ts); the ranges a
 * clinician sets per patient and kind are written here and pushed (tracking_ranges). Indexes serve the
 * chart (a patient's entries, newest first; the patient's ranges).
 */
export const sql = /* sql */ `
CREATE TABLE tracking_entries (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(trackingKinds)})),
  value INTEGER NOT NULL,
  value2 INTEGER,
  entered_by_name TEXT NOT NULL,
  observed_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX tracking_entries_patient ON tracking_entries (patient_id, observed_at);

CREATE TABLE tracking_ranges (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(trackingKinds)})),
  low INTEGER,
  high INTEGER,
  low2 INTEGER,
  high2 INTEGER,
  set_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX tracking_ranges_patient ON tracking_ranges (patient_id, kind);
`;
