import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../server/workstation/db/migrations';
import { verifyAuditLog } from '../../../server/workstation/services/audit/verify';
import {
  CentralClient,
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { startPgBouncer, type TestPgBouncer } from '../../support/pgbouncer';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { count, joinClinic, settle, setUpAndEnroll, waitFor, type SyncedWorkstation } from '../../support/sync';

/**
 * Two central processes that share nothing but PostgreSQL, reached through PgBouncer in transaction pooling
 * mode (a few server connections shared by every request of both processes and both clinics): the tenant
 * named per transaction keeps clinics apart on reused connections, and the live channel (LISTEN on a direct
 * connection, NOTIFY through the pooler) carries changes and revocations from one process to the other.
 */

let db: TestDatabase;
let bouncer: TestPgBouncer;
let nodeA: TestCentral;
let nodeB: TestCentral;
let operator: CentralAdmin;
let clinic1: TestClinic;
let clinic2: TestClinic;
const stations: SyncedWorkstation[] = [];
let ws1: SyncedWorkstation;
let ws2: SyncedWorkstation;
let ws3: SyncedWorkstation;

beforeAll(async () => {
  db = await createTestDatabase('pgbouncer');
  bouncer = await startPgBouncer(db.apiUrl, 3);
  const viaPooler = { databaseUrl: bouncer.url, listenDatabaseUrl: db.apiUrl };
  nodeA = await startTestCentral({ db, config: viaPooler });
  // Same database, same secret: the processes are interchangeable.
  nodeB = await startTestCentral({ db, config: { ...viaPooler, migrateOnStart: false, secret: nodeA.config.secret } });
  operator = await signedInAdmin(nodeA);
  clinic1 = await createOrgAndClinic(operator, 'Riverside Family Practice');
  clinic2 = await createOrgAndClinic(operator, 'Lakeside Counseling');
  ws1 = await setUpAndEnroll(nodeA, operator, clinic1);
  ws2 = await joinClinic(nodeB, operator, clinic1);
  ws3 = await setUpAndEnroll(nodeB, operator, clinic2);
  stations.push(ws1, ws2, ws3);
}, 240_000);

afterAll(async () => {
  for (const s of stations) await s.t.stop();
  await nodeB?.stop();
  await nodeA?.stop();
  await bouncer?.stop();
  await db?.drop();
});

const patientCount = (ws: SyncedWorkstation, last: string) =>
  count(ws.t, 'SELECT count(*) AS n FROM patients WHERE legal_last_name = ?', last);

describe('two central processes behind PgBouncer (transaction pooling)', () => {
  it('a change pushed to one process reaches a workstation of the other through the live channel', async () => {
    const before = await bouncer.transactions();
    const created = await ws1.client.call('createPatient', {
      body: { legalFirstName: 'Ada', legalLastName: 'Pooler', dateOfBirth: '1980-02-03' },
    });
    expect(created.status).toBe(201);
    await ws1.sync.syncNow();
    // ws2 is on the other process: it hears of the change and pulls it without being asked to.
    await waitFor('the patient on the other process’s workstation', () => patientCount(ws2, 'Pooler') === 1, 15_000);
    expect(await bouncer.transactions()).toBeGreaterThan(before);
  });

  it('keeps clinics apart on shared server connections under concurrent traffic', async () => {
    const writes = [];
    for (let i = 0; i < 12; i++) {
      writes.push(
        ws1.client.call('createPatient', {
          body: { legalFirstName: `One${i}`, legalLastName: 'Riverside', dateOfBirth: `1970-01-${String(i + 1).padStart(2, '0')}` },
        }),
        ws3.client.call('createPatient', {
          body: { legalFirstName: `Two${i}`, legalLastName: 'Lakeside', dateOfBirth: `1971-02-${String(i + 1).padStart(2, '0')}` },
        }),
      );
    }
    const answers = await Promise.all(writes);
    expect(answers.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    await Promise.all([settle(ws1, ws2), settle(ws3)]);
    await Promise.all([ws1.sync.syncNow(), ws2.sync.syncNow(), ws3.sync.syncNow()]);
    expect(patientCount(ws2, 'Riverside')).toBe(12);
    expect(patientCount(ws3, 'Riverside')).toBe(0);
    expect(patientCount(ws3, 'Pooler')).toBe(0);
    expect(patientCount(ws1, 'Lakeside')).toBe(0);
    expect(patientCount(ws2, 'Lakeside')).toBe(0);
  });

  it('a device revoked on one process is refused by the other at once', async () => {
    const devices = await operator.client.call('listDevices', { params: { clinicId: clinic2.clinicId } });
    const device = devices.body.devices[0];
    const credential = ws3.t.server.store.db.prepare('SELECT credential FROM sync_state WHERE id = 1').get() as {
      credential: string;
    };
    const onB = new CentralClient(nodeB.url, credential.credential, {
      'x-tessera-protocol': '1',
      'x-tessera-schema': String(latestSchemaVersion),
    });
    expect((await onB.call('syncHello')).status).toBe(200);
    const revoked = await operator.client.call('revokeDevice', {
      params: { clinicId: clinic2.clinicId, deviceId: device.id },
    });
    expect(revoked.status).toBe(200);
    await waitFor('node B to refuse the revoked device', async () => (await onB.call('syncHello')).status === 401, 5_000);
  });

  it('seals the portal audit chain once per entry when both processes pull at the same time', async () => {
    // 2,500 portal acts waiting (more than one sealing batch), as the portal records them: unsealed rows.
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      await owner.query(
        `INSERT INTO tessera.portal_activity (clinic_id, id, account_id, patient_id, action, outcome, at)
         SELECT $1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'appointments.read', 'ok',
                now() - make_interval(secs => i)
           FROM generate_series(1, 2500) AS i`,
        [clinic1.clinicId],
      );
    } finally {
      await owner.end();
    }
    const clientOf = (ws: SyncedWorkstation, url: string) =>
      new CentralClient(
        url,
        (
          ws.t.server.store.db.prepare('SELECT credential FROM sync_state WHERE id = 1').get() as {
            credential: string;
          }
        ).credential,
        { 'x-tessera-protocol': '1', 'x-tessera-schema': String(latestSchemaVersion) },
      );
    const onA = clientOf(ws1, nodeA.url);
    const onB = clientOf(ws2, nodeB.url);
    // Both processes seal at once, through three pooled server connections.
    const pages = await Promise.all(
      [onA, onB, onA, onB].map((c) => c.call('syncPortalAudit', { query: { after: 0, limit: 5 } })),
    );
    for (const p of pages) expect(p.status, p.text).toBe(200);
    await Promise.all([ws1.sync.syncNow(), ws2.sync.syncNow()]);
    for (const ws of [ws1, ws2]) {
      expect(count(ws.t, 'SELECT count(*) AS n FROM portal_audit_log')).toBe(2500);
      expect(count(ws.t, 'SELECT count(DISTINCT hash) AS n FROM portal_audit_log')).toBe(2500);
      expect(verifyAuditLog(ws.t.server.store)).toMatchObject({ ok: true, problems: [] });
    }
  });
});
