/**
 * Central schema: portal forms (issue 11). Their rows are replica rows (tables portal_forms,
 * portal_form_submissions, portal_demographic_changes; answers, signatures and proposed values are
 * encrypted under the column key by the replication policy). New here is how the portal finds a patient's
 * own rows of these tables: by patient within the clinic and table.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

CREATE INDEX replica_rows_portal_forms ON replica_rows (clinic_id, table_name, (data->>'patientId'))
  WHERE table_name IN ('portal_forms', 'portal_form_submissions', 'portal_demographic_changes');
`;
