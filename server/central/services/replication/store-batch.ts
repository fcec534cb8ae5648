import type { Tx } from '../../db/pool';
import { ROW_TUPLE_COLUMNS } from './row-store';
import { byKeyName } from './unique-keys';

/**
 * Everything a batch writes, in one statement and one JSON document (docs/sync.md, "Throughput").
 *
 * A push batch used to end with four to six statements (rows, unique keys, audit entries, the clinic's
 * head, the device's count), each a round trip, which on a busy machine costs more than most of them; and
 * its rows travelled as `jsonb[]` parameters (an array literal with every quote escaped, parsed, then each
 * element parsed as JSON), three times the cost of parsing the same rows as one JSON document. Here the
 * writes are data-modifying CTEs of one statement reading one `jsonb` parameter. Their keys are disjoint
 * (a row is either new or stored; a unique key is either released or taken), which is what CTEs of one
 * statement need: they share one snapshot and do not see each other's rows. The final SELECT reads them in
 * the order the separate statements ran (rows, keys, audit entries, head, device).
 *
 * Rows new to the replica are plain INSERTs (no speculative insertion): every writer of a clinic's replica
 * holds the clinic row's lock while it loads and stores rows (applyBatch), so a row that was not there
 * when the batch loaded cannot appear before it stores. Should that rule ever break, the INSERT fails on
 * the primary key and the whole batch rolls back; nothing is overwritten.
 */
export interface BatchWrites {
  clinicId: string;
  rows: { fresh: unknown[][]; stored: unknown[][] };
  /** Unique keys released `[table, key, value]` and taken `[table, key, value, rowId]`. */
  keys: { released: string[][]; taken: string[][] };
  /** Append-only rows that flow up (audit entries): `[table, rowId, data]`. */
  log: { deviceId: string | null; entries: unknown[][] };
  /** The clinic's new change sequence (announced to every API node's live channel at commit), if it moved. */
  head: number | null;
  /** A device's count of applied mutations (a push), stored with its batch. */
  device: { id: string; lastMutationId: number; clockSkewMs: number | null } | null;
}

export async function storeBatch(tx: Tx, w: BatchWrites): Promise<void> {
  const params: unknown[] = [w.clinicId];
  const p = (v: unknown) => `$${params.push(v)}`;
  const doc: Record<string, unknown[]> = {};
  const ctes: string[] = [];
  const from = (name: string, list: unknown[]) => {
    doc[name] = list;
    return `FROM doc, jsonb_array_elements(doc.j->'${name}') e`;
  };
  const cols = 'clinic_id, table_name, row_id, data, field_stamps, created_seq, created_by, seq';
  if (w.rows.fresh.length)
    ctes.push(`fresh AS (
      INSERT INTO replica_rows (${cols}) SELECT $1, ${ROW_TUPLE_COLUMNS} ${from('fresh', w.rows.fresh)}
      RETURNING 1)`);
  if (w.rows.stored.length)
    ctes.push(`stored AS (
      INSERT INTO replica_rows (${cols}) SELECT $1, ${ROW_TUPLE_COLUMNS} ${from('stored', w.rows.stored)}
      ON CONFLICT (clinic_id, table_name, row_id) DO UPDATE
        SET data = EXCLUDED.data, field_stamps = EXCLUDED.field_stamps, seq = EXCLUDED.seq, updated_at = now()
      RETURNING 1)`);
  // Grouped by table and key name, each group deleted through the primary key, all its values in one
  // `= ANY` (UniqueKeys.load finds keys the same way). As a semi-join, statistics gathered while the clinic
  // was young made the planner hash every key of the clinic; found key by key through the batch document,
  // PostgreSQL 15 applied only the clinic to the index and read all its keys for each one. One statement
  // per group: an OR of groups may again be planned as one read of the clinic.
  byKeyName(w.keys.released).forEach((g, i) =>
    ctes.push(`released${i} AS (
      DELETE FROM replica_unique
       WHERE clinic_id = $1 AND table_name = ${p(g.table)} AND key_name = ${p(g.keyName)}
         AND key_value = ANY (${p(g.values)}::text[])
      RETURNING 1)`),
  );
  if (w.keys.taken.length)
    ctes.push(`taken AS (
      INSERT INTO replica_unique (clinic_id, table_name, key_name, key_value, row_id)
      SELECT $1, e->>0, e->>1, e->>2, e->>3 ${from('taken', w.keys.taken)}
      ON CONFLICT (clinic_id, table_name, key_name, key_value) DO UPDATE SET row_id = EXCLUDED.row_id
      RETURNING 1)`);
  if (w.log.entries.length)
    ctes.push(`logged AS (
      INSERT INTO replica_log (clinic_id, table_name, row_id, device_id, data)
      SELECT $1, e->>0, e->>1, ${p(w.log.deviceId)}::uuid, e->2 ${from('logged', w.log.entries)}
      ON CONFLICT (clinic_id, table_name, row_id) DO NOTHING
      RETURNING 1)`);
  if (w.head !== null)
    ctes.push(`head AS (
      UPDATE clinics SET change_seq = ${p(w.head)} WHERE id = $1
      RETURNING pg_notify('tessera_changes', ${p(`${w.clinicId}:${w.head}`)}))`);
  if (w.device)
    ctes.push(`device AS (
      UPDATE devices SET last_mutation_id = ${p(w.device.lastMutationId)}, last_seen_at = now(),
        clock_skew_ms = coalesce(${p(w.device.clockSkewMs === null ? null : Math.round(w.device.clockSkewMs))}::bigint, clock_skew_ms)
      WHERE id = ${p(w.device.id)} AND clinic_id = $1
      RETURNING 1)`);
  if (!ctes.length) return;
  if (w.head !== null) tx.movedHead(w.clinicId, w.head);
  const names = ctes.map((c) => c.slice(0, c.indexOf(' ')));
  const docParam = p(JSON.stringify(doc));
  await tx.query(
    `WITH doc AS MATERIALIZED (SELECT ${docParam}::jsonb AS j),
     ${ctes.join(',\n     ')}
     SELECT ${names.map((n) => `(SELECT count(*) FROM ${n}) AS ${n}`).join(', ')}`,
    params,
  );
}
