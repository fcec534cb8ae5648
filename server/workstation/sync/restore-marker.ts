import type { SqliteDatabase } from '../db/open';

/**
 * A workstation database restored from a backup has forgotten the mutation ids it handed out after the
 * backup was made, and central has applied some of them. Changes made after the restore would reuse those
 * ids and central would answer them "duplicate" (already applied) while they exist only here. The mutation
 * counter alone cannot tell: once staff make more changes after the restore than the backup had missed,
 * the counter is past what central has seen and looks normal.
 *
 * So the restore itself marks the database: `restoreFrom` records the counter the restored file starts
 * from. Every mutation above it was made after the restore and has never reached central. At the next
 * connection the sync engine moves those above central's last-seen id (see `reconcileRestore` in
 * outbox.ts) and clears the mark.
 */

const KEY = 'sync.restored_mutation_base';

/** The outbox's AUTOINCREMENT counter: the highest mutation id ever handed out in this database. */
export function mutationCounter(db: SqliteDatabase): number {
  return (
    (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined)
      ?.seq ?? 0
  );
}

/**
 * Mark a freshly restored database. A backup taken after an earlier restore that was never reconciled
 * keeps that earlier (lower) mark: its changes above it have not reached central either.
 */
export function markRestored(db: SqliteDatabase): number {
  const existing = readRestoreMark(db);
  const base = existing === null ? mutationCounter(db) : Math.min(existing, mutationCounter(db));
  db.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(KEY, String(base));
  return base;
}

/** The counter the restored database started from, or null when it was not restored since it last synced. */
export function readRestoreMark(db: SqliteDatabase): number | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return null;
  const n = Number(row.value);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

export function clearRestoreMark(db: SqliteDatabase): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
}
