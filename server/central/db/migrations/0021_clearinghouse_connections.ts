/**
 * Central schema: a clearinghouse connection per clinic, and the last poll per clinic (issue 9;
 * docs/claims-inbound.md, "Connections per clinic").
 *
 * - clearinghouse_connections: one row per clinic, set by a central administrator. `settings` holds what may be
 *   shown (host, port, user, host key fingerprint, folders; or the API address and client id); `secret` holds
 *   the private key / password or the client secret, AES-256-GCM under the central secret (crypto.ts,
 *   bound to `clearinghouse_connections/<clinic>/secret`) and is never returned by any endpoint. The last
 *   connection test's time, outcome and sentence are kept for the console.
 * - clearinghouse_polls: the last completed poll of the clinic's inbound folders by any central node, so the
 *   workstations' set-up tab and the health page show it after a restart. The environment connection
 *   (TESSERA_CLEARINGHOUSE_*) records its polls here too.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE clearinghouse_connections (
  clinic_id uuid PRIMARY KEY REFERENCES clinics (id),
  transport text NOT NULL CHECK (transport IN ('sftp', 'https')),
  settings jsonb NOT NULL,
  secret text NOT NULL CHECK (secret LIKE 'enc:v1:%'),
  last_test_at timestamptz,
  last_test_ok boolean,
  last_test_message text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid
);

CREATE TABLE clearinghouse_polls (
  clinic_id uuid PRIMARY KEY REFERENCES clinics (id),
  last_poll_at timestamptz NOT NULL,
  files integer NOT NULL DEFAULT 0
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['clearinghouse_connections', 'clearinghouse_polls'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic() OR tessera.is_operator()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;
`;
