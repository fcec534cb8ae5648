/**
 * Central schema version 6: replication's look-ups stay index probes whatever the planner's statistics
 * say (docs/sync.md, "Throughput").
 *
 * A push looks up each mutation's unique keys (by key, the primary key) and the keys its row already
 * holds (by row). With replica_unique_row leading on (clinic_id, table_name) both indexes looked equally
 * good to a planner whose statistics lag behind a bulk load (a freshly joined clinic), and it probed the
 * key look-up through the row index, reading every key of the clinic for each mutation. Leading on row_id
 * makes that index useless for a key look-up, so the primary key is always taken.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

DROP INDEX replica_unique_row;
CREATE INDEX replica_unique_row ON replica_unique (clinic_id, row_id, table_name);
`;
