import {
  alertSeverities,
  allergySeverities,
  allergyStatuses,
  allergyTypes,
  encounterTypes,
  medicationStatuses,
  problemStatuses,
} from '../../../contracts/clinical/chart';
import { amendmentStatuses, noteStatuses } from '../../../contracts/clinical/notes';
import { planStatuses } from '../../../contracts/clinical/plans';
import { templateStatuses } from '../../../contracts/clinical/templates';
import { oneOf } from './sql';

/**
 * Clinical documentation: encounters, the chart's lists (problems, allergies, medications, vitals,
 * alerts), note templates, notes with addenda and amendment requests, treatment plans with progress,
 * and who supervises whom. See docs/clinical.md.
 *
 * Signed documents are immutable, and the database says so too: triggers refuse any change to a signed
 * note, an addendum, a decided amendment request, a progress entry or a signed plan version, whatever
 * code path tries. The one column a signed row may still change is its `patient_id`, because merging a
 * duplicate patient re-files the record; the signature covers `signed_patient_id`, frozen at signing.
 */
export const sql = /* sql */ `
CREATE TABLE encounters (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_user_id TEXT NOT NULL,
  appointment_id TEXT,
  location_id TEXT,
  location_name TEXT NOT NULL DEFAULT '',
  date_of_service TEXT NOT NULL,
  start_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN (${oneOf(encounterTypes)})),
  reason TEXT NOT NULL DEFAULT '',
  diagnoses TEXT NOT NULL DEFAULT '[]',
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX encounters_patient ON encounters (patient_id, start_at);
CREATE UNIQUE INDEX encounters_appointment ON encounters (appointment_id)
  WHERE appointment_id IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE problems (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  code_set_release TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(problemStatuses)})),
  onset_date TEXT,
  resolved_date TEXT,
  note TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX problems_patient ON problems (patient_id);

CREATE TABLE allergies (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN (${oneOf(allergyTypes)})),
  allergen TEXT NOT NULL,
  reaction TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL CHECK (severity IN (${oneOf(allergySeverities)})),
  status TEXT NOT NULL CHECK (status IN (${oneOf(allergyStatuses)})),
  onset_date TEXT,
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX allergies_patient ON allergies (patient_id);

CREATE TABLE medications (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  name TEXT NOT NULL,
  dose TEXT NOT NULL DEFAULT '',
  route TEXT NOT NULL DEFAULT '',
  frequency TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN (${oneOf(medicationStatuses)})),
  start_date TEXT,
  stop_date TEXT,
  note TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX medications_patient ON medications (patient_id);

-- Stored as integers in one unit system: tenths of a degree Celsius, grams, millimetres.
CREATE TABLE vitals (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  encounter_id TEXT,
  taken_at TEXT NOT NULL,
  systolic INTEGER,
  diastolic INTEGER,
  heart_rate INTEGER,
  respiratory_rate INTEGER,
  temperature_tenths_c INTEGER,
  weight_g INTEGER,
  height_mm INTEGER,
  spo2 INTEGER,
  pain_score INTEGER,
  recorded_by TEXT NOT NULL,
  entered_in_error_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX vitals_patient ON vitals (patient_id, taken_at);

CREATE TABLE patient_alerts (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  text TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN (${oneOf(alertSeverities)})),
  active INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX patient_alerts_patient ON patient_alerts (patient_id);

CREATE TABLE note_templates (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  template_key TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  restricted_default INTEGER NOT NULL,
  definition TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(templateStatuses)})),
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX note_templates_key_version ON note_templates (clinic_id, template_key, version);

CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  encounter_id TEXT,
  template_id TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(noteStatuses)})),
  restricted INTEGER NOT NULL,
  author_id TEXT NOT NULL,
  content TEXT NOT NULL,
  version INTEGER NOT NULL,
  last_saved_at TEXT NOT NULL,
  last_saved_by TEXT NOT NULL,
  last_saved_workstation TEXT NOT NULL,
  signed_patient_id TEXT,
  signed_by TEXT,
  signed_at TEXT,
  digest TEXT,
  cosigner_id TEXT,
  cosigned_at TEXT,
  cosign_digest TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX notes_patient ON notes (patient_id, created_at);
CREATE INDEX notes_encounter ON notes (encounter_id);
CREATE INDEX notes_cosigner ON notes (cosigner_id, status);

-- Signed: nothing but the patient re-filing of a merge may change, and the row is never deleted.
CREATE TRIGGER notes_signed_immutable BEFORE UPDATE ON notes
WHEN OLD.status = 'signed' AND (
  NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.encounter_id IS NOT OLD.encounter_id
  OR NEW.template_id IS NOT OLD.template_id OR NEW.title IS NOT OLD.title OR NEW.status IS NOT OLD.status
  OR NEW.restricted IS NOT OLD.restricted OR NEW.author_id IS NOT OLD.author_id OR NEW.content IS NOT OLD.content
  OR NEW.version IS NOT OLD.version OR NEW.last_saved_at IS NOT OLD.last_saved_at
  OR NEW.last_saved_by IS NOT OLD.last_saved_by OR NEW.signed_patient_id IS NOT OLD.signed_patient_id
  OR NEW.signed_by IS NOT OLD.signed_by OR NEW.signed_at IS NOT OLD.signed_at OR NEW.digest IS NOT OLD.digest
  OR NEW.cosigner_id IS NOT OLD.cosigner_id OR NEW.cosigned_at IS NOT OLD.cosigned_at
  OR NEW.cosign_digest IS NOT OLD.cosign_digest OR NEW.created_at IS NOT OLD.created_at
  OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END;

-- Signed by the author, waiting for the supervisor: only the co-signature may be added.
CREATE TRIGGER notes_pending_cosign_locked BEFORE UPDATE ON notes
WHEN OLD.status = 'pending_cosign' AND (
  NEW.status NOT IN ('pending_cosign', 'signed') OR NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id
  OR NEW.encounter_id IS NOT OLD.encounter_id OR NEW.template_id IS NOT OLD.template_id
  OR NEW.title IS NOT OLD.title OR NEW.restricted IS NOT OLD.restricted OR NEW.author_id IS NOT OLD.author_id
  OR NEW.content IS NOT OLD.content OR NEW.version IS NOT OLD.version
  OR NEW.signed_patient_id IS NOT OLD.signed_patient_id OR NEW.signed_by IS NOT OLD.signed_by
  OR NEW.signed_at IS NOT OLD.signed_at OR NEW.digest IS NOT OLD.digest OR NEW.cosigner_id IS NOT OLD.cosigner_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.deleted_at IS NOT OLD.deleted_at)
BEGIN SELECT RAISE(ABORT, 'a signed note waiting for co-signature is locked'); END;

CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are never deleted (drafts are discarded with a tombstone)'); END;

CREATE TABLE note_addenda (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  note_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  text TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  digest TEXT NOT NULL,
  amendment_id TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX note_addenda_note ON note_addenda (note_id, signed_at);
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;
CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'addenda are immutable'); END;

CREATE TABLE note_amendments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  note_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  received_on TEXT NOT NULL,
  request_text TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(amendmentStatuses)})),
  decided_by TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  addendum_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX note_amendments_note ON note_amendments (note_id);
CREATE TRIGGER note_amendments_decided_immutable BEFORE UPDATE ON note_amendments
WHEN OLD.status <> 'pending'
BEGIN SELECT RAISE(ABORT, 'a decided amendment request is immutable'); END;
CREATE TRIGGER note_amendments_no_delete BEFORE DELETE ON note_amendments
BEGIN SELECT RAISE(ABORT, 'amendment requests are kept'); END;

CREATE TABLE treatment_plans (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  plan_group_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(planStatuses)})),
  title TEXT NOT NULL,
  effective_date TEXT NOT NULL,
  review_date TEXT,
  structure TEXT NOT NULL,
  author_id TEXT NOT NULL,
  row_version INTEGER NOT NULL,
  signed_patient_id TEXT,
  clinician_signed_by TEXT,
  clinician_signed_at TEXT,
  digest TEXT,
  client_name TEXT,
  client_signed_on TEXT,
  client_sign_method TEXT,
  client_recorded_by TEXT,
  client_recorded_at TEXT,
  closed_outcome TEXT,
  closed_reason TEXT,
  closed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX treatment_plans_patient ON treatment_plans (patient_id, created_at);
CREATE UNIQUE INDEX treatment_plans_group_version ON treatment_plans (plan_group_id, version);

-- A signed version keeps its content and signatures; only its status moves on (superseded, closed),
-- and the client's signature may be added once.
CREATE TRIGGER treatment_plans_signed_locked BEFORE UPDATE ON treatment_plans
WHEN OLD.clinician_signed_at IS NOT NULL AND (
  NEW.id IS NOT OLD.id OR NEW.clinic_id IS NOT OLD.clinic_id OR NEW.plan_group_id IS NOT OLD.plan_group_id
  OR NEW.version IS NOT OLD.version OR NEW.title IS NOT OLD.title OR NEW.effective_date IS NOT OLD.effective_date
  OR NEW.review_date IS NOT OLD.review_date OR NEW.structure IS NOT OLD.structure OR NEW.author_id IS NOT OLD.author_id
  OR NEW.row_version IS NOT OLD.row_version OR NEW.signed_patient_id IS NOT OLD.signed_patient_id
  OR NEW.clinician_signed_by IS NOT OLD.clinician_signed_by OR NEW.clinician_signed_at IS NOT OLD.clinician_signed_at
  OR NEW.digest IS NOT OLD.digest OR NEW.created_at IS NOT OLD.created_at OR NEW.deleted_at IS NOT OLD.deleted_at
  OR (OLD.client_signed_on IS NOT NULL AND (NEW.client_name IS NOT OLD.client_name
    OR NEW.client_signed_on IS NOT OLD.client_signed_on OR NEW.client_sign_method IS NOT OLD.client_sign_method
    OR NEW.client_recorded_by IS NOT OLD.client_recorded_by OR NEW.client_recorded_at IS NOT OLD.client_recorded_at))
  OR (OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NOT OLD.closed_at OR NEW.closed_outcome IS NOT OLD.closed_outcome
    OR NEW.closed_reason IS NOT OLD.closed_reason OR NEW.status IS NOT OLD.status)))
BEGIN SELECT RAISE(ABORT, 'a signed treatment plan version is immutable'); END;
CREATE TRIGGER treatment_plans_no_delete BEFORE DELETE ON treatment_plans
BEGIN SELECT RAISE(ABORT, 'treatment plans are never deleted'); END;

CREATE TABLE plan_progress (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  plan_group_id TEXT NOT NULL,
  objective_id TEXT NOT NULL,
  note_id TEXT NOT NULL,
  rating TEXT NOT NULL,
  comment TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX plan_progress_group ON plan_progress (plan_group_id, recorded_at);
CREATE TRIGGER plan_progress_no_update BEFORE UPDATE ON plan_progress
BEGIN SELECT RAISE(ABORT, 'progress entries are signed with their note and immutable'); END;
CREATE TRIGGER plan_progress_no_delete BEFORE DELETE ON plan_progress
BEGIN SELECT RAISE(ABORT, 'progress entries are signed with their note and immutable'); END;

CREATE TABLE clinician_supervision (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  clinician_id TEXT NOT NULL,
  supervisor_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX clinician_supervision_current ON clinician_supervision (clinic_id, clinician_id)
  WHERE deleted_at IS NULL;

-- Local to this workstation (not replicated): the key that encrypts each user's unsaved-draft copies in
-- the browser's storage, and the installed ICD-10-CM code set.
CREATE TABLE draft_cache_keys (
  user_id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE reference_code_sets (
  name TEXT PRIMARY KEY,
  release TEXT NOT NULL,
  source TEXT NOT NULL,
  code_count INTEGER NOT NULL,
  content TEXT NOT NULL,
  installed_at TEXT NOT NULL,
  installed_by TEXT
) STRICT;
`;
