import {
  appointmentStatuses,
  blockKinds,
  modalities,
  seriesStatuses,
  waitlistPriorities,
  waitlistStatuses,
} from '../../../contracts/scheduling';
import { oneOf } from './sql';

/**
 * Schema version 3: scheduling and check-in. Every table replicates (clinic_id, UUIDv7 ids, updated_at;
 * tombstones in deleted_at where rows can go away). Times are UTC instants (ISO 8601, `Z`) with the clinic
 * zone stored beside them; weekly hours are local wall times. See docs/scheduling.md.
 */
export const sql = /* sql */ `
CREATE TABLE provider_profiles (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  credentials TEXT NOT NULL DEFAULT '',
  npi TEXT,
  specialty TEXT NOT NULL DEFAULT '',
  color TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX provider_profiles_user ON provider_profiles (clinic_id, user_id) WHERE deleted_at IS NULL;

CREATE TABLE locations (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX rooms_location ON rooms (location_id);

CREATE TABLE appointment_types (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  name TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
  default_room_id TEXT,
  color TEXT NOT NULL,
  modality TEXT NOT NULL CHECK (modality IN (${oneOf(modalities)})),
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

-- Weekly template: ISO weekday (1 = Monday) and local wall times HH:MM.
CREATE TABLE working_hours (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX working_hours_provider ON working_hours (provider_id) WHERE deleted_at IS NULL;

-- Lunch, meetings, time off. provider_id and room_id both NULL: the whole clinic. A repeating block keeps
-- its rule (recurrence JSON + RRULE) and until_at, the end of its last occurrence (NULL: no end).
CREATE TABLE schedule_blocks (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  provider_id TEXT,
  room_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN (${oneOf(blockKinds)})),
  label TEXT NOT NULL DEFAULT '',
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  recurrence TEXT,
  rrule TEXT,
  until_at TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX schedule_blocks_time ON schedule_blocks (clinic_id, starts_at) WHERE deleted_at IS NULL;

-- A repeating appointment: its rule, anchored at the first occurrence. Each occurrence is a row in
-- appointments (series_id + occurrence_date), so every one can be checked in, moved or cancelled.
CREATE TABLE appointment_series (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  appointment_type_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  room_id TEXT,
  starts_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  recurrence TEXT NOT NULL,
  rrule TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN (${oneOf(seriesStatuses)})),
  split_from_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX appointment_series_patient ON appointment_series (patient_id);
CREATE INDEX appointment_series_provider ON appointment_series (provider_id);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  appointment_type_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  room_id TEXT,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  modality TEXT NOT NULL CHECK (modality IN (${oneOf(modalities)})),
  status TEXT NOT NULL CHECK (status IN
    (${oneOf(appointmentStatuses)})),
  status_changed_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  series_id TEXT,
  occurrence_date TEXT,
  detached INTEGER NOT NULL DEFAULT 0,
  arrived_at TEXT,
  checked_in_at TEXT,
  roomed_at TEXT,
  with_provider_at TEXT,
  checked_out_at TEXT,
  cancelled_at TEXT,
  cancel_reason TEXT,
  late_cancel INTEGER NOT NULL DEFAULT 0,
  no_show_at TEXT,
  copay_due_cents INTEGER,
  demographics_confirmed_at TEXT,
  insurance_reviewed_at TEXT,
  override_reason TEXT,
  double_booked_at TEXT,
  double_booked_with TEXT,
  waitlist_entry_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX appointments_time ON appointments (clinic_id, starts_at) WHERE deleted_at IS NULL;
CREATE INDEX appointments_provider_time ON appointments (provider_id, starts_at) WHERE deleted_at IS NULL;
CREATE INDEX appointments_room_time ON appointments (room_id, starts_at) WHERE deleted_at IS NULL AND room_id IS NOT NULL;
CREATE INDEX appointments_patient_time ON appointments (patient_id, starts_at);
CREATE INDEX appointments_series ON appointments (series_id, occurrence_date) WHERE series_id IS NOT NULL;

-- Each visit status step, with who and when; an undone step keeps its row, marked undone.
CREATE TABLE appointment_status_events (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  at TEXT NOT NULL,
  user_id TEXT,
  undone_at TEXT,
  undone_by TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX appointment_status_events_appointment ON appointment_status_events (appointment_id, at);

-- Reschedule history: what moved (time, provider, room, type), from what to what, by whom and why.
CREATE TABLE appointment_changes (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  reason TEXT,
  at TEXT NOT NULL,
  user_id TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX appointment_changes_appointment ON appointment_changes (appointment_id, at);

CREATE TABLE waitlist_entries (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  appointment_type_id TEXT,
  note TEXT NOT NULL DEFAULT '',
  earliest_date TEXT,
  latest_date TEXT,
  priority TEXT NOT NULL CHECK (priority IN (${oneOf(waitlistPriorities)})),
  status TEXT NOT NULL CHECK (status IN (${oneOf(waitlistStatuses)})),
  removed_reason TEXT,
  booked_appointment_id TEXT,
  created_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE INDEX waitlist_provider ON waitlist_entries (provider_id, status);
CREATE INDEX waitlist_patient ON waitlist_entries (patient_id);
`;
