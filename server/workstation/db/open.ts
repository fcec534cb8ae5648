import fs from 'node:fs';
import path from 'node:path';
// 'better-sqlite3' is an npm alias of better-sqlite3-multiple-ciphers (SQLCipher-compatible encryption),
// so drizzle-orm's better-sqlite3 driver and our code share the one native module.
import Database from 'better-sqlite3';
import { migrations } from './migrations';
import { resumePatientSearch } from './patient-search-index';

export type SqliteDatabase = Database.Database;

export const DB_FILE_NAME = 'tessera.db';

/** A database key is 32 random bytes, handled as 64 lowercase hex characters. */
export const DB_KEY_PATTERN = /^[0-9a-f]{64}$/;

export class DatabaseKeyError extends Error {
  override name = 'DatabaseKeyError';
}

/**
 * Apply SQLCipher 4 compatible settings and the raw key. Must run before the first read. The raw-key form
 * (x'…') skips PBKDF2, which only makes sense for passphrases; our key is already 256 random bits.
 */
export function applyKey(db: SqliteDatabase, keyHex: string): void {
  for (const p of keyPragmas(keyHex)) db.pragma(p);
}

/** The pragmas `applyKey` runs, for a connection opened on another thread (background-checkpoints.ts). */
export function keyPragmas(keyHex: string): string[] {
  if (!DB_KEY_PATTERN.test(keyHex)) throw new DatabaseKeyError('The database key must be 64 hex characters.');
  return [`cipher='sqlcipher'`, 'legacy=4', `key="x'${keyHex}'"`];
}

export interface OpenOptions {
  /** Open without encryption: only for the benchmark that measures what encryption costs. */
  unencrypted?: boolean;
  readonly?: boolean;
  /** Run pending migrations (default true). */
  migrate?: boolean;
}

/**
 * Open an existing database or create a new one. A wrong key fails with DatabaseKeyError and leaves the
 * file untouched: we never create a fresh database over one we cannot read.
 */
export function openDatabase(file: string, keyHex: string | null, options: OpenOptions = {}): SqliteDatabase {
  // Check the key before touching the disk: a bad key must not leave an empty database file behind
  // (an existing file makes resolveHeadlessKey refuse to create a key for it).
  if (!options.unencrypted) {
    if (!keyHex) throw new DatabaseKeyError('No database key was given.');
    if (!DB_KEY_PATTERN.test(keyHex)) throw new DatabaseKeyError('The database key must be 64 hex characters.');
  }
  const existed = fs.existsSync(file) && fs.statSync(file).size > 0;
  if (!existed && options.readonly) throw new DatabaseKeyError(`No database at ${file}.`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // SQLite gives the -wal and -shm files the main file's mode, so creating it 0600 covers all three.
  if (!existed && !fs.existsSync(file)) fs.writeFileSync(file, '', { mode: 0o600 });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: existed });
  try {
    if (!options.unencrypted) {
      applyKey(db, keyHex!);
    }
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new DatabaseKeyError(
          'The database key does not open this database. Use the key it was created with; nothing was changed.',
        );
      }
      throw err;
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // Without this, INSERT OR REPLACE deletes the row it replaces without firing DELETE triggers, which
    // would let a REPLACE into audit_log slip past its append-only trigger.
    db.pragma('recursive_triggers = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (the default is 2 MiB). Every page read past the cache is decrypted again, so a
    // cache that holds the hot part of a 100,000-patient clinic (search index, patients, the day's schedule)
    // keeps patient search well inside its budget: about a third faster in tests/bench/patients.ts.
    db.pragma('cache_size = -65536');
    // Statement journals in memory. Inside a transaction SQLite journals every page a statement changes
    // (so a failing statement can be undone alone); past 64 KiB that journal becomes a temporary file for the
    // rest of the transaction, and every later statement writes (and encrypts) its pages to it: a fifth of
    // an 835 posting's CPU was that file's writes (docs/claims.md "Posting speed"). Memory also keeps the
    // pages off the disk. Catch: a savepoint (a nested Store.write) truncates its in-memory journal from the
    // start after each statement, so a long-running savepoint is quadratic; bulk work runs outermost.
    db.pragma('temp_store = MEMORY');
    if (options.migrate !== false && !options.readonly) {
      migrate(db);
      // A first download interrupted while its thread had the search index suspended: make it whole.
      db.transaction(() => resumePatientSearch(db))();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Run every migration newer than the database's user_version, each in one transaction with its bump. */
export function migrate(db: SqliteDatabase, target = migrations.length): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `This database was written by a newer Tessera (schema ${current}; this version knows ${migrations.length}). Update Tessera.`,
    );
  }
  for (let version = current + 1; version <= target; version++) {
    db.transaction(() => {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return schemaVersion(db);
}
