import { instrumentIds } from '../../../contracts/questionnaires/instruments';
import { assignmentStatuses, messageSenders } from '../../../contracts/portal/messaging';
import { oneOf } from './sql';

/** The schedules as shipped with this migration (its text must never change; a later one added more). */
const questionnaireSchedules = ['once', 'before_each_visit'] as const;

/**
 * Secure messages and questionnaires (issue 11), replicated with central: patients write at central (the
 * portal) and workstations pull; staff write here (replies, assignment, read receipts, sending a
 * questionnaire, reviewing an urgent flag) and push. Indexes serve the clinic inbox (unread patient
 * messages, open urgent flags) and the patient record (a patient's threads and scores).
 */
export const sql = /* sql */ `
CREATE TABLE portal_threads (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  assigned_user_id TEXT,
  opened_by TEXT NOT NULL CHECK (opened_by IN (${oneOf(messageSenders)})),
  last_message_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX portal_threads_patient ON portal_threads (patient_id, last_message_at);
CREATE INDEX portal_threads_recent ON portal_threads (last_message_at);

CREATE TABLE portal_messages (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  sender TEXT NOT NULL CHECK (sender IN (${oneOf(messageSenders)})),
  sender_user_id TEXT,
  sender_name TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  read_by_patient_at TEXT,
  read_by_staff_at TEXT,
  read_by_staff_user_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX portal_messages_thread ON portal_messages (thread_id, sent_at);
CREATE INDEX portal_messages_unread ON portal_messages (thread_id) WHERE sender = 'patient' AND read_by_staff_at IS NULL;

CREATE TABLE questionnaire_assignments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  instrument TEXT NOT NULL CHECK (instrument IN (${oneOf(instrumentIds)})),
  schedule TEXT NOT NULL CHECK (schedule IN (${oneOf(questionnaireSchedules)})),
  status TEXT NOT NULL CHECK (status IN (${oneOf(assignmentStatuses)})),
  assigned_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX questionnaire_assignments_patient ON questionnaire_assignments (patient_id, created_at);

CREATE TABLE questionnaire_responses (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  assignment_id TEXT NOT NULL,
  instrument TEXT NOT NULL CHECK (instrument IN (${oneOf(instrumentIds)})),
  answers TEXT NOT NULL,
  total_score INTEGER NOT NULL,
  severity TEXT NOT NULL,
  urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  appointment_id TEXT,
  submitted_at TEXT NOT NULL,
  reviewed_at TEXT,
  reviewed_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX questionnaire_responses_patient ON questionnaire_responses (patient_id, submitted_at);
CREATE INDEX questionnaire_responses_flags ON questionnaire_responses (submitted_at) WHERE urgent = 1 AND reviewed_at IS NULL;
`;
