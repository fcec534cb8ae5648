/**
 * Central schema: secure messages and questionnaires of the portal (issue 11). Their rows are replica rows
 * (tables portal_threads, portal_messages, questionnaire_assignments, questionnaire_responses; the text is
 * encrypted under the column key by the replication policy), so what is new here is how the portal finds a
 * patient's own rows: by patient within the clinic and table, and a thread's messages by thread. Every
 * portal read is scoped to the session's patient through these indexes.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE INDEX replica_rows_portal_patient ON replica_rows (clinic_id, table_name, (data->>'patientId'))
  WHERE table_name IN ('portal_threads', 'portal_messages', 'questionnaire_assignments',
    'questionnaire_responses', 'appointments');
CREATE INDEX replica_rows_portal_thread ON replica_rows (clinic_id, (data->>'threadId'))
  WHERE table_name = 'portal_messages';
`;
