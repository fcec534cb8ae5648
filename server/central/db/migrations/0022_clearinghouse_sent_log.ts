/**
 * Central schema: the HTTPS clearinghouse's sent log, and the outcome of the last poll attempt (issue 9;
 * docs/claims-inbound.md, "Sent log").
 *
 * - clearinghouse_sent: every file central handed to a clearinghouse API, by clinic and file name, with its
 *   SHA-256, when, and the API's answer as a sentence (e.g. its control number). An API cannot be asked
 *   whether it already holds a file, so this log is what makes a retry after a lost commit answer
 *   "already uploaded" instead of submitting the claims twice. It is written in its own transaction the
 *   moment the API took the file, before the transmission row's transaction commits. No file content.
 * - clearinghouse_polls: a failed poll is kept too (when, and the reason as a sentence) so the console shows
 *   the last attempt's result beside the last completed poll; `last_poll_at` is null until one completes.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE TABLE clearinghouse_sent (
  clinic_id uuid NOT NULL REFERENCES clinics (id),
  file_name text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  sent_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  PRIMARY KEY (clinic_id, file_name)
);

ALTER TABLE clearinghouse_polls
  ALTER COLUMN last_poll_at DROP NOT NULL,
  ADD COLUMN last_attempt_at timestamptz,
  ADD COLUMN last_error text;
UPDATE clearinghouse_polls SET last_attempt_at = last_poll_at;

ALTER TABLE clearinghouse_sent ENABLE ROW LEVEL SECURITY;
ALTER TABLE clearinghouse_sent FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON clearinghouse_sent TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY tenant ON clearinghouse_sent TO PUBLIC
  USING (clinic_id = tessera.current_clinic() OR tessera.is_operator())
  WITH CHECK (clinic_id = tessera.current_clinic());
`;
