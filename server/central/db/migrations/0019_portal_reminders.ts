/**
 * Central schema: appointment reminders (issue 11; docs/portal.md, "Reminders"). The policy is a clinic
 * setting that replicates from the workstations; what central keeps is its own:
 *
 * - reminder_sends: one row per (appointment, its start, hours before, channel), written in the same
 *   transaction that sends it. The unique key is the idempotency: a second central node inserting the same
 *   reminder waits for the first's transaction and then inserts nothing; a node that dies mid-send rolls
 *   its row back, so the reminder goes on the next run. `recipient_hash` (SHA-256 of the E.164 number or
 *   the lower-cased e-mail) finds the patient when Twilio forwards a STOP; the address itself is not kept.
 * - reminder_links: the single-use confirm / cancel / unsubscribe links (only the token's SHA-256).
 * - reminder_opt_outs: per patient and channel; shown on the patient record through portal access.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE reminder_sends (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  id uuid NOT NULL,
  appointment_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  hours_before integer NOT NULL CHECK (hours_before BETWEEN 1 AND 336),
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  status text NOT NULL CHECK (status IN ('sent', 'failed')),
  recipient_hash text NOT NULL,
  provider_ref text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id),
  UNIQUE (clinic_id, appointment_id, starts_at, hours_before, channel)
);
CREATE INDEX reminder_sends_patient ON reminder_sends (clinic_id, patient_id, created_at);
CREATE INDEX reminder_sends_sms_recipient ON reminder_sends (recipient_hash) WHERE channel = 'sms';

CREATE TABLE reminder_links (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  token_hash text NOT NULL,
  appointment_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  action text NOT NULL CHECK (action IN ('confirm', 'cancel', 'unsubscribe')),
  starts_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  opened_at timestamptz,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, token_hash)
);

CREATE TABLE reminder_opt_outs (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  patient_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  source text NOT NULL CHECK (source IN ('sms_stop', 'email_link', 'sms_refused')),
  at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, patient_id, channel)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reminder_sends', 'reminder_links', 'reminder_opt_outs'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;

-- Twilio's inbound webhook names a phone number, not a clinic: which clinics' patients were texted from
-- this number's hash. The one look-up before a tenant is known; it answers ids only.
CREATE FUNCTION tessera.reminder_sms_recipients(p_hash text)
  RETURNS TABLE (clinic_id uuid, patient_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = tessera, pg_temp
  AS $$ SELECT DISTINCT clinic_id, patient_id FROM tessera.reminder_sends WHERE channel = 'sms' AND recipient_hash = p_hash $$;
REVOKE ALL ON FUNCTION tessera.reminder_sms_recipients(text) FROM PUBLIC;
`;
