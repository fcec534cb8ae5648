import type { StoredRow } from '../../../domain/sync/merge';
import { policyFor, type Row } from '../../../domain/sync/policies';
import { ColumnCipher } from '../../crypto';
import type { Tx } from '../../db/pool';

/**
 * Loading and saving replica rows in bulk (one statement per batch, not per row), with the secret fields
 * a table's policy names encrypted on the way in and decrypted on the way out.
 */

export interface RowState {
  table: string;
  rowId: string;
  stored: StoredRow | null;
  /** Sequence of the row's last stored change (0: not stored yet). */
  seq: number;
  dirty: boolean;
  /**
   * Whether the row was in replica_rows when this batch loaded it. Every writer of a clinic's replica holds
   * the clinic row's lock (applyBatch), so a row not there then is stored with a plain INSERT.
   */
  inDb?: boolean;
}

export const rowKey = (table: string, rowId: string) => `${table}\u0000${rowId}`;

const place = (clinicId: string, table: string, rowId: string, field: string) =>
  `${clinicId}/${table}/${rowId}/${field}`;

export function decryptRow(
  cipher: ColumnCipher,
  clinicId: string,
  table: string,
  rowId: string,
  data: Row,
): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return data;
  const out = { ...data };
  for (const f of fields) {
    const v = out[f];
    if (ColumnCipher.isEncrypted(v)) out[f] = cipher.decrypt(v as string, place(clinicId, table, rowId, f));
  }
  return out;
}

export function encryptRow(
  cipher: ColumnCipher,
  clinicId: string,
  table: string,
  rowId: string,
  data: Row,
): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return data;
  const out = { ...data };
  for (const f of fields) {
    const v = out[f];
    if (typeof v === 'string') out[f] = cipher.encrypt(v, place(clinicId, table, rowId, f));
  }
  return out;
}

export async function loadRows(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  keys: { table: string; rowId: string }[],
): Promise<Map<string, RowState>> {
  const states = new Map<string, RowState>();
  for (const k of keys) states.set(rowKey(k.table, k.rowId), { ...k, stored: null, seq: 0, dirty: false });
  if (!keys.length) return states;
  // One scan of the primary key per table for all its ids (`= ANY`), not a probe per id: with statistics
  // gathered while the clinic was young, the planner may read the clinic through the pull index
  // (clinic, seq) instead, and then does so once for the batch rather than once for every id.
  const byTable = new Map<string, string[]>();
  for (const k of keys) {
    const ids = byTable.get(k.table);
    if (ids) ids.push(k.rowId);
    else byTable.set(k.table, [k.rowId]);
  }
  const params: unknown[] = [clinicId];
  const scans = [...byTable].map(([table, ids]) => {
    params.push(table, ids);
    return `SELECT table_name, row_id, data, field_stamps, created_seq, created_by, seq FROM replica_rows
             WHERE clinic_id = $1 AND table_name = $${params.length - 1} AND row_id = ANY ($${params.length}::text[])`;
  });
  const r = await tx.query<{
    table_name: string;
    row_id: string;
    data: Row;
    field_stamps: StoredRow['fieldStamps'];
    created_seq: number;
    created_by: string;
    seq: number;
  }>(scans.join(' UNION ALL '), params);
  for (const row of r.rows) {
    states.set(rowKey(row.table_name, row.row_id), {
      table: row.table_name,
      rowId: row.row_id,
      stored: {
        data: decryptRow(cipher, clinicId, row.table_name, row.row_id, row.data),
        fieldStamps: row.field_stamps,
        created: [row.created_seq, row.created_by],
      },
      seq: row.seq,
      dirty: false,
      inDb: true,
    });
  }
  return states;
}

/**
 * The dirty rows of a batch, as two lists of positional tuples `[table, rowId, data, fieldStamps,
 * createdSeq, createdBy, seq]` (secret fields encrypted): rows new to the replica and rows it holds.
 * They go to PostgreSQL inside one JSON document (see storeBatchSql): one jsonb parse of the whole
 * batch costs a fraction of a `jsonb[]` parameter (an array literal, every quote escaped, parsed, then
 * each element parsed as JSON).
 */
export function rowsToSave(
  cipher: ColumnCipher,
  clinicId: string,
  states: Iterable<RowState>,
): { fresh: unknown[][]; stored: unknown[][] } {
  const fresh: unknown[][] = [];
  const stored: unknown[][] = [];
  for (const st of states) {
    if (!st.dirty || !st.stored) continue;
    (st.inDb ? stored : fresh).push([
      st.table,
      st.rowId,
      encryptRow(cipher, clinicId, st.table, st.rowId, st.stored.data),
      st.stored.fieldStamps,
      st.stored.created[0],
      st.stored.created[1],
      st.seq,
    ]);
    st.dirty = false;
    st.inDb = true;
  }
  return { fresh, stored };
}

/** SELECT list reading one `rowsToSave` tuple `e` out of the batch document. */
export const ROW_TUPLE_COLUMNS = `e->>0, e->>1, e->2, e->3, (e->>4)::bigint, e->>5, (e->>6)::bigint`;
