/**
 * Central schema version 2: code-set releases (ICD-10-CM), imported once per organization and downloaded
 * by every workstation of its clinics (docs/clinical.md, "Code sets from central"). One row per release,
 * newest current; the file is kept as published, with its SHA-256, which workstations verify.
 *
 * Row-level security: an organization's administrators (and operators) read and add its releases; a
 * workstation reads those of its clinic's organization.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE code_set_releases (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  code_set text NOT NULL CHECK (code_set IN ('icd10cm')),
  release text NOT NULL,
  digest text NOT NULL,
  code_count integer NOT NULL,
  content text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_set_releases_current ON code_set_releases (org_id, code_set, created_at DESC, id DESC);

ALTER TABLE code_set_releases ENABLE ROW LEVEL SECURITY;
ALTER TABLE code_set_releases FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON code_set_releases TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY scoped ON code_set_releases TO PUBLIC
  USING (
    tessera.is_operator()
    OR org_id = tessera.current_org()
    OR org_id = (SELECT c.org_id FROM tessera.clinics c WHERE c.id = tessera.current_clinic())
  )
  WITH CHECK (tessera.is_operator() OR org_id = tessera.current_org());
`;
