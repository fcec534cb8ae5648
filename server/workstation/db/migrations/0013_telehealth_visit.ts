import { participantRoles } from '../../../contracts/telehealth';
import { telehealthEventKinds } from '../../../contracts/telehealth/rows';
import { oneOf } from './sql';

/**
 * Telehealth visit facts that billing reads (issue 10), replicated from central like the rest of the record:
 * - `patient_at_home` (1 home, 0 elsewhere, NULL not confirmed yet): the place of service (10 vs 02) follows
 *   the patient's confirmed location, never an assumption;
 * - `room_duration_seconds`: the length of the video room as the provider reported it (Twilio room-ended).
 * The event kinds grow by `video_resumed` (back from audio only) and `room_ended` (the provider's account):
 * SQLite cannot change a CHECK in place, so telehealth_events is rebuilt with the same rows.
 */
export const sql = /* sql */ `
ALTER TABLE telehealth_sessions ADD COLUMN patient_at_home INTEGER CHECK (patient_at_home IN (0, 1));
ALTER TABLE telehealth_sessions ADD COLUMN room_duration_seconds INTEGER;

CREATE TABLE telehealth_events_next (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(telehealthEventKinds)})),
  participant_id TEXT,
  participant_role TEXT CHECK (participant_role IN (${oneOf(participantRoles)})),
  participant_name TEXT,
  actor_user_id TEXT,
  detail TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
INSERT INTO telehealth_events_next SELECT * FROM telehealth_events;
DROP TABLE telehealth_events;
ALTER TABLE telehealth_events_next RENAME TO telehealth_events;
CREATE INDEX telehealth_events_appointment ON telehealth_events (appointment_id, occurred_at);
`;
