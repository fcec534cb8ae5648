import { rebuildSearchIndexSql } from './migrations/0002_patient_registry';
import type { SqliteDatabase } from './open';

/**
 * The patient search index (names, phone digits, name words) is kept by triggers on `patients`, row by row.
 * During a first download that costs about ten times the patients' own INSERTs (an FTS5 insert, three
 * phone rows and five word look-ups per patient), so the thread that stores a first download suspends the
 * triggers and the last page rebuilds the index in bulk (a few INSERT … SELECT) and puts them back.
 *
 * Crash-safe by construction: suspending drops the triggers and keeps their SQL in `meta` in the caller's
 * transaction, and resuming rebuilds, recreates them from that SQL and forgets it in the caller's
 * transaction, so a database is either whole or marked suspended. Opening a database with migrations
 * (the app, the CLI) resumes a suspension a crash left behind; a download that starts again suspends anew.
 * While suspended, patients written here or received are not found by search until the download ends.
 */

const META_SUSPENDED = 'patient_search_suspended';
/** The phone table's own indexes (by patient, by last digits), dropped while the rebuild refills it. */
const PHONE_INDEXES = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'patient_phone_search' AND sql IS NOT NULL`;
const TRIGGERS = `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'patients' AND name LIKE 'patients_search_%' ORDER BY name`;

const suspendedSql = (db: SqliteDatabase): string[] | null => {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_SUSPENDED) as
    | { value: string }
    | undefined;
  return row ? (JSON.parse(row.value) as string[]) : null;
};

export const patientSearchSuspended = (db: SqliteDatabase): boolean => suspendedSql(db) !== null;

/** Drop the index's triggers (inside the caller's transaction); nothing if already suspended. */
export function suspendPatientSearch(db: SqliteDatabase): void {
  if (!db.inTransaction) throw new Error('Suspending the patient search index needs a transaction.');
  if (suspendedSql(db)) return;
  const triggers = (db.prepare(TRIGGERS).all() as { sql: string }[]).map((t) => t.sql);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_SUSPENDED, JSON.stringify(triggers));
  for (const sql of triggers) {
    const name = /^CREATE TRIGGER\s+"?(\w+)"?/i.exec(sql)?.[1];
    if (!name) throw new Error('A patient search trigger without a name.');
    db.exec(`DROP TRIGGER "${name}"`);
  }
}

/** Rebuild the index in bulk and restore its triggers (inside the caller's transaction); nothing if whole. */
export function resumePatientSearch(db: SqliteDatabase): void {
  if (!db.inTransaction) throw new Error('Resuming the patient search index needs a transaction.');
  const triggers = suspendedSql(db);
  if (!triggers) return;
  // Each phone row goes into four b-trees (the key and three indexes) at random places. Refilling the table
  // without its indexes and building them after (one sort each) takes the rebuild's phone part from
  // 0.55-0.85 s to 0.33 s at 100,000 patients. Same transaction: a crash leaves the old indexes in place.
  const phoneIndexes = db.prepare(PHONE_INDEXES).all() as { name: string; sql: string }[];
  for (const index of phoneIndexes) db.exec(`DROP INDEX "${index.name}"`);
  db.exec(rebuildSearchIndexSql);
  for (const index of phoneIndexes) db.exec(index.sql);
  for (const sql of triggers) db.exec(sql);
  db.prepare('DELETE FROM meta WHERE key = ?').run(META_SUSPENDED);
}
