/**
 * The floor under the ERA posting of `npm run bench claims`: the rows the posting wrote (ledger entries,
 * allocations, claim line postings, claim events, audit entries, their outbox entries, and the claims' and
 * lines' new state) written again into a copy of the database as it was before the posting, by prepared
 * INSERTs and UPDATEs in one transaction, with the ledger summary paused and brought up to date as the
 * posting does it. No parsing, matching, planning, canonical text, ids, hashes or checks: what SQLite alone
 * (SQLCipher's page encryption, each table's indexes and triggers) costs on this machine for exactly those
 * rows, so the posting's time can be read against it. The audit chain's head in `meta`, which the posting
 * rewrites once per audit entry (about 30 ms at 10,000 claims), is left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../server/workstation/db/open';
import { Store } from '../../server/workstation/db/store';
import { deferLedgerSummary } from '../../server/workstation/services/billing/ledger-summary';

type Row = Record<string, unknown>;

const pick = (row: Row, cols: string[]): Row => Object.fromEntries(cols.map((c) => [c, row[c]]));

/** In the order the posting's rows depend on each other (foreign keys are on). */
const INSERTED = ['claim_files', 'era_payments', 'ledger_entries', 'ledger_allocations', 'claim_line_postings', 'claim_events', 'audit_log', 'outbox'];
/**
 * Rows the posting changes, with the columns it changes. (It also marks its `era_payments` row posted; the
 * copy of that row inserted above already carries the mark.)
 */
const UPDATED: [string, string[]][] = [
  ['claims', ['status', 'paid_cents', 'patient_responsibility_cents', 'payer_claim_number', 'updated_at']],
  ['claim_lines', ['status', 'paid_cents', 'updated_at']],
];

export interface FloorBaseline {
  copy: string;
  key: string;
  lastRowid: Map<string, number>;
}

/** Before the posting: the database file copied aside (its WAL checkpointed into it first) and each table's last rowid. */
export function floorBaseline(db: SqliteDatabase, dataDir: string, key: string): FloorBaseline {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = path.join(dataDir, `floor-${DB_FILE_NAME}`);
  fs.copyFileSync(path.join(dataDir, DB_FILE_NAME), copy);
  const lastRowid = new Map(INSERTED.map((t) => [t, Number(db.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM ${t}`).pluck().get())]));
  return { copy, key, lastRowid };
}

/** After the posting: the same rows written into the copy; answers the milliseconds that took, and of them the outbox's. */
export function measureFloor(db: SqliteDatabase, base: FloorBaseline): { ms: number; outboxMs: number } {
  const inserted = INSERTED.map((t) => [t, db.prepare(`SELECT * FROM ${t} WHERE rowid > ? ORDER BY rowid`).all(base.lastRowid.get(t)) as Row[]] as const);
  const updated = UPDATED.map(([t, cols]) => [t, cols, db.prepare(`SELECT id, ${cols.join(', ')} FROM ${t}`).all() as Row[]] as const);
  const copy = openDatabase(base.copy, base.key);
  // As the workstation runs: its commits leave checkpoints to their own thread (db/background-checkpoints.ts).
  copy.pragma('wal_autocheckpoint = 0');
  try {
    const store = new Store(copy);
    const statements = [
      ...inserted.map(([t, rows]) => {
        // The outbox numbers its entries itself, as when the posting wrote them.
        const cols = Object.keys(rows[0] ?? {}).filter((c) => !(t === 'outbox' && c === 'mutation_id'));
        return { table: t, params: rows.map((r) => pick(r, cols)), stmt: cols.length ? copy.prepare(`INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`) : null };
      }),
      ...updated.map(([t, cols, rows]) => ({ table: t, params: rows.map((r) => pick(r, ['id', ...cols])), stmt: copy.prepare(`UPDATE ${t} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`) })),
    ];
    // The statements' parameters are built before the clock starts: the floor is the database's work.
    let outboxMs = 0;
    const start = performance.now();
    copy.transaction(() =>
      deferLedgerSummary(store, () => {
        for (const { table, params, stmt } of statements) {
          const t = performance.now();
          for (const p of params) stmt!.run(p);
          if (table === 'outbox') outboxMs = performance.now() - t;
        }
      }),
    )();
    return { ms: performance.now() - start, outboxMs };
  } finally {
    copy.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(base.copy + suffix, { force: true });
  }
}
