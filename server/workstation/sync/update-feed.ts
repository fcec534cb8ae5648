import { SYNC_PROTOCOL_VERSION, syncHeaders } from '../../contracts/sync';
import type { UpdateFeed } from '../../contracts/desktop';
import { latestSchemaVersion } from '../db/migrations';
import type { Store } from '../db/store';
import { isEnrolled, readSyncState } from './state';

/**
 * Where the desktop app's updater reads new versions: central's feed (docs/updates.md), authenticated with
 * this workstation's device credential like every other call to central. Null until the workstation is
 * enrolled; the desktop shell then has no feed and does not check.
 */
export function updateFeedOf(store: Store): UpdateFeed {
  const s = readSyncState(store);
  if (!isEnrolled(s)) return null;
  const base = s.centralUrl!.endsWith('/') ? s.centralUrl! : `${s.centralUrl!}/`;
  return {
    url: new URL('v1/updates', base).toString(),
    headers: {
      authorization: `Bearer ${s.credential!}`,
      [syncHeaders.protocol]: String(SYNC_PROTOCOL_VERSION),
      [syncHeaders.schema]: String(latestSchemaVersion),
    },
  };
}
