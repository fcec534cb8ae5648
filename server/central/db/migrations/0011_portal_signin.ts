/**
 * Central schema: more ways to sign in to the patient portal (issue 11).
 * - Passkeys (WebAuthn) as the second factor, beside or instead of the authenticator app: the credential's
 *   id, public key (COSE) and signature counter; one credential belongs to one account.
 * - E-mailed single-use sign-in links (only their SHA-256 stored, valid minutes), for convenience: a session
 *   they start has no second factor yet (`second_factor_at` NULL), and central asks for one before the
 *   entries marked step-up (downloads, payment methods, proxy changes, adding a passkey).
 * - WebAuthn challenges are issued without a table (sealed under the column key, see passkeys.ts); the ones
 *   used are recorded here so that a response can never be replayed while its challenge is still valid.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE portal_sessions ADD COLUMN second_factor_at timestamptz;
ALTER TABLE portal_sessions ADD COLUMN via text NOT NULL DEFAULT 'totp'
  CHECK (via IN ('totp', 'passkey', 'link'));
-- Sessions before this migration were all started with password + code.
UPDATE portal_sessions SET second_factor_at = created_at;

CREATE TABLE portal_passkeys (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  account_id uuid NOT NULL,
  -- base64url credential id as the authenticator returns it
  credential_id text NOT NULL,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  -- the name the patient gave it ('' : none; the page calls it "Passkey" with the date it was added)
  name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  PRIMARY KEY (clinic_id, id),
  FOREIGN KEY (clinic_id, account_id) REFERENCES portal_accounts (clinic_id, id)
);
CREATE UNIQUE INDEX portal_passkeys_credential ON portal_passkeys (clinic_id, credential_id);
CREATE INDEX portal_passkeys_account ON portal_passkeys (clinic_id, account_id);

CREATE TABLE portal_sign_in_links (
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
CREATE UNIQUE INDEX portal_sign_in_links_token ON portal_sign_in_links (clinic_id, token_hash);
CREATE INDEX portal_sign_in_links_account ON portal_sign_in_links (clinic_id, account_id, created_at);

-- A WebAuthn challenge is good for one response: its hash is kept until it would have expired anyway.
CREATE TABLE portal_webauthn_used (
  clinic_id uuid NOT NULL,
  challenge_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, challenge_hash)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['portal_passkeys', 'portal_sign_in_links', 'portal_webauthn_used'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;
`;
