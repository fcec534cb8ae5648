/**
 * Central schema version 5: the desktop app's update feed (docs/updates.md). An organization's
 * administrators upload the files electron-builder wrote for a release (installers, blockmaps) and then
 * publish the release with its update manifests (latest.yml, latest-mac.yml, …); every workstation of the
 * organization's clinics reads the feed with its device credential.
 *
 * Files live in PostgreSQL, in 1 MiB chunks, so that any central process can serve any byte range of them
 * (central processes share nothing but the database). A file, once stored, never changes.
 *
 * Row-level security as for code sets: an organization's administrators (and operators) read and add; a
 * workstation reads its clinic's organization's rows.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE update_files (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL,
  sha512 text NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  chunk_size integer NOT NULL CHECK (chunk_size > 0),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

CREATE TABLE update_file_chunks (
  file_id uuid NOT NULL REFERENCES update_files (id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES orgs (id),
  seq integer NOT NULL CHECK (seq >= 0),
  data bytea NOT NULL,
  PRIMARY KEY (file_id, seq)
);

CREATE TABLE update_releases (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  version text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('stable', 'beta')),
  staging_percentage integer NOT NULL CHECK (staging_percentage BETWEEN 1 AND 100),
  manifests jsonb NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, version)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['update_files', 'update_file_chunks', 'update_releases'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format($p$CREATE POLICY scoped ON tessera.%I TO PUBLIC
      USING (
        tessera.is_operator()
        OR org_id = tessera.current_org()
        OR org_id = (SELECT c.org_id FROM tessera.clinics c WHERE c.id = tessera.current_clinic())
      )
      WITH CHECK (tessera.is_operator() OR org_id = tessera.current_org())$p$, t);
  END LOOP;
END $$;
`;
