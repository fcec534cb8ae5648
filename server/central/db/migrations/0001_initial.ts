/**
 * Central schema version 1, run by the schema owner. Append-only: add the next file, never edit this one.
 *
 * Tenancy: every tenant table carries clinic_id and has row-level security ENABLED and FORCED. The policy
 * `tenant` (TO PUBLIC) admits rows of the clinic named by the transaction's `tessera.clinic_id` setting;
 * with no setting nothing matches. The policy `owner_all` admits everything only to the owner (this role,
 * CURRENT_USER at migration time): migrations, backups and the few SECURITY DEFINER functions below that
 * must find a credential before a tenant is known. The API connects as another role that owns nothing.
 */
export const sql = /* sql */ `
CREATE SCHEMA IF NOT EXISTS tessera;
-- Extensions live apart from the data schema, so a backup of schema tessera restores over itself cleanly.
CREATE SCHEMA IF NOT EXISTS tessera_ext;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA tessera_ext;
SET LOCAL search_path = tessera, pg_temp;

CREATE FUNCTION tessera.current_clinic() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('tessera.clinic_id', true), '')::uuid $$;
CREATE FUNCTION tessera.current_org() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('tessera.org_id', true), '')::uuid $$;
CREATE FUNCTION tessera.current_admin() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('tessera.admin_id', true), '')::uuid $$;
CREATE FUNCTION tessera.is_operator() RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('tessera.operator', true), '') = 'on' $$;

CREATE TABLE central_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO central_meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

CREATE TABLE orgs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clinics (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL,
  time_zone text NOT NULL,
  -- The clinic's change sequence: every stored change takes the next value, under this row's lock.
  change_seq bigint NOT NULL DEFAULT 0,
  -- The newest workstation schema seen here: older workstations are told to update.
  schema_high_water integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clinics_org ON clinics (org_id);

CREATE TABLE admins (
  id uuid PRIMARY KEY,
  org_id uuid REFERENCES orgs (id),
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  totp_secret text NOT NULL,
  totp_last_counter bigint,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE admin_sessions (
  token_hash text PRIMARY KEY,
  admin_id uuid NOT NULL REFERENCES admins (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  name text NOT NULL,
  workstation_id uuid NOT NULL,
  credential_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seen_at timestamptz,
  last_mutation_id bigint NOT NULL DEFAULT 0,
  schema_version integer,
  clock_skew_ms bigint
);
CREATE INDEX devices_clinic ON devices (clinic_id, workstation_id);

CREATE TABLE enrollment_codes (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  code_hash text NOT NULL UNIQUE,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid
);

-- The clinic's replicated rows, whatever their table: the current state as JSON, a stamp per changed field
-- (change sequence and origin) for per-field last-writer-wins, and the sequence of the row's last change.
CREATE TABLE replica_rows (
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  table_name text NOT NULL,
  row_id text NOT NULL,
  data jsonb NOT NULL,
  field_stamps jsonb NOT NULL DEFAULT '{}',
  created_seq bigint NOT NULL,
  created_by text NOT NULL,
  seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, table_name, row_id)
);
CREATE UNIQUE INDEX replica_rows_pull ON replica_rows (clinic_id, seq);

-- Append-only rows that flow up only (each workstation's hash-chained audit log).
CREATE TABLE replica_log (
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  table_name text NOT NULL,
  row_id text NOT NULL,
  device_id uuid,
  data jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, table_name, row_id)
);

-- Keys unique within a clinic (usernames, MRNs) across every workstation's writes.
CREATE TABLE replica_unique (
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  table_name text NOT NULL,
  key_name text NOT NULL,
  key_value text NOT NULL,
  row_id text NOT NULL,
  PRIMARY KEY (clinic_id, table_name, key_name, key_value)
);
CREATE INDEX replica_unique_row ON replica_unique (clinic_id, table_name, row_id);

-- Typed projection of bookings (appointments): one slot per booked resource (provider, room). The rule
-- "a resource is never booked twice at once" is a PostgreSQL exclusion constraint over the slots that are
-- not flagged: an overlap from two offline workstations can exist only with both bookings flagged
-- double-booked. Checked at commit, so a batch can flag and insert in either order.
CREATE TABLE booking_slots (
  clinic_id uuid NOT NULL REFERENCES clinics (id) ON UPDATE CASCADE,
  table_name text NOT NULL,
  row_id text NOT NULL,
  resource text NOT NULL,
  during tstzrange NOT NULL,
  -- Who placed the booking here (the origin of its time and resource fields): overlaps between two
  -- workstations are flagged for reception; one workstation's own (its rules already saw them) are not.
  origin text NOT NULL,
  flagged boolean NOT NULL DEFAULT false,
  PRIMARY KEY (clinic_id, table_name, row_id, resource),
  CONSTRAINT booking_slots_no_unflagged_overlap EXCLUDE USING gist (
    clinic_id WITH =, table_name WITH =, resource WITH =, during WITH &&
  ) WHERE (NOT flagged) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX booking_slots_overlap ON booking_slots USING gist (clinic_id, table_name, resource, during);

-- Row-level security: enabled and forced everywhere.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['central_meta', 'orgs', 'clinics', 'admins', 'admin_sessions', 'devices',
    'enrollment_codes', 'replica_rows', 'replica_log', 'replica_unique', 'booking_slots'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['devices', 'enrollment_codes', 'replica_rows', 'replica_log', 'replica_unique',
    'booking_slots'] LOOP
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;

CREATE POLICY read_all ON central_meta FOR SELECT TO PUBLIC USING (true);
CREATE POLICY scoped ON orgs TO PUBLIC
  USING (tessera.is_operator() OR id = tessera.current_org())
  WITH CHECK (tessera.is_operator());
CREATE POLICY scoped ON clinics TO PUBLIC
  USING (tessera.is_operator() OR org_id = tessera.current_org() OR id = tessera.current_clinic())
  WITH CHECK (tessera.is_operator() OR org_id = tessera.current_org() OR id = tessera.current_clinic());
CREATE POLICY self ON admins TO PUBLIC
  USING (id = tessera.current_admin()) WITH CHECK (id = tessera.current_admin());
CREATE POLICY self ON admin_sessions TO PUBLIC
  USING (admin_id = tessera.current_admin()) WITH CHECK (admin_id = tessera.current_admin());

-- Look-ups that must happen before a tenant is known. Each returns only what authentication needs.
CREATE FUNCTION tessera.device_by_credential(p_hash text)
  RETURNS TABLE (device_id uuid, clinic_id uuid, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT id, clinic_id, revoked_at FROM tessera.devices WHERE credential_hash = p_hash $$;

CREATE FUNCTION tessera.enrollment_code_lookup(p_hash text)
  RETURNS TABLE (code_id uuid, clinic_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT id, clinic_id FROM tessera.enrollment_codes
        WHERE code_hash = p_hash AND used_at IS NULL AND expires_at > now() $$;

CREATE FUNCTION tessera.admin_for_sign_in(p_username text)
  RETURNS TABLE (admin_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT id FROM tessera.admins WHERE username = p_username $$;

CREATE FUNCTION tessera.admin_by_session(p_hash text)
  RETURNS TABLE (admin_id uuid, org_id uuid, username text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT a.id, a.org_id, a.username FROM tessera.admin_sessions s JOIN tessera.admins a ON a.id = s.admin_id
        WHERE s.token_hash = p_hash AND s.ended_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL $$;

-- The first workstation enrolled into a clinic that holds nothing yet brings its records, and with them
-- the clinic id it was set up with: the clinic takes that id. Refused once anything else is there.
CREATE FUNCTION tessera.claim_empty_clinic(p_clinic uuid, p_new_id uuid)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$
  BEGIN
    IF current_setting('tessera.clinic_id', true) IS DISTINCT FROM p_clinic::text THEN
      RAISE EXCEPTION 'claim outside the clinic''s own transaction';
    END IF;
    IF EXISTS (SELECT 1 FROM tessera.clinics WHERE id = p_new_id) THEN RETURN false; END IF;
    IF EXISTS (SELECT 1 FROM tessera.devices WHERE clinic_id = p_clinic)
       OR EXISTS (SELECT 1 FROM tessera.replica_rows WHERE clinic_id = p_clinic
                  AND NOT (table_name = 'clinic_settings' AND created_by = 'central'))
       OR EXISTS (SELECT 1 FROM tessera.replica_log WHERE clinic_id = p_clinic) THEN
      RETURN false;
    END IF;
    -- What central wrote at creation (name and time zone) gives way to the workstation's own settings.
    DELETE FROM tessera.replica_rows WHERE clinic_id = p_clinic;
    DELETE FROM tessera.replica_unique WHERE clinic_id = p_clinic;
    UPDATE tessera.clinics SET id = p_new_id, change_seq = 0 WHERE id = p_clinic;
    RETURN true;
  END $$;

REVOKE ALL ON FUNCTION tessera.device_by_credential(text), tessera.enrollment_code_lookup(text),
  tessera.admin_for_sign_in(text), tessera.admin_by_session(text), tessera.claim_empty_clinic(uuid, uuid)
  FROM PUBLIC;
`;
