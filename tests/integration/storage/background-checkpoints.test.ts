import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointsOf } from '../../../server/workstation/db/background-checkpoints';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import { waitFor } from '../../support/sync';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * WAL checkpoints on their own thread (server/workstation/db/background-checkpoints.ts): a big commit on
 * the main connection returns without copying its pages into the database file; the thread copies them;
 * pausing stops both; a thread that cannot start or that dies hands the checkpoints back to the connection.
 * The database file's size tells whether pages were copied into it (the WAL keeps them until then).
 */

const opened: SqliteDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    await checkpointsOf(db).stopThread();
    if (db.open) db.close();
  }
});

function encryptedFile() {
  const file = path.join(tempDir('tessera-ckpt-'), DB_FILE_NAME);
  const keyHex = newKey();
  const db = openDatabase(file, keyHex, { migrate: false });
  opened.push(db);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, file, keyHex };
}

/** About `pages` pages of 4 KiB in one transaction (far past the 1,000 that set off SQLite's own checkpoint). */
function writeMany(db: SqliteDatabase, pages: number) {
  const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run(crypto.randomBytes(3500));
  })();
}

const size = (file: string) => fs.statSync(file).size;
const ownInterval = (db: SqliteDatabase) => db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('background checkpoints', () => {
  it('a big commit leaves the copy to the thread, which makes it', async () => {
    const { db, file, keyHex } = encryptedFile();
    const c = checkpointsOf(db);
    // A long interval: only the explicit checkpoint below runs on the thread.
    expect(await c.startThread({ file, keyHex, everyMs: 60_000 })).toBe(true);
    expect(c.background).toBe(true);
    expect(ownInterval(db)).toBe(0);

    const before = size(file);
    writeMany(db, 2000);
    // The commit returned with its pages in the WAL only: the database file did not grow.
    expect(size(file)).toBe(before);
    expect(size(`${file}-wal`)).toBeGreaterThan(2000 * 4096);

    const result = await c.checkpointNow();
    expect(result).toMatchObject({ busy: 0 });
    expect(result!.log).toBeGreaterThan(2000);
    expect(result!.checkpointed).toBe(result!.log);
    expect(size(file)).toBeGreaterThan(before + 2000 * 3500);
    // The copy is the same data, readable through the key.
    expect(db.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 2000 });
  });

  it('checkpoints by itself every interval, not while paused, and again once resumed', async () => {
    const { db, file, keyHex } = encryptedFile();
    const c = checkpointsOf(db);
    expect(await c.startThread({ file, keyHex, everyMs: 50 })).toBe(true);
    const before = size(file);
    writeMany(db, 1500);
    await waitFor('the thread to copy the pages', () => size(file) > before + 1500 * 3500, 10_000);
    // Let a copy under way finish (the thread answers in turn) before the size is taken.
    await c.checkpointNow();

    c.pause();
    expect(ownInterval(db)).toBe(0);
    const paused = size(file);
    writeMany(db, 1500);
    // Ten intervals and more: nothing copied while paused.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(size(file)).toBe(paused);

    c.resume();
    await waitFor('the copy after resuming', () => size(file) > paused + 1500 * 3500, 10_000);
  });

  it('without the thread the connection checkpoints itself: when it cannot start, is stopped, or dies', async () => {
    const { db, file, keyHex } = encryptedFile();
    const c = checkpointsOf(db);
    expect(ownInterval(db)).toBe(1000);

    // No such file: the thread does not start; the connection keeps its own checkpoints.
    expect(await c.startThread({ file: path.join(path.dirname(file), 'missing.db'), keyHex })).toBe(false);
    expect(c.background).toBe(false);
    expect(ownInterval(db)).toBe(1000);

    // Started, then stopped: they come back.
    expect(await c.startThread({ file, keyHex })).toBe(true);
    expect(ownInterval(db)).toBe(0);
    await c.stopThread();
    expect(c.background).toBe(false);
    expect(ownInterval(db)).toBe(1000);

    // A thread that fails (here: the wrong key, found at its first checkpoint) is reported and hands them back.
    let stopped: Error | null | undefined;
    expect(
      await c.startThread({ file, keyHex: newKey(), everyMs: 20, onStopped: (err) => (stopped = err) }),
    ).toBe(true);
    await waitFor('the failing thread to stop', () => stopped !== undefined, 10_000);
    expect(stopped).toMatchObject({ code: 'SQLITE_NOTADB' });
    expect(c.background).toBe(false);
    expect(ownInterval(db)).toBe(1000);
    // The connection's own checkpoint copies a big commit inside it again.
    const before = size(file);
    writeMany(db, 1500);
    expect(size(file)).toBeGreaterThan(before);
  });
});
