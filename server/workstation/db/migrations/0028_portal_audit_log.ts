/**
 * Patients' portal acts in this workstation's audit log (issue 11). Central seals every portal act into a
 * hash chain per clinic (central migration 0024); the workstation pulls it into `portal_audit_log`, read-only,
 * beside its own `audit_log`: the same columns and the same hash, but its own sequence (central's), so the
 * two chains never interleave and each verifies on its own (`audit verify` walks both). The audit report
 * lists the two together, the portal's as source "Patient portal". Append-only like audit_log.
 */
export const sql = /* sql */ `
CREATE TABLE portal_audit_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
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
CREATE INDEX portal_audit_at ON portal_audit_log (at);
CREATE INDEX portal_audit_patient ON portal_audit_log (patient_id, at);

CREATE TRIGGER portal_audit_log_no_update BEFORE UPDATE ON portal_audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER portal_audit_log_no_delete BEFORE DELETE ON portal_audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`;
