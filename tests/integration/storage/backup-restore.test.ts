import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, DatabaseKeyError, openDatabase } from '../../../server/workstation/db/open';
import { backupTo, checkOpens, restoreFrom } from '../../../server/workstation/db/maintenance';
import { Store } from '../../../server/workstation/db/store';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import { dumpDatabase, fileMode, filesUnder, newKey, sha256, snapshot } from '../../support/storage';
import { addStaff, startSignedInAdmin, startTestServer, tempDir, type TestClient, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function addPatient(admin: TestClient, first: string) {
  const res = await admin.call('createPatient', { body: { legalFirstName: first, legalLastName: 'Rivera', dateOfBirth: '1975-06-01' } });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

/** A clinic with users, patients, settings, sessions, audit entries and outbox rows in every table. */
async function populatedClinic() {
  const s = await startSignedInAdmin();
  t = s.t;
  await addStaff(t, s.admin, 'frank.desk', ['front_desk']);
  const p = await addPatient(s.admin, 'Maria');
  await addPatient(s.admin, 'Jonas');
  expect((await s.admin.call('updateSecuritySettings', { body: { lockoutThreshold: 4 } })).status).toBe(200);
  const restricted = await s.admin.call('createPatient', {
    body: { legalFirstName: 'Sam', legalLastName: 'Lee', dateOfBirth: '1990-01-01', restricted: true },
  });
  expect(restricted.status).toBe(201);
  expect(
    (await s.admin.call('emergencyAccess', { body: { patientId: restricted.body.id, reason: 'Patient unconscious in the waiting room' } }))
      .status,
  ).toBe(200);
  expect((await s.admin.call('getPatient', { params: { id: p.id } })).status).toBe(200);
  return s;
}

function readDump(file: string, key: string) {
  const db = openDatabase(file, key, { readonly: true, migrate: false });
  try {
    return dumpDatabase(db);
  } finally {
    db.close();
  }
}

/** What restoring adds to a backup: the restore mark, at the mutation counter the backup holds. */
function withRestoreMark(dump: ReturnType<typeof readDump>) {
  const counter = (dump.tables.sqlite_sequence as { name: string; seq: number }[]).find((r) => r.name === 'outbox')!.seq;
  const meta = [...(dump.tables.meta as { key: string; value: string }[]), { key: 'sync.restored_mutation_base', value: String(counter) }];
  return { ...dump, tables: { ...dump.tables, meta } };
}

describe('backup and restore', () => {
  it('a backup holds exactly the same rows as the database it was made from, and opens', async () => {
    const s = await populatedClinic();
    const backup = path.join(tempDir('tessera-backup-'), 'nested', 'backup.db');
    const { bytes } = backupTo(s.t.server.store.db, s.t.keyHex, backup);
    expect(bytes).toBe(fs.statSync(backup).size);
    expect(fileMode(backup)).toBe(0o600);
    await s.t.stop();
    t = undefined;

    const original = readDump(path.join(s.t.dataDir, DB_FILE_NAME), s.t.keyHex);
    const copy = readDump(backup, s.t.keyHex);
    // Every table has rows, so the comparison is not vacuous.
    for (const name of ['meta', 'users', 'patients', 'clinic_settings', 'sessions', 'emergency_access_grants', 'audit_log', 'outbox']) {
      expect(original.tables[name]!.length, name).toBeGreaterThan(0);
    }
    expect(copy).toEqual(original);
    expect(() => checkOpens(backup, s.t.keyHex)).not.toThrow();

    // A server starts on a folder holding only the backup, with the same data.
    const dir = tempDir();
    fs.copyFileSync(backup, path.join(dir, DB_FILE_NAME));
    // A new port: the backup remembers the old server's, and this client's pooled connection to that origin
    // belongs to the server just stopped (a browser retries such a request; fetch does not).
    t = await startTestServer({ dataDir: dir, keyHex: s.t.keyHex, port: 0 });
    expect(verifyAuditLog(t.server.store)).toMatchObject({ ok: true });
    const admin = await t.client().launch();
    expect((await admin.call('setupStatus')).body).toEqual({ needed: false });
  });

  it('refuses to overwrite an existing file', async () => {
    t = await startTestServer();
    const file = path.join(tempDir(), 'exists.db');
    fs.writeFileSync(file, 'keep me');
    expect(() => backupTo(t!.server.store.db, t!.keyHex, file)).toThrow(/already exists/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('restore swaps in the backup and keeps the previous database beside it', async () => {
    const s = await populatedClinic();
    const backupDir = tempDir('tessera-backup-');
    const backup = path.join(backupDir, 'backup.db');
    backupTo(s.t.server.store.db, s.t.keyHex, backup);
    const backupDump = readDump(backup, s.t.keyHex);
    // Work done after the backup...
    const later = await addPatient(s.admin, 'Later');
    await s.t.stop();
    t = undefined;
    const dbFile = path.join(s.t.dataDir, DB_FILE_NAME);
    const beforeRestore = readDump(dbFile, s.t.keyHex);
    expect(beforeRestore.tables.patients).toContainEqual(expect.objectContaining({ id: later.id }));

    const { keptAs } = restoreFrom(s.t.dataDir, s.t.keyHex, backup, 'STAMP');
    expect(keptAs).toBe(`${dbFile}.before-restore-STAMP`);
    // ...is gone from the restored database, which equals the backup row for row, marked as restored (the
    // mark tells replication which changes are made after the restore, see sync/restore-marker.ts)...
    const restored = readDump(dbFile, s.t.keyHex);
    expect(restored).toEqual(withRestoreMark(backupDump));
    expect(restored.tables.patients).not.toContainEqual(expect.objectContaining({ id: later.id }));
    // ...and kept, complete (WAL folded in), in the previous database.
    expect(readDump(keptAs!, s.t.keyHex)).toEqual(beforeRestore);
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    expect(fs.existsSync(`${dbFile}-shm`)).toBe(false);
    expect(fileMode(dbFile)).toBe(0o600);
    expect(fs.existsSync(path.join(s.t.dataDir, 'server.lock'))).toBe(false);
    // The backup file itself is untouched and can be restored again.
    expect(readDump(backup, s.t.keyHex)).toEqual(backupDump);

    t = await startTestServer({ dataDir: s.t.dataDir, keyHex: s.t.keyHex });
    expect(verifyAuditLog(t.server.store)).toMatchObject({ ok: true });
  });

  it('restore into an empty data folder keeps nothing and needs nothing', async () => {
    const s = await populatedClinic();
    const backup = path.join(tempDir(), 'b.db');
    backupTo(s.t.server.store.db, s.t.keyHex, backup);
    const target = path.join(tempDir(), 'fresh');
    expect(restoreFrom(target, s.t.keyHex, backup, 'X')).toEqual({ keptAs: null });
    expect(readDump(path.join(target, DB_FILE_NAME), s.t.keyHex)).toEqual(withRestoreMark(readDump(backup, s.t.keyHex)));
  });

  it('restore refuses while a server holds the data folder, and changes nothing', async () => {
    const s = await populatedClinic();
    const backup = path.join(tempDir(), 'b.db');
    backupTo(s.t.server.store.db, s.t.keyHex, backup);
    await addPatient(s.admin, 'After');
    const before = snapshot(s.t.dataDir);
    expect(() => restoreFrom(s.t.dataDir, s.t.keyHex, backup, 'X')).toThrow(/Stop the Tessera server/);
    expect(snapshot(s.t.dataDir)).toEqual(before);
    expect(filesUnder(s.t.dataDir).some((f) => f.includes('before-restore'))).toBe(false);
    // The running server is unaffected.
    await addPatient(s.admin, 'StillWorking');
    expect(verifyAuditLog(s.t.server.store)).toMatchObject({ ok: true });
  });

  it('a backup does not open with another key, and restoring it with one changes nothing', async () => {
    const s = await populatedClinic();
    const backup = path.join(tempDir(), 'b.db');
    backupTo(s.t.server.store.db, s.t.keyHex, backup);
    await s.t.stop();
    t = undefined;
    const wrong = newKey();
    const backupHash = sha256(backup);
    expect(() => openDatabase(backup, wrong, { readonly: true, migrate: false })).toThrow(DatabaseKeyError);
    expect(() => openDatabase(backup, wrong)).toThrow(/key does not open this database/);
    expect(() => checkOpens(backup, wrong)).toThrow(DatabaseKeyError);
    expect(sha256(backup)).toBe(backupHash);

    const before = snapshot(s.t.dataDir);
    expect(() => restoreFrom(s.t.dataDir, wrong, backup, 'X')).toThrow(DatabaseKeyError);
    expect(snapshot(s.t.dataDir)).toEqual(before);
    // A backup written under a different key (another workstation's) is refused the same way.
    const otherKey = newKey();
    const other = openDatabase(path.join(tempDir(), DB_FILE_NAME), otherKey);
    new Store(other);
    const otherBackup = path.join(tempDir(), 'other.db');
    backupTo(other, otherKey, otherBackup);
    other.close();
    expect(() => restoreFrom(s.t.dataDir, s.t.keyHex, otherBackup, 'X')).toThrow(DatabaseKeyError);
    expect(snapshot(s.t.dataDir)).toEqual(before);
  });

  it('restore refuses a file that is not a database', async () => {
    t = await startTestServer();
    const { dataDir, keyHex } = t;
    await t.stop();
    t = undefined;
    const junk = path.join(tempDir(), 'junk.db');
    fs.writeFileSync(junk, Buffer.alloc(8192, 7));
    const before = snapshot(dataDir);
    expect(() => restoreFrom(dataDir, keyHex, junk, 'X')).toThrow();
    expect(snapshot(dataDir)).toEqual(before);
  });
});
