import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openDatabase, type SqliteDatabase } from '../../../server/workstation/db/open';
import { Store, systemActor } from '../../../server/workstation/db/store';
import { readSyncState, updateSyncState } from '../../../server/workstation/sync/state';
import { StoreWorker } from '../../../server/workstation/sync/store-worker-client';
import { OUT_OF_STEP } from '../../../server/workstation/sync/store-worker-protocol';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/**
 * The first download's pages stored by a worker thread on its own connection to the same encrypted
 * database (sync/store-worker.ts): the same guarantees as storing on the main thread — rows and cursor in
 * one transaction, unsent local changes laid over pulled rows, tombstones stored, a refused row kept in the
 * conflict inbox — plus the page check that keeps a later page from committing past one that failed.
 */

const CLINIC = '0190a000-0000-7000-8000-00000000c12e';
const EPOCH = 'epoch-1';
let db: SqliteDatabase;
let store: Store;
let worker: StoreWorker;
const heard: string[][] = [];

const patient = (n: number, first: string, extra: Record<string, unknown> = {}) => ({
  id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  clinicId: CLINIC,
  mrn: String(700_000 + n),
  legalFirstName: first,
  legalLastName: 'Okafor',
  dateOfBirth: '1984-05-06',
  restricted: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...extra,
});
const change = (seq: number, row: ReturnType<typeof patient>) => ({ seq, table: 'patients', rowId: row.id, row });
const names = () =>
  (store.db.prepare('SELECT legal_first_name AS n FROM patients ORDER BY id').all() as { n: string }[]).map(
    (r) => r.n,
  );

beforeAll(async () => {
  const file = path.join(tempDir(), DB_FILE_NAME);
  const key = newKey();
  db = openDatabase(file, key);
  store = new Store(db);
  store.write(systemActor, (w) => store.setClinic(w, CLINIC));
  updateSyncState(store, { epoch: EPOCH, cursor: 0, initialDone: false });
  store.onChange((tables) => heard.push([...tables]));
  const started = await StoreWorker.start({ file, keyHex: key });
  expect(started, 'the worker starts from the source tree').not.toBeNull();
  worker = started!;
}, 120_000);

afterAll(async () => {
  await worker?.close();
  db?.close();
});

describe('pages stored on the worker thread', () => {
  it('commit rows and cursor together, and the main connection sees them at once', async () => {
    const out = await worker.store({
      after: 0,
      epoch: EPOCH,
      cursor: 2,
      done: false,
      now: '2026-02-01T00:00:00.000Z',
      changes: [change(1, patient(1, 'Ada')), change(2, patient(2, 'Bola'))],
    });
    expect(out).toMatchObject({ applied: 2, failed: 0, tables: ['patients'] });
    expect(names()).toEqual(['Ada', 'Bola']);
    expect(readSyncState(store)).toMatchObject({ cursor: 2, initialDone: false });
    // The engine passes the worker's tables on, so open screens refresh as after a page stored here.
    store.changedElsewhere(out.tables);
    expect(heard.at(-1)).toEqual(['patients']);
  });

  it('lay an unsent local change over the pulled row, and store tombstones', async () => {
    const local = patient(1, 'Ada');
    store.write(systemActor, (w) => w.update('patients', local.id, { legalFirstName: 'Adaeze' }));
    await worker.store({
      after: 2,
      epoch: EPOCH,
      cursor: 4,
      done: false,
      now: '2026-02-01T00:00:00.000Z',
      changes: [
        change(3, patient(1, 'Ada', { phoneMobile: '5125550101' })),
        change(4, patient(2, 'Bola', { deletedAt: '2026-01-31T00:00:00.000Z' })),
      ],
    });
    const row = store.db
      .prepare('SELECT legal_first_name AS n, phone_mobile AS p FROM patients WHERE id = ?')
      .get(local.id);
    // The field typed here survives the pull; the field central changed arrives.
    expect(row).toEqual({ n: 'Adaeze', p: '5125550101' });
    const gone = store.db.prepare('SELECT deleted_at AS d FROM patients WHERE id = ?').get(patient(2, '').id);
    expect(gone).toEqual({ d: '2026-01-31T00:00:00.000Z' });
  });

  it('refuse a page requested after another cursor or from another epoch, storing nothing', async () => {
    const before = names();
    const stale = worker.store({
      after: 2,
      epoch: EPOCH,
      cursor: 6,
      done: false,
      now: '2026-02-01T00:00:00.000Z',
      changes: [change(5, patient(5, 'Chidi'))],
    });
    await expect(stale).rejects.toMatchObject({ code: OUT_OF_STEP });
    const otherEpoch = worker.store({
      after: 4,
      epoch: 'epoch-2',
      cursor: 6,
      done: false,
      now: '2026-02-01T00:00:00.000Z',
      changes: [change(5, patient(5, 'Chidi'))],
    });
    await expect(otherEpoch).rejects.toMatchObject({ code: OUT_OF_STEP });
    expect(names()).toEqual(before);
    expect(readSyncState(store).cursor).toBe(4);
    expect(worker.alive).toBe(true);
  });

  it('keep a row the database refuses in the conflict inbox, and finish the first download on the last page', async () => {
    // Same MRN as patient 1: the local unique index refuses it.
    const clash = patient(6, 'Dayo', { mrn: patient(1, '').mrn });
    const out = await worker.store({
      after: 4,
      epoch: EPOCH,
      cursor: 7,
      done: true,
      now: '2026-02-02T00:00:00.000Z',
      changes: [change(6, clash), change(7, patient(7, 'Emeka'))],
    });
    expect(out).toMatchObject({ applied: 1, failed: 1 });
    expect(out.tables).toEqual(expect.arrayContaining(['patients', 'sync_conflicts']));
    const entry = store.db
      .prepare(`SELECT kind, row_id AS rowId, created_at AS at FROM sync_conflicts WHERE kind = 'apply_failed'`)
      .all();
    expect(entry).toEqual([{ kind: 'apply_failed', rowId: clash.id, at: '2026-02-02T00:00:00.000Z' }]);
    expect(readSyncState(store)).toMatchObject({ cursor: 7, initialDone: true });
  });
});
