import { instrumentIds } from '../../../contracts/questionnaires/instruments';
import { assignmentStatuses } from '../../../contracts/portal/messaging';
import { oneOf } from './sql';

/**
 * Questionnaires on a schedule (issue 11): a request can repeat every N weeks from the day it was sent
 * (`schedule = 'every_weeks'`, N in `repeat_weeks`, an integer so other intervals can be added without a
 * migration). SQLite cannot change the schedule CHECK in place, so questionnaire_assignments is rebuilt
 * with the same rows (a small table; nothing references it by foreign key). A response records the period
 * it answered (`period`, 0 for the first N weeks), so a scheduled request is answered once per period.
 * The schedule list is pinned here: a migration's text never changes.
 */
const schedules = ['once', 'before_each_visit', 'every_weeks'] as const;

export const sql = /* sql */ `
CREATE TABLE questionnaire_assignments_next (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  instrument TEXT NOT NULL CHECK (instrument IN (${oneOf(instrumentIds)})),
  schedule TEXT NOT NULL CHECK (schedule IN (${oneOf(schedules)})),
  repeat_weeks INTEGER CHECK (repeat_weeks > 0),
  status TEXT NOT NULL CHECK (status IN (${oneOf(assignmentStatuses)})),
  assigned_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((schedule = 'every_weeks') = (repeat_weeks IS NOT NULL))
) STRICT;
INSERT INTO questionnaire_assignments_next
  (id, clinic_id, patient_id, instrument, schedule, repeat_weeks, status, assigned_by, created_at, updated_at, deleted_at)
  SELECT id, clinic_id, patient_id, instrument, schedule, NULL, status, assigned_by, created_at, updated_at, deleted_at
    FROM questionnaire_assignments;
DROP TABLE questionnaire_assignments;
ALTER TABLE questionnaire_assignments_next RENAME TO questionnaire_assignments;
CREATE INDEX questionnaire_assignments_patient ON questionnaire_assignments (patient_id, created_at);

ALTER TABLE questionnaire_responses ADD COLUMN period INTEGER CHECK (period >= 0);
`;
