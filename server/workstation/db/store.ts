import { eq } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { AuditAction, AuditOutcome } from '../../contracts/audit';
import { entryHash, GENESIS_HASH } from '../../domain/audit/hash-chain';
import type { SqliteDatabase } from './open';
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
export class Store {
  readonly orm: Orm;
  readonly workstationId: string;
  #clinicId: string | null;

  constructor(
    readonly db: SqliteDatabase,
    readonly now: () => Date = () => new Date(),
  ) {
    this.orm = drizzle(db as never, { schema });
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
    return this.orm.select().from(schema.meta).where(eq(schema.meta.key, key)).get()?.value ?? null;
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  write<T>(actor: Actor, fn: (w: Writer) => T): T {
    const clinicBefore = this.#clinicId;
    try {
      // IMMEDIATE takes the write lock up front, so a CLI writing beside a running server waits (busy_timeout)
      // instead of failing half-way with SQLITE_BUSY.
      return this.db.transaction(() => fn(new Writer(this, actor))).immediate();
    } catch (err) {
      // The transaction rolled back; so must the in-memory copy of what it wrote (setClinic).
      this.#clinicId = clinicBefore;
      throw err;
    }
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

export class Writer {
  constructor(
    private readonly store: Store,
    readonly actor: Actor,
  ) {}

  get orm(): Orm {
    return this.store.orm;
  }

  insert<K extends RowTableName>(table: K, row: Tables[K]['$inferInsert']): void {
    this.orm
      .insert(schema.replicatedTables[table] as never)
      .values(row as never)
      .run();
    this.#outbox(table, row.id, 'insert', row);
  }

  /** Update by id and queue the whole new row (the receiver applies per-field rules). */
  update<K extends RowTableName>(table: K, id: string, patch: Partial<Tables[K]['$inferInsert']>): void {
    const t = schema.replicatedTables[table] as unknown as typeof schema.users;
    const result = this.orm
      .update(t)
      .set(patch as never)
      .where(eq(t.id, id))
      .run();
    if (result.changes !== 1) throw new Error(`No ${table} row to update.`);
    const row = this.orm.select().from(t).where(eq(t.id, id)).get();
    this.#outbox(table, id, 'update', row);
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
    this.orm
      .insert(schema.meta)
      .values({ key, value })
      .onConflictDoUpdate({ target: schema.meta.key, set: { value } })
      .run();
  }

  /** Append a hash-chained audit entry in this transaction. */
  audit(entry: AuditInput): void {
    const head = this.store.auditHead();
    const fields = {
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
    };
    const row = { ...fields, hash: entryHash(fields) };
    this.orm.insert(schema.auditLog).values(row).run();
    this.setMeta(META_AUDIT_HEAD, JSON.stringify({ seq: row.seq, hash: row.hash }));
    this.#outbox('audit_log', row.id, 'insert', row);
  }

  #outbox(
    table: schema.ReplicatedTableName,
    rowId: string,
    op: 'insert' | 'update' | 'delete',
    row: unknown,
  ) {
    this.orm
      .insert(schema.outbox)
      .values({ tableName: table, rowId, op, payload: JSON.stringify(row), createdAt: this.store.nowIso() })
      .run();
  }
}
