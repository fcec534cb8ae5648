import fs from 'node:fs';
import path from 'node:path';
import { restrictToOwner } from '../../platform/private-files';
import { isDataDirLocked, lockDataDir } from '../data-dir-lock';
import { markRestored } from '../sync/restore-marker';
import { applyKey, DB_FILE_NAME, DB_KEY_PATTERN, openDatabase, type SqliteDatabase } from './open';

/**
 * Backups are made with VACUUM INTO, which writes a compact, consistent copy encrypted with the same key
 * (SQLite's online-backup API cannot copy between encrypted databases). The copy is checked by opening it.
 */
export function backupTo(db: SqliteDatabase, keyHex: string, file: string): { bytes: number } {
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file name.`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  db.prepare('VACUUM INTO ?').run(file);
  restrictToOwner(file);
  checkOpens(file, keyHex);
  return { bytes: fs.statSync(file).size };
}

/** Open read-only and run an integrity check: proves the key fits and the file is whole. */
export function checkOpens(file: string, keyHex: string): void {
  const db = openDatabase(file, keyHex, { readonly: true, migrate: false });
  try {
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`The database file ${file} failed its integrity check.`);
  } finally {
    db.close();
  }
}

/**
 * Replace the data folder's database with a backup. The current database is kept beside it (renamed,
 * never deleted), so a restore of the wrong file can itself be undone. The restored database is marked
 * as restored (see sync/restore-marker.ts): changes made on it before it next reaches central must not be
 * taken there for changes the lost database had already sent.
 */
export function restoreFrom(
  dataDir: string,
  keyHex: string,
  backupFile: string,
  stamp: string,
): { keptAs: string | null } {
  // Swapping the file under a running server would lose its writes (and its WAL): refuse, and hold the
  // data folder's lock while swapping so no server starts half-way through.
  if (isDataDirLocked(dataDir))
    throw new Error('Stop the Tessera server using this data folder before restoring.');
  checkOpens(backupFile, keyHex);
  const unlock = lockDataDir(dataDir);
  try {
    return swapInBackup(dataDir, keyHex, backupFile, stamp);
  } finally {
    unlock();
  }
}

/**
 * The swap itself, for a caller that holds the data folder's lock with the database closed (the CLI above,
 * or a running server restoring in place, see ../restartable.ts). Should the copy fail half-way (disk full),
 * the previous database is put back, so a failed restore leaves the current data working.
 */
export function swapInBackup(
  dataDir: string,
  keyHex: string,
  backupFile: string,
  stamp: string,
): { keptAs: string | null } {
  const dbFile = path.join(dataDir, DB_FILE_NAME);
  let keptAs: string | null = null;
  if (fs.existsSync(dbFile)) {
    // Fold the WAL into the main file first so the kept copy is complete on its own.
    const current = openDatabase(dbFile, keyHex, { migrate: false });
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    keptAs = `${dbFile}.before-restore-${stamp}`;
    fs.renameSync(dbFile, keptAs);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  }
  try {
    fs.copyFileSync(backupFile, dbFile, fs.constants.COPYFILE_EXCL);
    restrictToOwner(dbFile);
    const restored = openDatabase(dbFile, keyHex, { migrate: false });
    try {
      markRestored(restored);
      // Leave one self-contained file in the backup's journal mode (the server turns WAL on when it opens).
      restored.pragma('journal_mode = DELETE');
    } finally {
      restored.close();
    }
  } catch (err) {
    if (keptAs) undoRestore(dataDir, keptAs);
    throw err;
  }
  return { keptAs };
}

/** Put back the database a restore set aside (the restored one could not be used). */
export function undoRestore(dataDir: string, keptAs: string): void {
  const dbFile = path.join(dataDir, DB_FILE_NAME);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  fs.renameSync(keptAs, dbFile);
}

/**
 * Re-encrypt with a new key. SQLite3 Multiple Ciphers cannot rekey in WAL mode, so the journal is
 * switched to DELETE for the rewrite and back afterwards.
 */
export function rekey(db: SqliteDatabase, newKeyHex: string): void {
  if (!DB_KEY_PATTERN.test(newKeyHex)) throw new Error('The new key must be 64 hex characters.');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey="x'${newKeyHex}'"`);
  db.pragma('journal_mode = WAL');
}

export { applyKey };
