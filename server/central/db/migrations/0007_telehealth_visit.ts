/**
 * Central schema: telehealth visit facts for billing and the provider's own account of the room (issue 10).
 * - `patient_at_home`: where the patient confirmed they are at the start (true: home → place of service 10;
 *   false: elsewhere → 02); null until confirmed, so nothing is assumed.
 * - `room_sid`, `room_duration_seconds`: from Twilio's room status callbacks (room-ended carries the length).
 * - `connected_seconds` per participant: the sum of Twilio's ParticipantDuration over their connections.
 * - `telehealth_provider_events`: each status callback applied once (Twilio retries on a non-2xx or a time-out
 *   and may deliver twice): the key is stored in the same transaction as its effects.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE telehealth_sessions ADD COLUMN patient_at_home boolean;
ALTER TABLE telehealth_sessions ADD COLUMN room_sid text;
ALTER TABLE telehealth_sessions ADD COLUMN room_duration_seconds integer;
ALTER TABLE telehealth_participants ADD COLUMN connected_seconds integer NOT NULL DEFAULT 0;

CREATE TABLE telehealth_provider_events (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  event_key text NOT NULL,
  session_id uuid NOT NULL,
  kind text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (clinic_id, event_key)
);

ALTER TABLE telehealth_provider_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE telehealth_provider_events FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON telehealth_provider_events TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant ON telehealth_provider_events TO PUBLIC
  USING (clinic_id = tessera.current_clinic()) WITH CHECK (clinic_id = tessera.current_clinic());
`;
