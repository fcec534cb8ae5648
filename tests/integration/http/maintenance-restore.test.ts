import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/platform/logging';
import { serveWorkstation, type ServedWorkstation } from '../../../server/workstation/restartable';
import { DB_FILE_NAME } from '../../../server/workstation/db/open';
import { isDataDirLocked } from '../../../server/workstation/data-dir-lock';
import {
  setUpClinic,
  signIn,
  tempDir,
  TestClient,
  TestClock,
  totpCode,
  type TestServer,
} from '../../support/workstation';

/**
 * The restore drill in the app: an administrator makes a backup, the data changes, they restore the backup
 * from Admin > Maintenance (signing in again), the server restarts on the same address onto the restored
 * database, and the earlier data is what it serves. A damaged backup or one made under another key is
 * refused with a sentence, and the current data keeps working.
 */

let served: ServedWorkstation;
let t: TestServer;
let admin: TestClient;
let creds: { username: string; password: string; totpSecret: string };

beforeAll(async () => {
  const dataDir = tempDir();
  const keyHex = crypto.randomBytes(32).toString('hex');
  const clock = new TestClock();
  served = await serveWorkstation({
    dataDir,
    keyHex,
    appVersion: 'test',
    logger: createLogger('tessera-workstation', fs.createWriteStream('/dev/null'), 'error'),
    now: clock.now,
  });
  t = {
    get server() {
      return served.current();
    },
    dataDir,
    keyHex,
    clock,
    logs: [],
    client: () => new TestClient(served.current()),
    stop: () => served.close(),
  };
  admin = await t.client().launch();
  creds = await setUpClinic(t, admin);
  expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
});
afterAll(async () => {
  await served?.close();
});

const patientNames = async (client: TestClient) => {
  const res = await client.call('searchPatients', { query: { q: 'Restorova' } });
  expect(res.status, res.text).toBe(200);
  return res.body.patients.map((p: { legalFirstName: string }) => p.legalFirstName).sort();
};
const addPatient = async (first: string) =>
  expect((await admin.call('createPatient', { body: { legalFirstName: first, legalLastName: 'Restorova', dateOfBirth: '1980-02-02' } })).status).toBe(201);
const freshCode = () => {
  t.clock.advance(30_000);
  return totpCode(creds.totpSecret, t.clock.ms);
};
const auditRows = (action: string) =>
  t.server.store.db.prepare('SELECT outcome, detail FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { outcome: string; detail: string }[];

describe('restoring a backup from Admin > Maintenance', () => {
  let backupName: string;

  it('refuses a wrong password or a damaged backup with a sentence, and the current data keeps working', async () => {
    await addPatient('Before');
    const made = await admin.call('createBackup');
    expect(made.status, made.text).toBe(201);
    backupName = made.body.name;

    const wrong = await admin.call('restoreBackup', { body: { name: backupName, password: 'not my password', code: freshCode() } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ password: 'That password is not right.' });

    // A damaged file and a backup made under another key look alike to the app: neither opens with this key.
    const damaged = 'tessera-20200101T000000Z-manual.db';
    fs.writeFileSync(path.join(t.dataDir, 'backups', damaged), crypto.randomBytes(8192));
    const refused = await admin.call('restoreBackup', { body: { name: damaged, password: creds.password, code: freshCode() } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.name).toMatch(/^That backup cannot be opened: .*Your current data is unchanged/);

    const missing = await admin.call('restoreBackup', { body: { name: 'tessera-20200101T000001Z-manual.db', password: creds.password, code: freshCode() } });
    expect(missing.body.error.fields).toEqual({ name: 'That backup is no longer in the backups folder. Choose another one.' });

    const traversal = await admin.call('restoreBackup', { body: { name: '../db.key', password: creds.password } });
    expect(traversal.status).toBe(400);
    expect(traversal.body.error.fields).toEqual({ name: 'Choose a backup from the list.' });

    expect(await patientNames(admin)).toEqual(['Before']);
    expect(auditRows('backup.restore').map((r) => r.outcome)).toEqual(['failure']); // the wrong password
  });

  it('restores the chosen backup: the server restarts on the same address and serves the earlier data', async () => {
    await addPatient('After');
    expect(await patientNames(admin)).toEqual(['After', 'Before']);
    const before = served.current();

    const res = await admin.call('restoreBackup', { body: { name: backupName, password: creds.password, code: freshCode() } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ restarting: true });
    await served.settled();

    const after = served.current();
    expect(after).not.toBe(before);
    expect(after.port).toBe(before.port);
    expect(isDataDirLocked(t.dataDir)).toBe(true);
    // The data before the restore is kept beside the restored database.
    expect(fs.readdirSync(t.dataDir).filter((f) => f.startsWith(`${DB_FILE_NAME}.before-restore-`))).toHaveLength(1);

    // Sessions were ended: the window is still let in (same launch gate) but signs in again. (The first
    // requests may meet kept-alive connections the old server closed; a browser retries those, so do we.)
    let session;
    for (let attempt = 0; !session; attempt++) session = await admin.call('session').catch((err: unknown) => (attempt < 5 ? undefined : Promise.reject(err)));
    expect(session.status).toBe(401);
    expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
    expect(await patientNames(admin)).toEqual(['Before']);

    const m = await admin.call('getMaintenance');
    expect(m.body.lastRestore).toMatchObject({ backup: backupName, ok: true });
    // Audited in the restored database, which is the one the audit log continues in.
    expect(auditRows('backup.restore').map((r) => [r.outcome, JSON.parse(r.detail).stage])).toEqual([['success', 'restored']]);
  });
});
