/**
 * Central schema: telehealth (issue 10). Central owns each video visit's live state: one session per
 * appointment (while open), its participants with their admission state, the join links, the chat, and a
 * short-lived queue of WebRTC signaling messages for the direct provider. The visit's record (session,
 * events, chat) is also written as replicated rows (replica_rows) for the clinic's workstations.
 *
 * Row-level security: tenant tables like the others (clinic_id = the transaction's clinic). A join link or
 * a participant credential names its clinic; central looks it up only inside that tenant.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE telehealth_sessions (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  id uuid NOT NULL,
  appointment_id uuid NOT NULL,
  provider text NOT NULL CHECK (provider IN ('twilio', 'direct')),
  status text NOT NULL CHECK (status IN ('open', 'ended')),
  mode text NOT NULL CHECK (mode IN ('video', 'audio_only')),
  host_user_id uuid NOT NULL,
  host_name text NOT NULL,
  starts_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  ended_at timestamptz,
  audio_only_at timestamptz,
  audio_only_reason text,
  patient_location text,
  location_confirmed_at timestamptz,
  PRIMARY KEY (clinic_id, id)
);
-- One open session per appointment.
CREATE UNIQUE INDEX telehealth_sessions_open ON telehealth_sessions (clinic_id, appointment_id) WHERE status = 'open';

CREATE TABLE telehealth_participants (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('host', 'patient', 'guest')),
  display_name text NOT NULL,
  state text NOT NULL CHECK (state IN ('invited', 'waiting', 'admitted', 'connected', 'left', 'denied', 'removed')),
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  waiting_since timestamptz,
  denied_message text,
  -- SHA-256 of the current participant credential (patients and guests); a new join replaces it.
  credential_hash text,
  user_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id),
  FOREIGN KEY (clinic_id, session_id) REFERENCES telehealth_sessions (clinic_id, id)
);
CREATE INDEX telehealth_participants_session ON telehealth_participants (clinic_id, session_id);
CREATE UNIQUE INDEX telehealth_participants_credential ON telehealth_participants (clinic_id, credential_hash)
  WHERE credential_hash IS NOT NULL;

CREATE TABLE telehealth_links (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  participant_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('patient', 'guest')),
  opens_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('replaced', 'removed', 'denied')),
  PRIMARY KEY (clinic_id, id),
  FOREIGN KEY (clinic_id, participant_id) REFERENCES telehealth_participants (clinic_id, id)
);

CREATE TABLE telehealth_chat (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  participant_id uuid NOT NULL,
  sender_role text NOT NULL,
  sender_name text NOT NULL,
  body text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id)
);
CREATE INDEX telehealth_chat_session ON telehealth_chat (clinic_id, session_id, sent_at);

-- Signaling messages in flight (direct provider): read by the recipient's stream, pruned after minutes.
CREATE TABLE telehealth_signals (
  clinic_id uuid NOT NULL,
  id uuid NOT NULL,
  session_id uuid NOT NULL,
  from_id uuid NOT NULL,
  to_id uuid NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, id)
);
CREATE INDEX telehealth_signals_age ON telehealth_signals (clinic_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['telehealth_sessions', 'telehealth_participants', 'telehealth_links',
    'telehealth_chat', 'telehealth_signals'] LOOP
    EXECUTE format('ALTER TABLE tessera.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE tessera.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY owner_all ON tessera.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
    EXECUTE format('CREATE POLICY tenant ON tessera.%I TO PUBLIC USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic())', t);
  END LOOP;
END $$;
`;
