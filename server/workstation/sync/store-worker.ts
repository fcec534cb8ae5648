import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open';
import { resumePatientSearch, suspendPatientSearch } from '../db/patient-search-index';
import { Store } from '../db/store';
import { RemoteApplier } from './apply';
import { readSyncState, updateSyncState } from './state';
import {
  OUT_OF_STEP,
  type StorePageRequest,
  type StoreWorkerData,
  type StoreWorkerMessage,
  type StoreWorkerReply,
} from './store-worker-protocol';

/**
 * The thread that stores the first download's pages (see store-worker-client.ts), on its own connection to
 * the workstation's encrypted database. WAL lets the screens read on the main connection meanwhile; their
 * writes wait for at most one page's transaction (busy_timeout), as they waited for the main thread before.
 * Each page is stored exactly as on the main thread (RemoteApplier: unsent local changes laid on top,
 * refused rows to the conflict inbox), with its cursor in the same transaction.
 */

const port = parentPort!;
const { file, keyHex } = workerData as StoreWorkerData;
// The main connection ran the migrations; this one only opens the same file with the same key.
const db = openDatabase(file, keyHex, { migrate: false });
// No checkpoint after each page: each would copy the pages that page changed (the same index pages every
// time) from the WAL into the database file, about a third of the download's storing time. The WAL grows
// instead, and one checkpoint copies each page once when the download is done (on close, below).
db.pragma('wal_autocheckpoint = 0');
let clock = new Date();
const store = new Store(db, () => clock);
const applier = new RemoteApplier(store);
let changed = new Set<string>();
store.onChange((tables) => {
  for (const t of tables) changed.add(t);
});

const reply = (m: StoreWorkerReply) => port.postMessage(m);

function storePage(page: StorePageRequest): void {
  clock = new Date(page.now);
  changed = new Set();
  const started = performance.now();
  const out = store.applyRemote(() => {
    const state = readSyncState(store);
    if (state.cursor !== page.after || state.epoch !== page.epoch)
      throw Object.assign(new Error('page out of step'), { code: OUT_OF_STEP });
    // The search index is built once, in bulk, by the last page (patient-search-index.ts).
    suspendPatientSearch(db);
    const outcome = applier.applyInTransaction(page.changes, { mostlyNew: true });
    if (page.done) resumePatientSearch(db);
    updateSyncState(store, { cursor: page.cursor, ...(page.done && { initialDone: true }) });
    return outcome;
  });
  reply({
    type: 'stored',
    id: page.id,
    applied: out.applied,
    failed: out.failed,
    tables: [...changed],
    ms: performance.now() - started,
  });
}

port.on('message', (m: StoreWorkerMessage) => {
  if (m.type === 'close') {
    // PASSIVE: copies what no reader still needs without waiting for readers; the main connection's
    // checkpoints (resumed after this) finish the rest.
    db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
    port.close();
    return;
  }
  try {
    storePage(m);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    reply({
      type: 'failed',
      id: m.id,
      name: (err as Error)?.name ?? 'Error',
      code: typeof code === 'string' ? code : null,
    });
  }
});
reply({ type: 'ready' });
