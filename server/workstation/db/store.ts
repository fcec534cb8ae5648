import { eq } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { uuidv7 } from '../../platform/ids';
import type { AuditAction, AuditOutcome } from '../../contracts/audit';
import { entryHash, GENESIS_HASH } from '../../domain/audit/hash-chain';
import { canonicalRow } from '../../domain/text/canonical-text';
import type { SqliteDatabase } from './open';
import { RowStatements } from './row-statements';
import * as schema from './schema';

export type Orm = BetterSQLite3Database<typeof schema>;
type Tables = typeof schema.replicatedTables;
type RowTableName = Exclude<schema.ReplicatedTableName, 'audit_log' | 'clinic_settings'>;

/** Who is acting: a signed-in user, or nobody yet (a failed sign-in, setup, a CLI command). */
export interface Actor {
  userId: string | null;
  username: string | null;
}
export const systemActor: Actor = { userId: null, username: null };

export interface AuditInput {
  action: AuditAction;
  outcome?: AuditOutcome;
  patientId?: string | null;
  /** Ids, counts, reasons: never patient demographics (those are looked up when the report is shown). */
  detail?: Record<string, unknown>;
}

const META_WORKSTATION_ID = 'workstation_id';
const META_CLINIC_ID = 'clinic_id';
const META_AUDIT_HEAD = 'audit_head';

/**
 * The one data-access path for writes. `write()` runs a callback in a single SQLite transaction in which
 * every changed row of a replicated table also lands in the outbox, and audit entries are hash-chained.
 * Nothing else writes to replicated tables, so replication and the audit trail see every change.
 */
/** Told, after a write transaction commits, which replicated tables it changed (never rows or values). */
export type ChangeListener = (tables: ReadonlySet<string>) => void;

export class Store {
  readonly orm: Orm;
  /** The write path's prepared statements (row-statements.ts); Writer's, not for services. */
  readonly statements: RowStatements;
  readonly workstationId: string;
  #clinicId: string | null;
  readonly #listeners = new Set<ChangeListener>();
  /** Nested write() calls run as savepoints; listeners hear about the outermost commit only. */
  #depth = 0;
  #changed = new Set<string>();

  constructor(
    readonly db: SqliteDatabase,
    readonly now: () => Date = () => new Date(),
  ) {
    this.orm = drizzle(db as never, { schema });
    this.statements = new RowStatements(db);
    this.workstationId = this.#ensureMeta(META_WORKSTATION_ID, () => uuidv7());
    this.#clinicId = this.getMeta(META_CLINIC_ID);
  }

  get clinicId(): string | null {
    return this.#clinicId;
  }

