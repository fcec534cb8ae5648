/**
 * Central schema version 6: the web console (docs/console.md).
 *
 * - `admin_audit`: every console and administration action (sign-ins included, refused ones too), appended
 *   only through `tessera.admin_audit_append`, which runs as the owner, serialises appends and chains each
 *   entry to the previous one by SHA-256 (like the workstation's audit log), so an edit or a removed entry is
 *   detectable. The API role may read (under row-level security: an operator all, an organization's
 *   administrators their organization's entries) and never insert, update or delete directly.
 * - devices: what each workstation last reported about itself (app version, changes waiting to be sent, open
 *   conflicts, its pull cursor), so the console can show sync lag without asking the workstation.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE devices
  ADD COLUMN app_version text,
  ADD COLUMN pending_mutations integer,
  ADD COLUMN open_conflicts integer,
  ADD COLUMN pulled_cursor bigint,
  ADD COLUMN status_at timestamptz;

CREATE TABLE admin_audit (
  seq bigint PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  admin_id uuid,
  username text,
  org_id uuid,
  clinic_id uuid,
  action text NOT NULL,
  target text,
  outcome text NOT NULL,
  address text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX admin_audit_org ON admin_audit (org_id, seq DESC);

ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON admin_audit TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY scoped ON admin_audit FOR SELECT TO PUBLIC
  USING (tessera.is_operator() OR (org_id IS NOT NULL AND org_id = tessera.current_org()));

CREATE FUNCTION tessera.admin_audit_append(
  p_id uuid, p_admin uuid, p_username text, p_org uuid, p_clinic uuid, p_action text, p_target text,
  p_outcome text, p_address text)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$
  DECLARE
    v_prev text;
    v_seq bigint;
    v_at timestamptz := clock_timestamp();
    -- An operator's action on a clinic is filed under the clinic's organization, so its administrators see it.
    v_org uuid := coalesce(p_org, (SELECT org_id FROM tessera.clinics WHERE id = p_clinic));
  BEGIN
    -- One chain: appends take turns (console actions are rare; this is not a hot path).
    PERFORM pg_advisory_xact_lock(7345006);
    SELECT seq, hash INTO v_seq, v_prev FROM tessera.admin_audit ORDER BY seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0) + 1;
    v_prev := coalesce(v_prev, repeat('0', 64));
    INSERT INTO tessera.admin_audit (seq, id, at, admin_id, username, org_id, clinic_id, action, target,
      outcome, address, prev_hash, hash)
    VALUES (v_seq, p_id, v_at, p_admin, p_username, v_org, p_clinic, p_action, p_target, p_outcome, p_address,
      v_prev,
      encode(sha256(convert_to(concat_ws('|', v_prev, v_seq::text, p_id::text,
        to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), coalesce(p_admin::text, ''),
        coalesce(p_username, ''), coalesce(v_org::text, ''), coalesce(p_clinic::text, ''), p_action,
        coalesce(p_target, ''), p_outcome, coalesce(p_address, '')), 'UTF8')), 'hex'));
  END $$;
REVOKE ALL ON FUNCTION tessera.admin_audit_append(uuid, uuid, text, uuid, uuid, text, text, text, text)
  FROM PUBLIC;
`;
