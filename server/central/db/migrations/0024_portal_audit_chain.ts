/**
 * Central schema: patients' portal acts in the clinic's audit log (issue 11). Every portal_activity row is
 * sealed into a hash chain per clinic (`seq`, `prev_hash`, `hash`, the same SHA-256 over the same fields as a
 * workstation's audit entry, domain/audit/hash-chain.ts), which the workstations pull and verify. Acts are
 * recorded unsealed (a plain insert, no lock, so a browsing patient never waits on another); they are
 * sealed in order when a workstation asks for them, under the clinic's head row (`portal_audit_heads`,
 * FOR UPDATE), so several central nodes never give two entries one number. A sealed row never changes again.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE portal_activity ADD COLUMN seq bigint;
ALTER TABLE portal_activity ADD COLUMN prev_hash text;
ALTER TABLE portal_activity ADD COLUMN hash text;
ALTER TABLE portal_activity ADD CONSTRAINT portal_activity_sealed
  CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL));
CREATE UNIQUE INDEX portal_activity_seq ON portal_activity (clinic_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX portal_activity_unsealed ON portal_activity (clinic_id, at, id) WHERE seq IS NULL;

-- The last sealed entry of each clinic's portal chain; its row lock serializes sealing per clinic.
CREATE TABLE portal_audit_heads (
  clinic_id uuid PRIMARY KEY REFERENCES clinics (id),
  seq bigint NOT NULL DEFAULT 0,
  hash text NOT NULL
);
ALTER TABLE portal_audit_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_audit_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON portal_audit_heads TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant ON portal_audit_heads TO PUBLIC USING (clinic_id = tessera.current_clinic())
  WITH CHECK (clinic_id = tessera.current_clinic());
`;
