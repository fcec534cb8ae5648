import {
  changeFields,
  changeStatuses,
  formKinds,
  formLanguages,
  formStatuses,
} from '../../../contracts/forms';
import { consentIds } from '../../../contracts/forms/consents';
import { oneOf } from './sql';

/**
 * Portal forms (issue 11), replicated with central: staff send an intake or a consent from the record
 * (portal_forms, pushed); the patient's submission and the demographic changes it proposes are written at
 * central and pulled; staff accept or reject each change here (pushed), and only an accepted change is
 * written to the patient record. Indexes serve the record (a patient's forms) and the review queue (pending
 * changes, oldest first).
 */
// Field names are API names (camelCase), which oneOf() refuses; they are constants of the contract.
const fieldNames = changeFields.map((f) => `'${f}'`).join(', ');

export const sql = /* sql */ `
CREATE TABLE portal_forms (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(formKinds)})),
  consent_id TEXT CHECK (consent_id IN (${oneOf(consentIds)})),
  status TEXT NOT NULL CHECK (status IN (${oneOf(formStatuses)})),
  assigned_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((kind = 'consent') = (consent_id IS NOT NULL))
) STRICT;
CREATE INDEX portal_forms_patient ON portal_forms (patient_id, created_at);

CREATE TABLE portal_form_submissions (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(formKinds)})),
  answers TEXT NOT NULL,
  consent_id TEXT CHECK (consent_id IN (${oneOf(consentIds)})),
  consent_version INTEGER,
  consent_language TEXT CHECK (consent_language IN (${oneOf(formLanguages)})),
  consent_title TEXT,
  consent_text TEXT,
  consent_sha256 TEXT,
  signed_name TEXT,
  signature TEXT,
  signer_ip TEXT,
  signed_at TEXT,
  submitted_by TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX portal_form_submissions_patient ON portal_form_submissions (patient_id, submitted_at);

CREATE TABLE portal_demographic_changes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  field TEXT NOT NULL CHECK (field IN (${fieldNames})),
  previous_value TEXT NOT NULL,
  proposed_value TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(changeStatuses)})),
  decided_by TEXT,
  decided_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX portal_demographic_changes_patient ON portal_demographic_changes (patient_id, created_at);
CREATE INDEX portal_demographic_changes_pending ON portal_demographic_changes (created_at) WHERE status = 'pending';
`;
