import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SqliteDatabase } from './open';

type Statement = ReturnType<SqliteDatabase['prepare']>;
type Row = Record<string, unknown>;

interface TableShape {
  name: string;
  /** [field name, column] in the table's column order, as drizzle builds its statements. */
  fields: [string, Column][];
  /** Statements by the set of fields they write (a bit string over `fields`). */
  inserts: Map<string, Statement>;
  updates: Map<string, Statement>;
  byId: Statement | null;
  /** The SQL name of the `id` field's column. */
  idColumn: string;
}

/** What `outbox_seen_seq` (0005) stamps: the sync cursor once enrolled and the first download is done. */
const SEEN_SEQ = `(SELECT CASE WHEN device_id IS NULL OR initial_done = 0 THEN NULL ELSE cursor END FROM sync_state WHERE id = 1)`;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * True for a value drizzle would hand to the driver through its column mapping alone. Anything else (an
 * `sql` fragment, a placeholder) is left to drizzle's builder, which knows how to embed it.
 */
const plain = (v: unknown) => v === null || typeof v !== 'object' || v instanceof Date || Buffer.isBuffer(v);

/**
 * The write path's SQL, prepared once per table and row shape (docs/architecture.md, "Store.write").
 * Building a drizzle query and preparing it cost far more than running it: SQLite compiles every trigger
 * and foreign key of the table into each INSERT it prepares, about half a millisecond for the ledger's
 * tables, on every row written. These statements say exactly what drizzle's builder says for the same
 * call (same columns, same driver values through each column's own mapping, SQL defaults by leaving the
 * column out, `$defaultFn` and `$onUpdateFn` applied), so Store's outbox and audit semantics do not
 * change. Rows read back are mapped as drizzle maps them (null stays null, the rest through the column's
 * decoder).
 */
export class RowStatements {
  readonly #tables = new Map<SQLiteTable, TableShape>();
  readonly #plain = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  /** A statement for fixed SQL (meta, outbox), prepared on first use. */
  sql(text: string): Statement {
    let s = this.#plain.get(text);
    if (!s) this.#plain.set(text, (s = this.db.prepare(text)));
    return s;
  }

  /**
   * The outbox INSERT, with or without `changed_fields` (an update's). It stamps `seen_seq` (how far this
   * workstation had pulled, migration 0005) itself, so the `outbox_seen_seq` trigger, which would rewrite
   * the row just inserted, has nothing left to do: on an enrolled workstation it ran an UPDATE after every
   * outbox row. On a database older than 0005 (the migration tests write at every version) there
   * is no `seen_seq`: the INSERT names only the columns it has, and an update's outbox row needs 0005 anyway.
   */
  outbox(withChangedFields: boolean): Statement {
    const key = withChangedFields ? 1 : 0;
    let s = this.#outbox[key];
    if (!s) {
      const cols = ['table_name', 'row_id', 'op', 'payload', 'created_at', ...(withChangedFields ? ['changed_fields'] : [])];
      const values = cols.map(() => '?');
      const plain = `INSERT INTO outbox (${cols.join(', ')}) VALUES (${values.join(', ')})`;
      const stamped = `INSERT INTO outbox (${cols.join(', ')}, seen_seq) VALUES (${values.join(', ')}, ${SEEN_SEQ})`;
      try {
        s = this.db.prepare(stamped);
      } catch {
        s = this.db.prepare(plain);
      }
      this.#outbox[key] = s;
    }
    return s;
  }
  readonly #outbox: (Statement | undefined)[] = [];

  #shape(table: SQLiteTable): TableShape {
    let shape = this.#tables.get(table);
    if (!shape) {
      shape = {
        name: getTableName(table),
        fields: Object.entries(getTableColumns(table)) as [string, Column][],
        inserts: new Map(),
        updates: new Map(),
        byId: null,
        idColumn: quote(getTableColumns(table).id?.name ?? 'id'),
      };
      this.#tables.set(table, shape);
    }
    return shape;
  }

  /** INSERT one row; false (nothing written) when a value needs drizzle's builder. */
  insert(table: SQLiteTable, row: Row): boolean {
    const shape = this.#shape(table);
    let key = '';
    const values: unknown[] = [];
    for (const [field, col] of shape.fields) {
      let v = row[field];
      if (v === undefined) {
        // As drizzle: a generated default, else the column's SQL default (the column is left out).
        if (col.defaultFn) v = col.defaultFn();
        else if (!col.default && col.onUpdateFn) v = col.onUpdateFn();
      }
      if (v === undefined) {
        key += '0';
        continue;
      }
      if (!plain(v)) return false;
      key += '1';
      values.push(v === null ? null : col.mapToDriverValue(v));
    }
    let stmt = shape.inserts.get(key);
    if (!stmt) {
      const cols = shape.fields.filter((_, i) => key[i] === '1').map(([, c]) => quote(c.name));
      stmt = this.db.prepare(
        `INSERT INTO ${quote(shape.name)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
      shape.inserts.set(key, stmt);
    }
    stmt.run(values);
    return true;
  }

  /** The whole row with this id, mapped to its fields as drizzle's `select().from(table)` answers it. */
  byId(table: SQLiteTable, id: string): Row | undefined {
    const shape = this.#shape(table);
    shape.byId ??= this.db
      .prepare(`SELECT ${shape.fields.map(([, c]) => quote(c.name)).join(', ')} FROM ${quote(shape.name)} WHERE ${shape.idColumn} = ?`)
      .raw();
    const raw = shape.byId.get(id) as unknown[] | undefined;
    if (!raw) return undefined;
    const row: Row = {};
    shape.fields.forEach(([field, col], i) => {
      const v = raw[i];
      row[field] = v === null ? null : col.mapFromDriverValue(v);
    });
    return row;
  }

  /**
   * UPDATE the row with this id: the patch's defined fields (and any `$onUpdateFn` column), as drizzle's
   * `update(table).set(patch).where(eq(table.id, id))`. Answers the number of rows changed, or null when a
   * value needs drizzle's builder.
   */
  updateById(table: SQLiteTable, id: string, patch: Row): number | null {
    const shape = this.#shape(table);
    let key = '';
    let any = false;
    const values: unknown[] = [];
    for (const [field, col] of shape.fields) {
      let v = patch[field];
      if (v === undefined && col.onUpdateFn) v = col.onUpdateFn();
      if (v === undefined) {
        key += '0';
        continue;
      }
      if (!plain(v)) return null;
      if (patch[field] !== undefined) any = true;
      key += '1';
      values.push(v === null ? null : col.mapToDriverValue(v));
    }
    if (!any) throw new Error('No values to set');
    let stmt = shape.updates.get(key);
    if (!stmt) {
      const sets = shape.fields.filter((_, i) => key[i] === '1').map(([, c]) => `${quote(c.name)} = ?`);
      stmt = this.db.prepare(`UPDATE ${quote(shape.name)} SET ${sets.join(', ')} WHERE ${shape.idColumn} = ?`);
      shape.updates.set(key, stmt);
    }
    values.push(id);
    return stmt.run(values).changes;
  }
}
