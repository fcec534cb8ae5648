/**
 * Central schema: Twilio status callbacks applied in their room's order (issue 10). Callbacks are separate
 * HTTP requests and can arrive out of order (a disconnect before its connect); each event now keeps its
 * room, participant and SequenceNumber so an older event that arrives late changes no state a newer one set.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

ALTER TABLE telehealth_provider_events ADD COLUMN room_sid text;
ALTER TABLE telehealth_provider_events ADD COLUMN participant_id uuid;
ALTER TABLE telehealth_provider_events ADD COLUMN sequence bigint;
CREATE INDEX telehealth_provider_events_order ON telehealth_provider_events (clinic_id, session_id, room_sid, sequence);
`;
