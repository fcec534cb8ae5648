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
  const r = await tx.query<{
    table_name: string;
    row_id: string;
    data: Row;
    field_stamps: StoredRow['fieldStamps'];
    created_seq: number;
    created_by: string;
    seq: number;
  }>(
    // One primary-key probe per key (LATERAL; OFFSET 0 keeps the planner from flattening it): a plain join
    // is planned as a hash of the whole clinic's replica whenever the statistics lag behind a bulk load,
    // which makes every push batch cost as much as the clinic is large.
    `SELECT r.table_name, r.row_id, r.data, r.field_stamps, r.created_seq, r.created_by, r.seq
       FROM unnest($2::text[], $3::text[]) AS k(t, id)
       CROSS JOIN LATERAL (
         SELECT * FROM replica_rows x WHERE x.clinic_id = $1 AND x.table_name = k.t AND x.row_id = k.id OFFSET 0
       ) r`,
    [clinicId, keys.map((k) => k.table), keys.map((k) => k.rowId)],
  );
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
    });
  }
  return states;
}

export async function saveRows(
  tx: Tx,
  cipher: ColumnCipher,
  clinicId: string,
  states: Iterable<RowState>,
): Promise<number> {
  const t: string[] = [];
  const r: string[] = [];
  const d: string[] = [];
  const f: string[] = [];
  const cs: number[] = [];
  const cb: string[] = [];
  const s: number[] = [];
  for (const st of states) {
    if (!st.dirty || !st.stored) continue;
    t.push(st.table);
    r.push(st.rowId);
    d.push(JSON.stringify(encryptRow(cipher, clinicId, st.table, st.rowId, st.stored.data)));
    f.push(JSON.stringify(st.stored.fieldStamps));
    cs.push(st.stored.created[0]);
    cb.push(st.stored.created[1]);
    s.push(st.seq);
    st.dirty = false;
  }
  if (!t.length) return 0;
  await tx.query(
    `INSERT INTO replica_rows (clinic_id, table_name, row_id, data, field_stamps, created_seq, created_by, seq)
     SELECT $1, k.t, k.r, k.d, k.f, k.cs, k.cb, k.s
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bigint[], $7::text[], $8::bigint[])
         AS k(t, r, d, f, cs, cb, s)
     ON CONFLICT (clinic_id, table_name, row_id) DO UPDATE
       SET data = EXCLUDED.data, field_stamps = EXCLUDED.field_stamps, seq = EXCLUDED.seq, updated_at = now()`,
    [clinicId, t, r, d, f, cs, cb, s],
  );
  return t.length;
}
