import { eq } from 'drizzle-orm';
import { syncState } from '../db/schema';
import type { Store } from '../db/store';

/** This workstation's one sync_state row: enrollment, epoch, cursor, and why sync is blocked (if it is). */

export type SyncStateRow = typeof syncState.$inferSelect;

export function readSyncState(store: Store): SyncStateRow {
  return store.orm.select().from(syncState).where(eq(syncState.id, 1)).get()!;
}

/** Local bookkeeping (not a replicated table), written directly like sessions are. */
export function updateSyncState(store: Store, patch: Partial<Omit<SyncStateRow, 'id'>>): void {
  store.orm.update(syncState).set(patch).where(eq(syncState.id, 1)).run();
}

export const isEnrolled = (s: SyncStateRow) => Boolean(s.deviceId && s.credential && s.centralUrl);
