import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { v7 as uuidv7 } from 'uuid';
import type { Change, Mutation, Row } from '../../contracts/sync';
import { overlayPending } from '../../domain/sync/merge';
import { canonicalForeignRow } from '../../domain/text/canonical-text';
import { policyFor } from '../../domain/sync/policies';
import type { SqliteDatabase } from '../db/open';
import { replicatedTables, type ReplicatedTableName } from '../db/schema';
import { systemActor, type Store } from '../db/store';
import { unsentFor } from './outbox';
import { secretUnwrapper } from './secrets';

/**
 * Stores rows that came from central, generically over `replicatedTables`: whatever tables exist sync.
 * A page is applied in one transaction (Store.applyRemote: no outbox rows, listeners told afterwards) with
 * this workstation's unsent changes to the same rows laid back on top, so nothing typed here is lost while
 * it waits to be sent. A row this database refuses (a unique key taken by a row made here, a local rule)
 * becomes an entry in the conflict inbox instead of stopping sync.
 *
 * Rows from central are stored in the same canonical text form as every local write
 * (domain/text/canonical-text.ts: NFC, lone UTF-16 surrogates replaced with U+FFFD, which is what SQLite
 * would store anyway), so search, duplicates and the audit chain see one form whatever sent the row. A row
 * whose text was not well-formed (central refuses those on push; an older central did not) is still
 * stored, with U+FFFD in place of the broken characters, and an `apply_failed` entry (reason
 * `invalid_text`) in the conflict inbox names the fields and keeps the row as received (JSON-escaped).
 */

type Statement = ReturnType<SqliteDatabase['prepare']>;

interface Failure {
  table: string;
  rowId: string;
  row: Row;
  reason: string;
  field?: string;
  message?: string;
  /** Stored all the same (with its text made well-formed): an entry to look at, not a failure. */
  stored?: boolean;
}

/** Staff secrets never go into an inbox entry (they replicate to every workstation and to central). */
function withoutSecrets(table: string, row: Row): Row {
  const fields = policyFor(table).encryptedFields;
  if (!fields.length) return row;
  const out = { ...row };
  for (const f of fields) if (f in out) out[f] = null;
  return out;
}

interface TableInfo {
  table: string;
  /** Property name -> drizzle column (SQL name, value mapping). */
  columns: Map<string, SQLiteColumn>;
  keyProps: string[];
  /** By the row's own property list (rows of one table from central share one shape): how to store it. */
  shapes: Map<string, RowShape>;
}

/** The statements for rows with one set of properties, and the properties in parameter order. */
interface RowShape {
  props: string[];
  /** Non-key properties, then the keys: the UPDATE's parameters. */
  updateProps: string[];
  update: Statement | null;
  insert: Statement;
  /** Property -> value as the driver stores it (booleans as 0/1, JSON as text). */
  toDriver: ((v: unknown) => unknown)[];
  updateToDriver: ((v: unknown) => unknown)[];
}

export interface ApplyOutcome {
  applied: number;
  failed: number;
}

export class RemoteApplier {
  readonly #tables = new Map<string, TableInfo | null>();

  constructor(private readonly store: Store) {}

