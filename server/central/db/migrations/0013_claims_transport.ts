/**
 * Central schema: sending queued claim batches to the clearinghouse and handing inbound files to the
 * workstations (issue 9; docs/claims-inbound.md, "Transport"). Nothing clinical here: ids, names of files
 * central itself chose or the clearinghouse chose, digests, statuses and sentences.
 *
 * - claim_transmissions: one row per queued batch (the replicated `claim_batches` row), created when central
 *   first sees it queued. Sending takes the row FOR UPDATE SKIP LOCKED and moves it `queued`/`failed` ->
 *   `sent` in the same transaction as the upload, so two central nodes (or a restarted one) never send a
 *   batch twice; a failure records the reason and the next attempt (backoff); a batch no longer queued
 *   when its turn comes (a workstation changed it) is `skipped`.
 * - clearinghouse_inbound: every inbound file handed to the workstations, once per digest (a file
 *   re-dropped, or polled by two nodes at once, is handed over once), and the one workstation granted its
 *   import.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE claim_transmissions (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  batch_id text NOT NULL,
  file_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  upload_result text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, batch_id)
);
CREATE INDEX claim_transmissions_due ON claim_transmissions (clinic_id, next_attempt_at)
  WHERE status IN ('queued', 'failed');

CREATE TABLE clearinghouse_inbound (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  sha256 text NOT NULL,
  inbound_file_id text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('x999', 'x277ca', 'x835', 'x271')),
  name text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  import_device_id uuid,
  import_granted_at timestamptz,
  PRIMARY KEY (clinic_id, sha256)
);

-- Finding the queued batches of a clinic without reading its whole replica.
CREATE INDEX replica_rows_claim_batches_queued ON replica_rows (clinic_id)
  WHERE table_name = 'claim_batches' AND data->>'status' = 'queued';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['claim_transmissions', 'clearinghouse_inbound'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;
`;
