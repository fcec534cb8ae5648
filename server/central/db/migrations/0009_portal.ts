/**
 * Central schema: the patient portal (issue 11). Portal accounts live only at central (workstations never
 * hold patient credentials): one account per patient or per proxy (a guardian acting for a minor, with the
 * relationship and the scope staff granted), single-use invitations, sessions, and the account's activity
 * history (which the clinic reads as its portal audit log).
 *
 * Tokens (invitations, sessions) are `<clinicId>.<random>` and only their SHA-256 is stored, so central
 * finds a token's tenant before any lookup and looks it up inside that tenant only. Sign-in by e-mail is the
 * one lookup across clinics: a narrow SECURITY DEFINER function answers (clinic, account) for an e-mail hash.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE portal_accounts (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  id uuid NOT NULL,
  patient_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('self', 'proxy')),
  -- proxy only: who acts for the patient, how they are related, what they may see and do
  proxy_name text,
  relationship text,
  scope text[] NOT NULL DEFAULT '{}',
  -- e-mail encrypted under the column key; its SHA-256 (lower-cased) for the sign-in lookup
  email_enc text NOT NULL,
  email_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('invited', 'active', 'revoked')),
  password_hash_enc text,
  totp_secret_enc text,
  totp_last_step bigint,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  last_sign_in_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid,
  PRIMARY KEY (clinic_id, id),
  CHECK (kind = 'self' OR (proxy_name IS NOT NULL AND relationship IS NOT NULL))
);
-- One live account per e-mail in a clinic (so sign-in by e-mail is unambiguous within it).
CREATE UNIQUE INDEX portal_accounts_email ON portal_accounts (clinic_id, email_hash) WHERE status <> 'revoked';
CREATE INDEX portal_accounts_patient ON portal_accounts (clinic_id, patient_id);

CREATE TABLE portal_invitations (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id),
  FOREIGN KEY (clinic_id, account_id) REFERENCES portal_accounts (clinic_id, id)
);
CREATE UNIQUE INDEX portal_invitations_token ON portal_invitations (clinic_id, token_hash);

CREATE TABLE portal_sessions (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (clinic_id, id),
  FOREIGN KEY (clinic_id, account_id) REFERENCES portal_accounts (clinic_id, id)
);
CREATE UNIQUE INDEX portal_sessions_token ON portal_sessions (clinic_id, token_hash);

-- Append-only: what happened to and through an account (the patient's activity history; the clinic's
-- portal audit log). Actor: the account, or a staff member (invite, revoke).
CREATE TABLE portal_activity (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('ok', 'refused')),
  staff_user_id uuid,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id)
);
CREATE INDEX portal_activity_account ON portal_activity (clinic_id, account_id, at);
CREATE INDEX portal_activity_patient ON portal_activity (clinic_id, patient_id, at);

-- Per clinic: how close to the start a patient may still cancel in the portal.
CREATE TABLE portal_settings (
  clinic_id uuid PRIMARY KEY REFERENCES clinics (id),
  cancel_window_hours integer NOT NULL DEFAULT 24 CHECK (cancel_window_hours BETWEEN 0 AND 336)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['portal_accounts', 'portal_invitations', 'portal_sessions', 'portal_activity',
    'portal_settings'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;

-- The one lookup before a tenant is known: which clinics hold a live account for this e-mail.
CREATE FUNCTION tessera.portal_accounts_for_sign_in(p_email_hash text)
  RETURNS TABLE (clinic_id uuid, account_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT clinic_id, id FROM tessera.portal_accounts WHERE email_hash = p_email_hash AND status = 'active' $$;
REVOKE ALL ON FUNCTION tessera.portal_accounts_for_sign_in(text) FROM PUBLIC;
`;