  #info(table: string): TableInfo | null {
    if (this.#tables.has(table)) return this.#tables.get(table)!;
    const t = (replicatedTables as Record<string, (typeof replicatedTables)[ReplicatedTableName]>)[table];
    let info: TableInfo | null = null;
    if (t) {
      const columns = new Map(Object.entries(getTableColumns(t)) as [string, SQLiteColumn][]);
      const bySql = new Map([...columns].map(([prop, col]) => [col.name, prop]));
      // The migrations, not the drizzle view, are the truth about keys (clinic_settings has a composite one).
      const pk = (
        this.store.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[]
      )
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => bySql.get(c.name)!);
      info = { table, columns, keyProps: pk, shapes: new Map() };
    }
    this.#tables.set(table, info);
    return info;
  }

  #shape(info: TableInfo, row: Row): RowShape {
    const own = Object.keys(row).join('\u0000');
    let shape = info.shapes.get(own);
    if (shape) return shape;
    // Only the properties central sent: a column this workstation has that the row lacks keeps its value
    // (or default), and a property it does not know is left out.
    const props = [...info.columns.keys()].filter((p) => p in row);
    if (info.keyProps.some((k) => !props.includes(k))) throw new Error('row without its key');
    const col = (p: string) => `"${info.columns.get(p)!.name}"`;
    const others = props.filter((p) => !info.keyProps.includes(p));
    const mapper = (p: string) => {
      const column = info.columns.get(p)!;
      return (v: unknown) => (v === null || v === undefined ? null : (column.mapToDriverValue(v) as unknown));
    };
    const updateProps = [...others, ...info.keyProps];
    shape = {
      props,
      updateProps,
      update: others.length
        ? this.store.db.prepare(
            `UPDATE "${info.table}" SET ${others.map((p) => `${col(p)} = ?`).join(', ')} WHERE ${info.keyProps.map((k) => `${col(k)} = ?`).join(' AND ')}`,
          )
        : null,
      insert: this.store.db.prepare(
        `INSERT ${others.length ? '' : 'OR IGNORE '}INTO "${info.table}" (${props.map(col).join(', ')}) VALUES (${props.map(() => '?').join(', ')})`,
      ),
      toDriver: props.map(mapper),
      updateToDriver: updateProps.map(mapper),
    };
    info.shapes.set(own, shape);
    return shape;
  }

  /**
   * UPDATE, then INSERT when there was no row; or, while most rows are new (the first download), INSERT
   * and UPDATE only when the INSERT is refused, which saves a statement per row. Either way a row that
   * exists is updated and one that does not is inserted, and a refused INSERT (its statement undone,
   * triggers included) is reported only when no row was there to update. Not an UPSERT: SQLite lets an
   * UPSERT's conflict handling override the OR IGNORE inside tables' triggers (the patient search index),
   * which would fail the row.
   */
  #store(info: TableInfo, row: Row, mostlyNew: boolean): void {
    const shape = this.#shape(info, row);
    const update = () =>
      shape.update
        ? shape.update.run(shape.updateProps.map((p, i) => shape.updateToDriver[i]!(row[p]))).changes
        : 0;
    const insert = () => shape.insert.run(shape.props.map((p, i) => shape.toDriver[i]!(row[p])));
    if (!mostlyNew || !shape.update) {
      if (update() > 0) return;
      insert();
      return;
    }
    try {
      insert();
    } catch (err) {
      if (update() === 0) throw err;
    }
  }

  /** Apply rows inside the caller's Store.applyRemote transaction. */
  applyInTransaction(
    rows: { table: string; rowId: string; row: Row }[],
    opts: { mostlyNew?: boolean } = {},
  ): ApplyOutcome {
    const unsent = unsentFor(
      this.store,
      rows.map((r) => ({ table: r.table, rowId: r.rowId })),
    );
    const failures: Failure[] = [];
    let applied = 0;
    const unwrap = secretUnwrapper(this.store);
    for (const r of rows) {
      const policy = policyFor(r.table);
      if (policy.direction === 'up') continue;
      const info = this.#info(r.table);
      // A table this version does not have yet (central never sends those to an older schema, see requireSchema).
      if (!info) continue;
      const pending = unsent.get(`${r.table}\u0000${r.rowId}`);
      try {
        const received = unwrap(r.table, r.rowId, r.row);
        const { row: incoming, illFormed } = canonicalForeignRow(received);
        const row =
          pending && policy.merge !== 'append-only'
            ? this.#withPending(r.table, incoming, pending)
            : incoming;
        this.#store(info, row, opts.mostlyNew ?? false);
        applied++;
        this.store.noteChanged(r.table);
        if (illFormed.length) {
          failures.push({
            ...r,
            reason: 'invalid_text',
            stored: true,
            field: illFormed.join(', '),
            message: `A change from the central server carried text that is not valid Unicode (in ${illFormed.join(', ')}). It was stored with the replacement character (\uFFFD) in place of the broken characters; check the record and correct it, then acknowledge.`,
          });
        }
      } catch (err) {
        failures.push({ ...r, reason: (err as { code?: string }).code ?? (err as Error).name });
      }
    }
    if (failures.length) this.#recordFailures(failures);
    return { applied, failed: failures.filter((f) => !f.stored).length };
  }

  /** A page from a pull, with its cursor stored in the same transaction. */
  applyPage(
    changes: Change[],
    alsoInTransaction: () => void,
    opts: { mostlyNew?: boolean } = {},
  ): ApplyOutcome {
    return this.store.applyRemote(() => {
      const out = this.applyInTransaction(changes, opts);
      alsoInTransaction();
      return out;
    });
  }

  /** Unsent local changes laid over central's row; those a lock will refuse are left for central to refuse. */
  #withPending(table: string, row: Row, pending: Mutation[]): Row {
    const allowed = policyFor(table).lock?.(row) ?? null;
    const layers = pending.map((p) => ({
      row: p.row,
      changedFields: allowed
        ? (p.changedFields ?? Object.keys(p.row)).filter((f) => allowed.includes(f))
        : p.changedFields,
    }));
    return overlayPending(row, layers);
  }

  #recordFailures(failures: Failure[]): void {
    const clinicId = this.store.clinicId;
    if (!clinicId) return;
    const now = this.store.nowIso();
    // Through the write path (nested in this transaction): the entry replicates, so IT sees it centrally too.
    this.store.write(systemActor, (w) => {
      for (const f of failures) {
        w.insert('sync_conflicts', {
          id: uuidv7(),
          clinicId,
          kind: 'apply_failed',
          tableName: f.table,
          rowId: f.rowId,
          field: f.field ?? null,
          valueKept: null,
          // JSON.stringify escapes a lone surrogate ("\ud800"), so the row as received is kept intact.
          valueLost: JSON.stringify(withoutSecrets(f.table, f.row)),
          reason: f.reason,
          message:
            f.message ??
            'This workstation could not store a change from the central server: it clashes with a record made here (for example the same username or number). Fix or remove one of them, then acknowledge.',
          deviceId: null,
          otherDeviceId: null,
          createdAt: now,
          updatedAt: now,
          resolvedAt: null,
          resolvedBy: null,
          resolution: null,
          deletedAt: null,
        });
      }
    });
  }
}
