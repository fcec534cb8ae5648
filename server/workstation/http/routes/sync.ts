import type { Store } from '../../db/store';
import { systemActor } from '../../db/store';
import { userRoles } from '../../services/admin/user-rows';
import { listConflicts, resolveConflict } from '../../services/sync/conflicts';
import { enrollWorkstation } from '../../services/sync/enrollment';
import type { SyncEngine } from '../../sync/engine';
import type { Handlers } from '../context';

type SyncEndpoints =
  'syncStatus' | 'syncEnroll' | 'syncJoin' | 'syncNow' | 'syncConflicts' | 'syncResolveConflict';

export function syncHandlers(deps: { store: Store; sync: SyncEngine }): Handlers<SyncEndpoints> {
  const { store, sync } = deps;
  return {
    syncStatus: () => sync.status(),
    syncEnroll: ({ body, signedIn }) => enrollWorkstation(store, sync, signedIn.actor, body, 'enroll'),
    syncJoin: ({ body }) => enrollWorkstation(store, sync, systemActor, body, 'join'),
    syncNow: () => {
      sync.retryNow();
      return { ok: true as const };
    },
    syncConflicts: ({ query, signedIn }) => ({
      conflicts: listConflicts(store, signedIn.actor, query.status),
    }),
    syncResolveConflict: ({ params, body, signedIn }) =>
      resolveConflict(store, signedIn.actor, userRoles(signedIn.user), params.id, body.action),
  };
}
