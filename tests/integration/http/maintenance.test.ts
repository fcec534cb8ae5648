import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOpens } from '../../../server/workstation/db/maintenance';
import { openDatabase } from '../../../server/workstation/db/open';
import { WorkstationBackups } from '../../../server/workstation/services/maintenance/backups';
import { systemActor } from '../../../server/workstation/db/store';
import { fileMode } from '../../support/storage';
import {
  addStaff,
  setUpClinic,
  signIn,
  startTestServer,
  totpCode,
  type TestClient,
  type TestServer,
} from '../../support/workstation';

/**
 * Admin > Maintenance: backups an administrator makes or schedules (encrypted, checked, private, pruned),
 * and the database key shown for escrow only to an administrator who proves who they are again.
 */

let t: TestServer;
let admin: TestClient;
let desk: TestClient;
let creds: { username: string; password: string; totpSecret: string };

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.client().launch();
  creds = await setUpClinic(t, admin);
  expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
  desk = (await addStaff(t, admin, 'dana.desk', ['front_desk'])).client;
  expect(
    (await admin.call('createPatient', { body: { legalFirstName: 'Mira', legalLastName: 'Backupson', dateOfBirth: '1984-04-04' } }))
      .status,
  ).toBe(201);
});
afterAll(async () => {
  await t?.stop();
});

const auditCount = (action: string, outcome = 'success') =>
  (t.server.store.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND outcome = ?').get(action, outcome) as { n: number }).n;

describe('backups', () => {
  it('are for administrators only', async () => {
    expect((await desk.call('getMaintenance')).status).toBe(403);
    expect((await desk.call('createBackup')).status).toBe(403);
  });

  it('start with none, a daily schedule keeping 14, in the data folder', async () => {
    const res = await admin.call('getMaintenance');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      backups: [],
      schedule: { enabled: true, everyHours: 24, keep: 14 },
      folder: path.join(t.dataDir, 'backups'),
      lastRestore: null,
    });
  });

  it('made now: an encrypted, private copy that opens with the key and holds the data', async () => {
    const res = await admin.call('createBackup');
    expect(res.status, res.text).toBe(201);
    expect(res.body.kind).toBe('manual');
    const file = path.join(t.dataDir, 'backups', res.body.name);
    expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(fileMode(file)).toBe(0o600);
    checkOpens(file, t.keyHex);
    const copy = openDatabase(file, t.keyHex, { readonly: true, migrate: false });
    try {
      expect(copy.prepare("SELECT count(*) AS n FROM patients WHERE legal_last_name = 'Backupson'").get()).toEqual({ n: 1 });
    } finally {
      copy.close();
    }
    expect((await admin.call('getMaintenance')).body.backups.map((b: { name: string }) => b.name)).toEqual([res.body.name]);
    expect(auditCount('backup.create')).toBe(1);
  });

  it('refuses a schedule outside its bounds with a sentence, and keeps the old one', async () => {
    const bad = await admin.call('updateBackupSchedule', { body: { enabled: true, everyHours: 0, keep: 200 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      everyHours: 'Back up at most every hour.',
      keep: 'Keep at most 90 automatic backups.',
    });
    expect((await admin.call('getMaintenance')).body.schedule).toEqual({ enabled: true, everyHours: 24, keep: 14 });
  });

  it('run automatically when due, and keep only as many automatic ones as the schedule says', async () => {
    expect((await admin.call('updateBackupSchedule', { body: { enabled: true, everyHours: 1, keep: 2 } })).status).toBe(200);
    const backups = new WorkstationBackups(t.server.store, t.dataDir, t.keyHex);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const b = backups.runDue();
      expect(b?.kind).toBe('automatic');
      made.push(b!.name);
      expect(backups.runDue()).toBeNull(); // not due again within the hour
      t.clock.advance(61 * 60_000);
    }
    // (The clock moved past the session's idle time-out: the service is asked directly from here on.)
    const list = backups.list();
    // The oldest automatic one was pruned; the manual one is never pruned.
    expect(list.filter((b) => b.kind === 'automatic').map((b) => b.name)).toEqual([made[2], made[1]]);
    expect(list.filter((b) => b.kind === 'manual')).toHaveLength(1);

    backups.setSchedule(systemActor, { enabled: false, everyHours: 1, keep: 2 });
    t.clock.advance(5 * 3_600_000);
    expect(backups.runDue()).toBeNull();
  });
});

describe('the database key for escrow', () => {
  it('is shown only after the administrator signs in again, never with a reused code', async () => {
    // Sessions timed out while the clock moved: sign in again.
    admin = await t.client().launch();
    expect((await signIn(t, admin, creds.username, creds.password, creds.totpSecret)).status).toBe(200);
    desk = (await addStaff(t, admin, 'dora.desk', ['front_desk'])).client;
    expect((await desk.call('exportDatabaseKey', { body: { password: 'quiet harbor lantern 9' } })).status).toBe(403);

    const wrong = await admin.call('exportDatabaseKey', { body: { password: 'not my password', code: '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ password: 'That password is not right.' });
    expect(wrong.text).not.toContain(t.keyHex);

    const noCode = await admin.call('exportDatabaseKey', { body: { password: creds.password } });
    expect(noCode.body.error.fields).toEqual({ code: 'Enter the code from your authenticator app.' });

    t.clock.advance(30_000);
    const code = totpCode(creds.totpSecret, t.clock.ms);
    const shown = await admin.call('exportDatabaseKey', { body: { password: creds.password, code } });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.keyHex).toBe(t.keyHex);
    expect(shown.headers.get('cache-control')).toBe('no-store');

    const replay = await admin.call('exportDatabaseKey', { body: { password: creds.password, code } });
    expect(replay.body.error.fields).toEqual({ code: 'That code was used already. Wait for the next one.' });

    expect(auditCount('db.key_export')).toBe(1);
    expect(auditCount('db.key_export', 'failure')).toBe(3);
  });
});

describe('automatic backups and the first download', () => {
  it('wait until the clinic’s first download has finished, then run when due', async () => {
    const backups = new WorkstationBackups(t.server.store, t.dataDir, t.keyHex);
    backups.setSchedule(systemActor, { enabled: true, everyHours: 1, keep: 5 });
    t.clock.advance(2 * 3_600_000);
    const before = backups.list().length;
    expect(backups.tick(() => false)).toBeNull();
    expect(backups.list()).toHaveLength(before);
    expect(backups.tick(() => true)?.kind).toBe('automatic');
    expect(backups.list()).toHaveLength(before + 1);
  });

  it('the server asks the sync engine whether its first download is done', () => {
    // A workstation not joined to a clinic has nothing to download: its first download counts as done.
    expect(t.server.sync!.status().initialSync.done).toBe(true);
  });
});
