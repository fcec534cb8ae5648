import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, DatabaseKeyError, openDatabase } from '../../../server/workstation/db/open';
import {
  describeKeySource,
  KEY_ENV,
  KEY_FILE_NAME,
  readKeyFile,
  resolveHeadlessKey,
} from '../../../server/workstation/db/key-source';
import { backupTo } from '../../../server/workstation/db/maintenance';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { startWorkstationServer } from '../../../server/workstation/start';
import { createLogger } from '../../../server/platform/logging';
import { filesUnder, fileMode, marker, markersIn, newKey, snapshot, sha256 } from '../../support/storage';
import { setUpClinic, signIn, startTestServer, tempDir, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Put each marker into the database through the API: clinic name, a staff member's name, patient names. */
async function fillWithMarkers(server: TestServer) {
  const markers = {
    clinic: marker('Clinic'),
    staff: marker('Staff'),
    first: marker('First'),
    last: marker('Last'),
    first2: marker('Second'),
  };
  const admin = await server.client().launch();
  const creds = await setUpClinic(server, admin, { clinicName: `${markers.clinic} Family Practice` });
  expect((await signIn(server, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
  const staff = await admin.call('createUser', {
    body: { username: 'nina.nurse', fullName: markers.staff, password: 'quiet harbor lantern 9', roles: ['clinician'] },
  });
  expect(staff.status).toBe(201);
  for (const [first, last] of [
    [markers.first, markers.last],
    [markers.first2, 'Okafor'],
  ] as const) {
    const p = await admin.call('createPatient', { body: { legalFirstName: first, legalLastName: last, dateOfBirth: '1980-02-29' } });
    expect(p.status).toBe(201);
  }
  // The values really are stored: the API reads them back.
  const session = await admin.call('session');
  expect(session.body.clinic.name).toBe(`${markers.clinic} Family Practice`);
  return Object.values(markers);
}

describe('encryption at rest', () => {
  it('keeps every marker out of the database, its WAL and a backup, while running and after close', async () => {
    t = await startTestServer();
    const markers = await fillWithMarkers(t);
    const dbFile = path.join(t.dataDir, DB_FILE_NAME);

    // Still running: the recent writes sit in the WAL, not yet checkpointed into the main file.
    const wal = `${dbFile}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    const backup = path.join(tempDir('tessera-backup-'), 'backup.db');
    backupTo(t.server.store.db, t.keyHex, backup);

    const running = [...filesUnder(t.dataDir), backup];
    expect(running).toEqual(expect.arrayContaining([dbFile, wal, backup]));
    for (const file of running) expect({ file, found: markersIn(file, markers) }).toEqual({ file, found: [] });
    // Nor do they turn up in a file name.
    for (const file of running) for (const m of markers) expect(file).not.toContain(m);
    // Not even the file header gives away that this is SQLite.
    expect(fs.readFileSync(dbFile).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(fs.readFileSync(backup).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');

    await t.stop();
    t = undefined;
    const closed = filesUnder(path.dirname(dbFile));
    expect(closed).toContain(dbFile);
    for (const file of [...closed, backup]) expect({ file, found: markersIn(file, markers) }).toEqual({ file, found: [] });
  });

  it('(sanity check of the scan) finds the same kind of markers in an unencrypted database, in its WAL and after close', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    const db = openDatabase(file, null, { unencrypted: true });
    const store = new Store(db);
    const markers = [marker('First'), marker('Last'), marker('Staff')];
    store.write(systemActor, (w) => {
      store.setClinic(w, 'clinic-1');
      w.insert('patients', {
        id: '0190a000-0000-7000-8000-000000000001',
        clinicId: 'clinic-1',
        mrn: '123456782',
        legalFirstName: markers[0]!,
        legalLastName: markers[1]!,
        dateOfBirth: '1980-02-29',
        restricted: false,
        createdAt: store.nowIso(),
        updatedAt: store.nowIso(),
      });
      w.insert('users', {
        id: '0190a000-0000-7000-8000-000000000002',
        clinicId: 'clinic-1',
        username: 'nina',
        fullName: markers[2]!,
        passwordHash: 'x',
        roles: '["clinician"]',
        active: true,
        recoveryCodeHashes: '[]',
        failedAttempts: 0,
        createdAt: store.nowIso(),
        updatedAt: store.nowIso(),
      });
    });
    // Open: the rows are in the WAL.
    expect(markersIn(`${file}-wal`, markers)).toEqual(markers);
    db.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(markersIn(file, markers)).toEqual(markers);

    // And the UTF-16LE half of the scan finds text in a UTF-16 database.
    const utf16 = path.join(dir, 'utf16.db');
    const raw = new Database(utf16);
    raw.pragma(`encoding = 'UTF-16le'`);
    raw.exec('CREATE TABLE t (v TEXT)');
    raw.prepare('INSERT INTO t VALUES (?)').run(markers[0]);
    raw.close();
    expect(fs.readFileSync(utf16).includes(Buffer.from(markers[0]!, 'utf8'))).toBe(false);
    expect(markersIn(utf16, markers)).toEqual([markers[0]]);
  });
});

describe('wrong or missing key', () => {
  function makeDatabase() {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    const key = newKey();
    const db = openDatabase(file, key);
    const store = new Store(db);
    store.audit(systemActor, { action: 'backup.create', detail: { n: 1 } });
    db.close();
    return { dir, file, key };
  }

  it('refuses a wrong key with DatabaseKeyError, changes no byte and creates no file', () => {
    const { dir, file, key } = makeDatabase();
    const before = snapshot(dir);
    const wrong = newKey();
    for (const options of [{}, { readonly: true }, { migrate: false }]) {
      let error: unknown;
      try {
        openDatabase(file, wrong, options).close();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DatabaseKeyError);
      expect((error as Error).message).toMatch(/key does not open this database/);
      expect((error as Error).message).not.toContain(wrong);
    }
    expect(snapshot(dir)).toEqual(before);
    // The right key still opens it, with its data.
    const db = openDatabase(file, key, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    db.close();
  });

  it('a server started with the wrong key fails, releases the data folder and leaves the database alone', async () => {
    const { dir, key } = makeDatabase();
    const before = snapshot(dir);
    await expect(
      startWorkstationServer({ dataDir: dir, keyHex: newKey(), appVersion: 'test', logger: createLogger('tessera-workstation', undefined, 'silent') }),
    ).rejects.toThrow(DatabaseKeyError);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'server.lock'))).toBe(false);
    t = await startTestServer({ dataDir: dir, keyHex: key });
    expect((await (await t.client().launch()).call('health')).status).toBe(200);
  });

  it('a malformed or missing key is refused before any file is created', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', DB_FILE_NAME);
    for (const key of [null, '', 'abc', 'g'.repeat(64), newKey().toUpperCase(), `${newKey()}00`]) {
      expect(() => openDatabase(file, key)).toThrow(DatabaseKeyError);
    }
    expect(filesUnder(dir)).toEqual([]);
    // With that folder still empty, headless start may create a key for it.
    expect(resolveHeadlessKey(path.dirname(file), {}).source).toBe('new-key-file');
  });
});

describe('headless key source', () => {
  it('uses TESSERA_DB_KEY when set, says so, and writes no key file', () => {
    const dir = tempDir();
    const key = newKey();
    const resolved = resolveHeadlessKey(dir, { [KEY_ENV]: `  ${key.toUpperCase()}\n` });
    expect(resolved).toEqual({ keyHex: key, source: 'environment' });
    expect(describeKeySource(resolved)).toBe('Database key: from the TESSERA_DB_KEY environment variable.');
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
  });

  it('prefers the environment over an existing key file', () => {
    const dir = tempDir();
    const fileKey = resolveHeadlessKey(dir, {}).keyHex;
    const envKey = newKey();
    expect(resolveHeadlessKey(dir, { [KEY_ENV]: envKey })).toEqual({ keyHex: envKey, source: 'environment' });
    expect(readKeyFile(path.join(dir, KEY_FILE_NAME))).toBe(fileKey);
  });

  it('rejects an invalid TESSERA_DB_KEY without falling back to a key file', () => {
    const dir = tempDir();
    for (const bad of ['abc', 'g'.repeat(64), newKey().slice(1), `${newKey()}0`, 'x'.repeat(10)]) {
      expect(() => resolveHeadlessKey(dir, { [KEY_ENV]: bad })).toThrow(/TESSERA_DB_KEY must be 64 hex characters/);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('creates a 0600 key file (in a 0700 folder) on first run and reads it back afterwards', () => {
    const dir = path.join(tempDir(), 'data');
    const first = resolveHeadlessKey(dir, {});
    const keyFile = path.join(dir, KEY_FILE_NAME);
    expect(first).toEqual({ keyHex: expect.stringMatching(/^[0-9a-f]{64}$/), source: 'new-key-file', keyFile });
    expect(describeKeySource(first)).toMatch(/new key created in .*db\.key \(mode 0600\)\. Back it up/);
    expect(fileMode(keyFile)).toBe(0o600);
    expect(fileMode(dir)).toBe(0o700);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(first.keyHex);
    expect(fs.readdirSync(dir)).toEqual([KEY_FILE_NAME]); // no temp file left behind

    const second = resolveHeadlessKey(dir, {});
    expect(second).toEqual({ keyHex: first.keyHex, source: 'key-file', keyFile });
    expect(describeKeySource(second)).toBe(`Database key: from key file ${keyFile} (mode 0600).`);
    // Two keys for one data folder would be two databases: the same key every time.
    expect(resolveHeadlessKey(dir, {}).keyHex).toBe(first.keyHex);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file that other users can read', () => {
    const dir = tempDir();
    const { keyFile } = resolveHeadlessKey(dir, {});
    for (const mode of [0o640, 0o604, 0o660, 0o644]) {
      fs.chmodSync(keyFile!, mode);
      expect(() => resolveHeadlessKey(dir, {})).toThrow(DatabaseKeyError);
      expect(() => resolveHeadlessKey(dir, {})).toThrow(/readable by other users .*chmod 600/);
    }
    fs.chmodSync(keyFile!, 0o400);
    expect(resolveHeadlessKey(dir, {}).source).toBe('key-file');
  });

  it('refuses a key file that does not hold a key', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, KEY_FILE_NAME), 'not a key\n', { mode: 0o600 });
    expect(() => resolveHeadlessKey(dir, {})).toThrow(/does not hold a 64-hex-character key/);
  });

  it('refuses to make a new key for an existing database whose key is missing', () => {
    const dir = tempDir();
    const key = resolveHeadlessKey(dir, {}).keyHex;
    openDatabase(path.join(dir, DB_FILE_NAME), key).close();
    fs.rmSync(path.join(dir, KEY_FILE_NAME));
    const before = snapshot(dir);
    expect(() => resolveHeadlessKey(dir, {})).toThrow(DatabaseKeyError);
    expect(() => resolveHeadlessKey(dir, {})).toThrow(/exists but its key was not found.*will not create a new key/);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    // The database is untouched and still opens with its key.
    expect(sha256(path.join(dir, DB_FILE_NAME))).toBe(before[DB_FILE_NAME]);
    openDatabase(path.join(dir, DB_FILE_NAME), key, { readonly: true }).close();
  });
});
