/**
 * Central schema: appointment requests from the portal (issue 11). Their rows are replica rows (table
 * appointment_requests; the patient's note and the clinic's reason are encrypted under the column key by the
 * replication policy). New here is how the portal finds a patient's own requests: by patient within the
 * clinic and table.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE INDEX replica_rows_appointment_requests ON replica_rows (clinic_id, table_name, (data->>'patientId'))
  WHERE table_name = 'appointment_requests';
`;
