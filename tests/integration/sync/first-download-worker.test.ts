import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointsOf } from '../../../server/workstation/db/background-checkpoints';
import { patientSearchSuspended } from '../../../server/workstation/db/patient-search-index';
import type { FetchLike } from '../../../server/workstation/sync/central-client';
import { readSyncState } from '../../../server/workstation/sync/state';
import { seedPatients } from '../../bench/patients-data';
import {
  createOrgAndClinic,
  enrollmentCode,
  signedInAdmin,
  startTestCentral,
  type CentralAdmin,
  type TestCentral,
  type TestClinic,
} from '../../support/central';
import { count, fastSync, settle, setUpAndEnroll, waitFor, type SyncedWorkstation } from '../../support/sync';
import { startTestServer, type TestServer } from '../../support/workstation';

/**
 * A fresh workstation's first download handed to the page-storing thread (sync/store-worker.ts) part-way,
 * as in a real join: the first pages are stored on the main thread while the thread starts, the rest on
 * the thread. A request failing in the middle (the network) must cost nothing: the download resumes from
 * the last committed page and every row arrives exactly once.
 */

let central: TestCentral;
let operator: CentralAdmin;
let clinic: TestClinic;
let a: SyncedWorkstation;
let b: TestServer | null = null;
const checkpointEvery = (t: TestServer) =>
  t.server.store.db.pragma('wal_autocheckpoint', { simple: true }) as number;
/** Paused for the thread: neither the checkpoint thread nor the connection checkpoints. */
const checkpointsPaused = (t: TestServer) =>
  checkpointsOf(t.server.store.db).paused && checkpointEvery(t) === 0;

beforeAll(async () => {
  central = await startTestCentral();
  operator = await signedInAdmin(central);
  clinic = await createOrgAndClinic(operator);
  a = await setUpAndEnroll(central, operator, clinic, { name: 'Front desk 1' });
  seedPatients(a.t.server.store, 300, { batch: 100 });
  await settle(a);
}, 240_000);

afterAll(async () => {
  await b?.stop();
  await a?.t.stop();
  await central?.destroy();
});

describe('the first download on the page-storing thread', () => {
  it('takes over from the main thread, survives a failed request, and stores every row once', async () => {
    let pullsAfterFirst = 0;
    let failed = false;
    let held = false;
    let pausedDuring: boolean | null = null;
    const fetch: FetchLike = async (url, init) => {
      if (url.includes('/v1/sync/pull') && !url.includes('cursor=0&')) {
        // Hold the download until the thread runs, so that it provably takes over (its start takes seconds here).
        if (!held)
          await waitFor('the page-storing thread', () => b?.server.sync?.storeWorkerRunning, 180_000);
        held = true;
        // While the thread stores pages, this connection's commits do not checkpoint its WAL.
        if (pullsAfterFirst === 2) pausedDuring = checkpointsPaused(b!);
        if (++pullsAfterFirst === 4 && !failed) {
          failed = true;
          throw new TypeError('fetch failed');
        }
      }
      return globalThis.fetch(url, init);
    };
    b = await startTestServer({ sync: { ...fastSync(fetch), pullPage: 20, storeWorkerFrom: 0 } });
    const client = await b.client().launch();
    const code = await enrollmentCode(operator, clinic.clinicId);
    const joined = await client.call('syncJoin', {
      body: { centralUrl: central.url, code, workstationName: 'Exam room 2' },
    });
    expect(joined.status).toBe(200);
    const sync = b.server.sync!;
    await waitFor('the first download', () => sync.status().initialSync.done, 180_000);

    expect(failed).toBe(true);
    expect(sync.pagesStoredOnWorker).toBeGreaterThan(5);
    const store = b.server.store;
    expect(count(b, 'SELECT count(*) AS n FROM patients')).toBe(
      count(a.t, 'SELECT count(*) AS n FROM patients'),
    );
    expect(count(b, 'SELECT count(*) AS n FROM users')).toBe(count(a.t, 'SELECT count(*) AS n FROM users'));
    expect(count(b, 'SELECT count(*) AS n FROM sync_conflicts')).toBe(0);
    // The patient search index, suspended on the thread and rebuilt in bulk by the last page, equals the
    // one the triggers kept row by row on the workstation that registered the patients.
    const keys = 'SELECT count(*) AS n FROM patient_search_keys';
    expect(count(b, keys)).toBe(count(a.t, keys));
    expect(count(b, keys)).toBeGreaterThanOrEqual(300);
    const index = (t: TestServer) => ({
      names: t.server.store.db
        .prepare(
          `SELECT k.patient_id, n.names FROM patient_name_search n JOIN patient_search_keys k ON k.key = n.rowid
           ORDER BY k.patient_id`,
        )
        .all(),
      phones: t.server.store.db
        .prepare('SELECT * FROM patient_phone_search ORDER BY digits, patient_id')
        .all(),
      terms: t.server.store.db.prepare('SELECT term FROM patient_name_terms ORDER BY term').all(),
    });
    expect(index(b)).toEqual(index(a.t));
    expect(patientSearchSuspended(store.db)).toBe(false);
    const state = readSyncState(store);
    expect(state.initialDone).toBe(true);
    await sync.syncNow();
    expect(sync.status()).toMatchObject({ state: 'online', pending: 0 });
    // The thread is closed once the first download is done.
    await waitFor('the thread to close', () => !sync.storeWorkerRunning, 30_000);
    // ...and once it has closed (checkpointing what it wrote), they run again: on the checkpoint thread
    // (../db/background-checkpoints.ts), the connection itself no longer checkpointing inside its commits.
    expect(pausedDuring).toBe(true);
    await waitFor('checkpoints to resume', () => !checkpointsPaused(b!), 30_000);
    expect(checkpointsOf(store.db).background).toBe(true);
    expect(checkpointEvery(b!)).toBe(0);
    const [wal] = store.db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    expect(wal).toMatchObject({ busy: 0, checkpointed: wal!.log });
  }, 300_000);
});
