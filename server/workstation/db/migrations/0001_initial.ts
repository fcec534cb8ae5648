import { mutationOps } from '../../../contracts/sync/protocol';
import { oneOf } from './sql';

/**
 * Schema version 1. Migrations are append-only: never edit a shipped one, add the next file instead.
 * Replicated tables carry `clinic_id` and `deleted_at` (tombstones); local-only tables (meta, sessions,
 * outbox) do not replicate.
 */
export const sql = /* sql */ `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE clinic_settings (
  clinic_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (clinic_id, key)
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  username TEXT NOT NULL,
  full_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  mfa_secret TEXT,
  mfa_enrolled_at TEXT,
  mfa_last_counter INTEGER,
  recovery_code_hashes TEXT NOT NULL DEFAULT '[]',
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  last_login_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX users_clinic_username ON users (clinic_id, username);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  last_activity_at TEXT NOT NULL,
  ended_at TEXT,
  end_reason TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  mrn TEXT NOT NULL,
  legal_first_name TEXT NOT NULL,
  legal_last_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  restricted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX patients_clinic_mrn ON patients (clinic_id, mrn);

CREATE TABLE emergency_access_grants (
  id TEXT PRIMARY KEY,
  clinic_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX emergency_access_user_patient ON emergency_access_grants (user_id, patient_id);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  clinic_id TEXT NOT NULL,
  at TEXT NOT NULL,
  user_id TEXT,
  username TEXT,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  patient_id TEXT,
  workstation_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_at ON audit_log (at);
CREATE INDEX audit_user ON audit_log (user_id, at);
CREATE INDEX audit_patient ON audit_log (patient_id, at);

-- The app never changes or removes audit entries; the triggers make a bug that tries fail loudly.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN (${oneOf(mutationOps)})),
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  pushed_at TEXT
) STRICT;
`;
