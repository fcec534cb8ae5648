import { participantRoles, sessionModes, sessionStatuses, videoProviders } from '../../../contracts/telehealth';
import { telehealthEventKinds } from '../../../contracts/telehealth/rows';
import { oneOf } from './sql';

/**
 * Telehealth (issue 10): the visit's record of its video sessions. Central owns the live state (who waits,
 * who is admitted); these rows are what central writes for the clinic's workstations to keep with the
 * appointment: the session (provider, mode, audio-only switch, the patient's confirmed location), what
 * happened in it, and the chat. Replicated, written by central only (a workstation's push to them is
 * refused), kept with the visit.
 */
export const sql = /* sql */ `
CREATE TABLE telehealth_sessions (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  host_user_id TEXT NOT NULL,
  provider TEXT NOT NULL CHECK (provider IN (${oneOf(videoProviders)})),
  status TEXT NOT NULL CHECK (status IN (${oneOf(sessionStatuses)})),
  mode TEXT NOT NULL CHECK (mode IN (${oneOf(sessionModes)})),
  patient_location TEXT,
  location_confirmed_at TEXT,
  audio_only_at TEXT,
  audio_only_reason TEXT,
  started_at TEXT,
  ended_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX telehealth_sessions_appointment ON telehealth_sessions (appointment_id);

CREATE TABLE telehealth_events (
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
CREATE INDEX telehealth_events_appointment ON telehealth_events (appointment_id, occurred_at);

CREATE TABLE telehealth_chat_messages (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  sender_role TEXT NOT NULL CHECK (sender_role IN (${oneOf(participantRoles)})),
  sender_name TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX telehealth_chat_appointment ON telehealth_chat_messages (appointment_id, sent_at);
`;