  /** The clinic this workstation serves; throws before first-run setup. */
  requireClinicId(): string {
    if (!this.#clinicId) throw new Error('This workstation has not been set up yet.');
    return this.#clinicId;
  }

  getMeta(key: string): string | null {
    // Every audit entry reads the chain's head: a prepared statement, not a query built each time.
    const row = this.statements.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  nowIso(): string {
    // Called for every row written (its timestamps, its outbox row): formatting a date costs more than
    // reading the clock, and bulk writes ask many times within one millisecond.
    const ms = this.now().getTime();
    if (ms !== this.#isoMs) this.#iso = new Date((this.#isoMs = ms)).toISOString();
    return this.#iso;
  }
  #isoMs = NaN;
  #iso = '';

  write<T>(actor: Actor, fn: (w: Writer) => T): T {
    const clinicBefore = this.#clinicId;
    const outermost = this.#depth === 0;
    let result: T;
    this.#depth++;
    try {
      // IMMEDIATE takes the write lock up front, so a CLI writing beside a running server waits (busy_timeout)
      // instead of failing half-way with SQLITE_BUSY.
      result = this.db.transaction(() => fn(new Writer(this, actor))).immediate();
    } catch (err) {
      // The transaction rolled back; so must the in-memory copy of what it wrote (setClinic).
      this.#clinicId = clinicBefore;
      if (outermost) this.#changed.clear();
      throw err;
    } finally {
      this.#depth--;
    }
    if (outermost) this.#notify();
    return result;
  }

  /**
   * Store rows that came from central (server/workstation/sync): one IMMEDIATE transaction that queues no
   * outbox rows (they are not local changes, and must not travel back). Listeners then hear about the tables
   * `fn` reported through noteChanged(), like after any write, so screens refresh.
   */
  applyRemote<T>(fn: () => T): T {
    if (this.#depth > 0) throw new Error('applyRemote cannot run inside a write.');
    let result: T;
    this.#depth++;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (err) {
      this.#changed.clear();
      throw err;
    } finally {
      this.#depth--;
    }
    this.#notify();
    return result;
  }

  #notify(): void {
    if (!this.#changed.size) return;
    const tables = this.#changed;
    this.#changed = new Set();
    for (const listener of this.#listeners) {
      try {
        listener(tables);
      } catch {
        // A listener's failure (a closed stream) must not turn a committed write into an error.
      }
    }
  }

  /**
   * Hear about committed changes: `listener` gets the names of the replicated tables each outermost write
   * transaction changed. Live screens (server-sent events) and sync use it. Returns the unsubscribe.
   */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Rows of these tables were committed by another connection to this database (the thread that stores
   * the first download, sync/store-worker.ts): listeners hear about them as after a write here.
   */
  changedElsewhere(tables: Iterable<string>): void {
    for (const t of tables) this.#changed.add(t);
    if (this.#depth === 0) this.#notify();
  }

  /** Called by Writer for every row it queues; reported to listeners once the transaction commits. */
  noteChanged(table: string): void {
    this.#changed.add(table);
  }

  /** Shorthand for a write that only records an audit entry. */
  audit(actor: Actor, entry: AuditInput): void {
    this.write(actor, (w) => w.audit(entry));
  }

  /** Bind this workstation to its clinic; only during first-run setup. */
  setClinic(w: Writer, clinicId: string): void {
    w.setMeta(META_CLINIC_ID, clinicId);
    this.#clinicId = clinicId;
  }

  auditHead(): { seq: number; hash: string } | null {
    const raw = this.getMeta(META_AUDIT_HEAD);
    return raw ? (JSON.parse(raw) as { seq: number; hash: string }) : null;
  }

  #ensureMeta(key: string, make: () => string): string {
    const existing = this.getMeta(key);
    if (existing) return existing;
    const value = make();
    this.orm.insert(schema.meta).values({ key, value }).run();
    return value;
  }
}

/** Equal as their JSON (an object column compared by content); scalars without building text (every update). */
const sameValue = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

export class Writer {
  constructor(
    private readonly store: Store,
    readonly actor: Actor,
  ) {}

  get orm(): Orm {
    return this.store.orm;
  }

  insert<K extends RowTableName>(table: K, input: Tables[K]['$inferInsert']): void {
    // Stored text is canonical (well-formed, NFC), so the row, its outbox copy and what is read back agree.
    const row = canonicalRow(input);
    const t = schema.replicatedTables[table];
    if (!this.store.statements.insert(t, row)) this.orm.insert(t as never).values(row as never).run();
    this.#outbox(table, row.id, 'insert', row);
  }

  /** Update by id and queue the whole new row (the receiver applies per-field rules). */
  update<K extends RowTableName>(table: K, id: string, input: Partial<Tables[K]['$inferInsert']>): void {
    const patch = canonicalRow(input);
    const t = schema.replicatedTables[table] as unknown as typeof schema.users;
    const statements = this.store.statements;
    const before = statements.byId(t, id);
    const changes =
      statements.updateById(t, id, patch) ??
      this.orm
        .update(t)
        .set(patch as never)
        .where(eq(t.id, id))
        .run().changes;
    if (changes !== 1 || !before) throw new Error(`No ${table} row to update.`);
    const row = statements.byId(t, id)!;
    // Only what really changed: central merges per field, so re-saving an unchanged form field must not
    // overwrite a change another workstation made to it.
    const changed = Object.keys(row).filter((k) => !sameValue(row[k as keyof typeof row], before[k as keyof typeof before]));
    this.#outbox(table, id, 'update', row, changed);
  }

  /** Clinical and financial rows are never physically deleted: they get a tombstone. */
  tombstone(table: 'users' | 'patients', id: string): void {
    const at = this.store.nowIso();
    this.update(table, id, { deletedAt: at, updatedAt: at });
  }

  setClinicSetting(key: string, value: unknown): void {
    const clinicId = this.store.requireClinicId();
    const row = {
      clinicId,
      key,
      value: JSON.stringify(value),
      updatedAt: this.store.nowIso(),
      updatedBy: this.actor.userId,
    };
    this.orm
      .insert(schema.clinicSettings)
      .values(row)
      .onConflictDoUpdate({
        target: [schema.clinicSettings.clinicId, schema.clinicSettings.key],
        set: { value: row.value, updatedAt: row.updatedAt, updatedBy: row.updatedBy },
      })
      .run();
    this.#outbox('clinic_settings', `${clinicId}:${key}`, 'update', row);
  }

  setMeta(key: string, value: string): void {
    this.store.statements
      .sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run([key, value]);
  }

  /** Append a hash-chained audit entry in this transaction. */
  audit(entry: AuditInput): void {
    const head = this.store.auditHead();
    const fields = canonicalRow({
      seq: (head?.seq ?? 0) + 1,
      id: uuidv7(),
      clinicId: this.store.clinicId ?? '',
      at: this.store.nowIso(),
      userId: this.actor.userId,
      username: this.actor.username,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      patientId: entry.patientId ?? null,
      workstationId: this.store.workstationId,
      detail: JSON.stringify(entry.detail ?? {}),
      prevHash: head?.hash ?? GENESIS_HASH,
    });
    // Hashed exactly as stored: canonicalRow turned any lone surrogate into the U+FFFD SQLite would store,
    // so no input (a sign-in with any username) can make the chain look tampered.
    const row = { ...fields, hash: entryHash(fields) };
    if (!this.store.statements.insert(schema.auditLog, row)) this.orm.insert(schema.auditLog).values(row).run();
    this.setMeta(META_AUDIT_HEAD, JSON.stringify({ seq: row.seq, hash: row.hash }));
    this.#outbox('audit_log', row.id, 'insert', row);
  }

  #outbox(
    table: schema.ReplicatedTableName,
    rowId: string,
    op: 'insert' | 'update' | 'delete',
    row: unknown,
    changedFields: readonly string[] | null = null,
  ) {
    this.store.noteChanged(table);
    const values: unknown[] = [table, rowId, op, JSON.stringify(row), this.store.nowIso()];
    if (changedFields) values.push(JSON.stringify(changedFields));
    this.store.statements.outbox(!!changedFields).run(values);
  }
}
