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
   * The owners of the keys these rows would take, and of the keys their stored versions hold (`stored`: the
   * row as central has it, null when it is new). Both are found by key, so a row's keys are found through its
   * stored values: a key a row holds always has the value its stored data gives (take() releases a value the
   * row no longer has, and a change that would take a value someone else holds is refused).
   */
  static async load(
    tx: Tx,
    clinicId: string,
    candidates: { table: string; data: Row; stored: Row | null }[],
  ): Promise<UniqueKeys> {
    const u = new UniqueKeys();
    const wanted = new Map<string, KeyValue>();
    for (const c of candidates) {
      for (const kv of keysOf(c.table, c.data)) wanted.set(k(kv.table, kv.keyName, kv.keyValue), kv);
      if (c.stored)
        for (const kv of keysOf(c.table, c.stored)) wanted.set(k(kv.table, kv.keyName, kv.keyValue), kv);
    }
    if (!wanted.size) return u;
    // Grouped by table and key name, each group one scan of the primary key for all its values (`= ANY`):
    // a probe per key (a LATERAL subquery) cost about three times as much. The primary key is the table's
    // only index (central migration 0025), so no statistics, however stale, can steer the scan onto an
    // index that would read every key of the clinic.
    const params: unknown[] = [clinicId];
    const scans = byKeyName([...wanted.values()].map((w) => [w.table, w.keyName, w.keyValue])).map((g) => {
      params.push(g.table, g.keyName, g.values);
      const n = params.length;
      return `SELECT table_name, key_name, key_value, row_id FROM replica_unique
               WHERE clinic_id = $1 AND table_name = $${n - 2} AND key_name = $${n - 1} AND key_value = ANY ($${n}::text[])`;
    });
    const r = await tx.query<{ table_name: string; key_name: string; key_value: string; row_id: string }>(
      scans.join(' UNION ALL '),
      params,
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

/** Unique-key values of one table and key name. */
export interface KeyGroup {
  table: string;
  keyName: string;
  values: string[];
}

/** `[table, key name, value]` triples grouped by table and key name. */
export function byKeyName(keys: Iterable<readonly string[]>): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (const [table, keyName, value] of keys) {
    const id = `${table}\u0000${keyName}`;
    const g = groups.get(id);
    if (g) g.values.push(value!);
    else groups.set(id, { table: table!, keyName: keyName!, values: [value!] });
  }
  return [...groups.values()];
}
