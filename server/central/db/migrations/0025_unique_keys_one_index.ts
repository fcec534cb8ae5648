/**
 * Central schema version 25: `replica_unique` keeps its primary key as its only index.
 *
 * A push finds the owners of the keys its rows take, and of the keys their stored versions hold, by key
 * (replication/unique-keys.ts). Migration 0006 kept a second index by row for the second look-up, leading on
 * (clinic_id, row_id) so that, it reasoned, a key probe could not use it. It could: both indexes begin with
 * clinic_id, and PostgreSQL 18 also skips over row_id to reach table_name. Statistics gathered while a
 * clinic's keys were few (an autovacuum of a young table) price both indexes at one row, and the planner
 * probed each key through the row index, reading every key of the clinic for each one: a 10,000-patient
 * upload took 8–10 s instead of about 1 s, growing with every batch (docs/sync.md, "Throughput"). The keys
 * a stored row holds are now found from its stored values, so nothing looks keys up by row any more.
 */
export const sql = /* sql */ `
SET LOCAL search_path = tessera, pg_temp;

DROP INDEX replica_unique_row;
`;
