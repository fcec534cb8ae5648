/**
 * Central schema: files in the portal and withdrawing shared documents (issue 11, docs/portal.md "Files").
 *
 * - portal_file_contents: the bytes of each file a patient uploaded or staff attached (a photo, a scan, a
 *   PDF), encrypted under the column key and bound to the clinic and the file's id. Its description lives in
 *   the replicated `portal_files` row (a replica row, title encrypted by the replication policy); the
 *   workstations fetch the content from here when staff open a file, so pulls stay small.
 * - portal_documents: a shared document can be withdrawn (it leaves the patient's list and downloads at
 *   once; the row stays for the record of who shared and withdrew it, and when). A document may now also be
 *   a signed note's patient summary (`kind` visit_summary).
 * The portal finds a patient's files by patient within the clinic, like its forms.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE portal_file_contents (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  id uuid NOT NULL,
  patient_id uuid NOT NULL,
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id)
);
ALTER TABLE portal_file_contents ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_file_contents FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON portal_file_contents TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant ON portal_file_contents TO PUBLIC
  USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic());

ALTER TABLE portal_documents ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE portal_documents ADD COLUMN withdrawn_by uuid;

CREATE INDEX replica_rows_portal_files ON replica_rows (clinic_id, table_name, (data->>'patientId'))
  WHERE table_name = 'portal_files';
`;
