import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTo } from '../../../server/workstation/db/maintenance';
import { systemActor } from '../../../server/workstation/db/store';
import { readRestoreMark } from '../../../server/workstation/sync/restore-marker';
import {
  createOrgAndClinic,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { cliEnv, runCli } from '../../support/storage';
import {
  centralQuery,
  count,
  fastSync,
  FaultyNetwork,
  joinClinic,
  registerPatients,
  settle,
  setUpAndEnroll,
  type SyncedWorkstation,
} from '../../support/sync';
import { startTestServer, tempDir } from '../../support/workstation';

/**
 * A workstation restored from an older backup (with `tessera restore`, the shipped command) while staff
 * keep working on it before it reaches central again. The backup has forgotten mutation ids that central
 * already applied; changes made after the restore must not be taken for those, whether staff make fewer
 * changes offline than the backup missed or more (then the counter passes what central has seen and looks
 * normal). A change the backup still held as unsent, which the lost database had sent, must not be applied
 * a second time either (it would undo what came after it).
 */

let central: TestCentral;
let operator: CentralAdmin;
const stations: SyncedWorkstation[] = [];

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
});

afterAll(async () => {
  for (const w of stations) await w.t.stop().catch(() => {});
  await central?.destroy();
});

const centralPatient = async (id: string) =>
  (
    await centralQuery(
      central,
      `SELECT data->>'legalLastName' AS last FROM tessera.replica_rows WHERE table_name = 'patients' AND row_id = $1`,
      [id],
    )
  )[0]?.last as string | undefined;
const centralPatients = async (ids: string[]) =>
  (
    await centralQuery(
      central,
      `SELECT count(*)::int AS n FROM tessera.replica_rows WHERE table_name = 'patients' AND row_id = ANY($1)`,
      [ids],
    )
  )[0].n as number;
const lastMutationAtCentral = async (deviceId: string) =>
  (
    await centralQuery(central, 'SELECT last_mutation_id AS n FROM tessera.devices WHERE id = $1', [deviceId])
  )[0].n as number;
const lastName = (w: SyncedWorkstation, id: string) =>
  (
    w.t.server.store.db.prepare('SELECT legal_last_name AS l FROM patients WHERE id = ?').get(id) as {
      l: string;
    }
  ).l;
const rename = (w: SyncedWorkstation, id: string, legalLastName: string) =>
  w.t.server.store.write(systemActor, (wr) =>
    wr.update('patients', id, { legalLastName, updatedAt: w.t.server.store.nowIso() }),
  );

async function restoreThenWorkOffline(gap: number, afterRestore: number) {
  const net = new FaultyNetwork();
  const clinic: TestClinic = await createOrgAndClinic(operator, `Restore ${gap}-${afterRestore}`);
  let a: SyncedWorkstation = await setUpAndEnroll(central, operator, clinic, {
    fetch: net.fetch,
    name: 'Desk',
  });
  const b = await joinClinic(central, operator, clinic, { name: 'Exam room' });
  stations.push(b);
  const deviceId = a.sync.status().deviceId!;
  const [x] = registerPatients(a, 1, 'Renamed');
  await settle(a, b);

  // The backup holds one change not yet sent (the network was down when it was taken)...
  net.offline = true;
  rename(a, x!, 'BeforeBackup');
  const backup = path.join(tempDir('tessera-ws-backup-'), 'backup.db');
  backupTo(a.t.server.store.db, a.t.keyHex, backup);
  // ...which the workstation then sends, followed by work the backup misses.
  net.offline = false;
  rename(a, x!, 'AfterBackup');
  const missed = registerPatients(a, gap, 'Missed');
  await settle(a, b);
  const centralLast = await lastMutationAtCentral(deviceId);

  // The disk fails; IT restores last night's backup with the shipped command, and the network is down.
  const { dataDir, keyHex } = a.t;
  await a.t.stop();
  const restored = await runCli(['restore', '--from', backup, '--data-dir', dataDir], {
    env: cliEnv({ TESSERA_DB_KEY: keyHex }),
  });
  expect(restored.code, restored.stderr).toBe(0);
  net.offline = true;
  const t = await startTestServer({ dataDir, keyHex, sync: fastSync(net.fetch) });
  a = { t, sync: t.server.sync!, client: await t.client().launch(), admin: null };
  stations.push(a);
  expect(readRestoreMark(t.server.store.db)).not.toBeNull();
  expect(lastName(a, x!)).toBe('BeforeBackup');

  // Staff keep working before it reconnects.
  const made = registerPatients(a, afterRestore, 'AfterRestore');
  const counter = count(t, `SELECT seq AS n FROM sqlite_sequence WHERE name = 'outbox'`);
  net.offline = false;
  await settle(a, b);

  // Every change made after the restore reached central and the other workstation...
  expect(await centralPatients(made)).toBe(afterRestore);
  expect(
    count(
      b.t,
      `SELECT count(*) AS n FROM patients WHERE id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(made),
    ),
  ).toBe(afterRestore);
  // ...what the backup missed came back from central...
  expect(
    count(
      t,
      `SELECT count(*) AS n FROM patients WHERE id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(missed),
    ),
  ).toBe(gap);
  // ...and the change the lost database had already sent was not applied again over the later one.
  expect(await centralPatient(x!)).toBe('AfterBackup');
  expect(lastName(a, x!)).toBe('AfterBackup');
  expect(lastName(b, x!)).toBe('AfterBackup');
  // Both copies and central agree, the mark is gone, and central's counter for the device is the local one.
  expect(count(t, 'SELECT count(*) AS n FROM patients')).toBe(
    count(b.t, 'SELECT count(*) AS n FROM patients'),
  );
  expect(readRestoreMark(t.server.store.db)).toBeNull();
  expect(await lastMutationAtCentral(deviceId)).toBe(count(t, 'SELECT max(mutation_id) AS n FROM outbox'));
  await t.stop();
  return { centralLast, counter };
}

describe('a workstation restored from an older backup, with work done before it reconnects', () => {
  it('fewer changes after the restore than the backup missed', async () => {
    const { centralLast, counter } = await restoreThenWorkOffline(20, 3);
    // The case the mutation counter alone can tell: still below what central has seen.
    expect(counter).toBeLessThan(centralLast);
    // Two workstations, a central and the restore command as a child process: slow on a busy machine.
  }, 120_000);

  it('more changes after the restore than the backup missed (the counter passes central’s)', async () => {
    const { centralLast, counter } = await restoreThenWorkOffline(5, 40);
    expect(counter).toBeGreaterThan(centralLast);
  }, 120_000);
});
