import type { Change } from '../../contracts/sync';

/**
 * Messages between the sync engine and the thread that stores the first download's pages
 * (store-worker.ts, started by store-worker-client.ts). Rows travel by structured clone; the database key
 * travels once, in memory, as the worker's `workerData` (never argv, the environment, a file or a log).
 */

export interface StoreWorkerData {
  file: string;
  keyHex: string;
}

export interface StorePageRequest {
  type: 'page';
  id: number;
  /** The cursor the page was requested after: the page is stored only if the database is still there. */
  after: number;
  /** The epoch the page came from: stored only if the workstation is still in it. */
  epoch: string;
  cursor: number;
  /** The last page: the first download is complete once it commits. */
  done: boolean;
  /** The engine's clock (Store.now), for the conflict-inbox entries a refused row makes. */
  now: string;
  changes: Change[];
}

export type StoreWorkerMessage = StorePageRequest | { type: 'close' };

export type StoreWorkerReply =
  | { type: 'ready' }
  | { type: 'stored'; id: number; applied: number; failed: number; tables: string[]; ms: number }
  /** Error name and code only: a database error's text may quote what it refused. */
  | { type: 'failed'; id: number; name: string; code: string | null };

/** The database moved past the page's cursor (an earlier page failed or another writer advanced it). */
export const OUT_OF_STEP = 'page_out_of_step';
