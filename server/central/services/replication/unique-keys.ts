import { policyFor, type Row } from '../../../domain/sync/policies';
import type { Tx } from '../../db/pool';

/**
 * Keys unique within a clinic across workstations (a username made on two offline workstations): the
 * first row to reach central keeps the key; the second is refused and lands in the conflict inbox.
 */

interface KeyValue {
  table: string;
  keyName: string;
  keyValue: string;
}

const k = (table: string, keyName: string, keyValue: string) => `${table}\u0000${keyName}\u0000${keyValue}`;

export function keysOf(table: string, data: Row): KeyValue[] {
  const out: KeyValue[] = [];
  for (const key of policyFor(table).uniqueKeys) {
    if (key.liveOnly && data.deletedAt !== null && data.deletedAt !== undefined) continue;
    const values = key.fields.map((f) => data[f]);
    if (values.some((v) => v === null || v === undefined || v === '')) continue;
    out.push({ table, keyName: key.fields.join(','), keyValue: JSON.stringify(values) });
  }
  return out;
}

export class UniqueKeys {
  /** key -> owning row id, as loaded plus this batch's changes. */
  readonly #owner = new Map<string, string>();
  /** row -> its keys, to release old values when a key changes. */
  readonly #byRow = new Map<string, Map<string, KeyValue>>();
  readonly #upserts = new Map<string, KeyValue & { rowId: string }>();
  readonly #deletes = new Map<string, KeyValue>();

  /**
   * The owners of the keys these rows would take, and the keys the rows that are already stored hold (a
   * row not stored yet holds none: a bulk insert skips that look-up).
   */
  static async load(
    tx: Tx,
    clinicId: string,
    candidates: { table: string; rowId: string; data: Row; stored: boolean }[],
  ): Promise<UniqueKeys> {
    const u = new UniqueKeys();
    const wanted = candidates.flatMap((c) => keysOf(c.table, c.data));
    const rows = candidates.filter((c) => c.stored && policyFor(c.table).uniqueKeys.length > 0);
    if (!wanted.length && !rows.length) return u;
    const r = await tx.query<{ table_name: string; key_name: string; key_value: string; row_id: string }>(
      // Index probes, one per key (primary key) and one per row (replica_unique_row), each in a LATERAL
      // subquery that OFFSET 0 keeps from being flattened. An OR of two IN lists, or a join the planner turns
      // into a hash of the table, reads every key of the clinic on each push; and with statistics lagging
      // behind a bulk load the planner took the primary key for the row probe unless the probe names only
      // columns the primary key does not lead with (table_name is checked outside).
      `SELECT u.table_name, u.key_name, u.key_value, u.row_id
         FROM unnest($2::text[], $3::text[], $4::text[]) AS k(t, n, v)
         CROSS JOIN LATERAL (
           SELECT * FROM replica_unique x
            WHERE x.clinic_id = $1 AND x.table_name = k.t AND x.key_name = k.n AND x.key_value = k.v OFFSET 0
         ) u
       UNION
       SELECT u.table_name, u.key_name, u.key_value, u.row_id
         FROM unnest($5::text[], $6::text[]) AS k(t, id)
         CROSS JOIN LATERAL (
           SELECT * FROM replica_unique x WHERE x.clinic_id = $1 AND x.row_id = k.id OFFSET 0
         ) u
        WHERE u.table_name = k.t`,
      [
        clinicId,
        wanted.map((w) => w.table),
        wanted.map((w) => w.keyName),
        wanted.map((w) => w.keyValue),
        rows.map((c) => c.table),
        rows.map((c) => c.rowId),
      ],
    );
    for (const row of r.rows)
      u.#remember({ table: row.table_name, keyName: row.key_name, keyValue: row.key_value }, row.row_id);
    return u;
  }

  #remember(kv: KeyValue, rowId: string) {
    this.#owner.set(k(kv.table, kv.keyName, kv.keyValue), rowId);
    const rk = `${kv.table}\u0000${rowId}`;
    let m = this.#byRow.get(rk);
    if (!m) this.#byRow.set(rk, (m = new Map()));
    m.set(kv.keyName, kv);
  }

  /** The key name another row already holds, if this row's data would take it. */
  clash(table: string, rowId: string, data: Row): string | null {
    for (const kv of keysOf(table, data)) {
      const owner = this.#owner.get(k(kv.table, kv.keyName, kv.keyValue));
      if (owner !== undefined && owner !== rowId) return kv.keyName;
    }
    return null;
  }

  /** Record the row's keys after a stored change (release the values it no longer holds). */
  take(table: string, rowId: string, data: Row) {
    const rk = `${table}\u0000${rowId}`;
    const current = new Map(keysOf(table, data).map((kv) => [kv.keyName, kv]));
    for (const [name, old] of this.#byRow.get(rk) ?? []) {
      const now = current.get(name);
      if (now && now.keyValue === old.keyValue) continue;
      const ok = k(old.table, old.keyName, old.keyValue);
      if (this.#owner.get(ok) === rowId) {
        this.#owner.delete(ok);
        this.#upserts.delete(ok);
        this.#deletes.set(ok, old);
      }
    }
    this.#byRow.delete(rk);
    for (const kv of current.values()) {
      const key = k(kv.table, kv.keyName, kv.keyValue);
      this.#deletes.delete(key);
      this.#upserts.set(key, { ...kv, rowId });
      this.#remember(kv, rowId);
    }
  }

  /** The keys this batch released and took, for storeBatch (disjoint: a key is one or the other). */
  writes(): { released: string[][]; taken: string[][] } {
    return {
      released: [...this.#deletes.values()].map((d) => [d.table, d.keyName, d.keyValue]),
      taken: [...this.#upserts.values()].map((u) => [u.table, u.keyName, u.keyValue, u.rowId]),
    };
  }
}
