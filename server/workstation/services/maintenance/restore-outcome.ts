import type { RestoreOutcome } from '../../../contracts/maintenance';
import { restoreOutcomeSchema } from '../../../contracts/maintenance';
import { systemActor, type Store } from '../../db/store';

/**
 * What the last in-app restore came to, kept in the database the server runs on afterwards (the restored
 * one, or the current one when the restore failed), so Admin > Maintenance can say so once it is back.
 */
const META = 'backup.last_restore';

export function recordRestoreOutcome(store: Store, outcome: RestoreOutcome): void {
  store.write(systemActor, (w) => w.setMeta(META, JSON.stringify(outcome)));
}

export function lastRestore(store: Store): RestoreOutcome | null {
  const raw = store.getMeta(META);
  const parsed = raw ? restoreOutcomeSchema.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : null;
}
