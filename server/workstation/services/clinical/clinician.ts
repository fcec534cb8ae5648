import { and, eq, inArray } from 'drizzle-orm';
import type { PersonRef } from '../../../contracts/clinical';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import type { Viewer } from '../../../domain/clinical/note-lifecycle';
import { users } from '../../db/schema';
import type { Actor, Store } from '../../db/store';
import { userRoles, type UserRow } from '../admin/user-rows';
import { liveRow } from '../../db/live-row';

/** The signed-in staff member as the clinical services see them: who, and what they may do to notes. */
export interface Clinician {
  actor: Actor & { userId: string };
  viewer: Viewer;
  /** How records name this user (author, signer, editor). */
  me: PersonRef;
}

export function clinicianOf(user: UserRow): Clinician {
  const roles = userRoles(user);
  return {
    me: { id: user.id, name: user.fullName },
    actor: { userId: user.id, username: user.username },
    viewer: {
      userId: user.id,
      writesNotes: hasPermission(roles, 'notes.write'),
      editsAnyNote: hasPermission(roles, 'notes.edit_any'),
    },
  };
}

/** Names for user ids, in one query. A removed account still has a name: records keep who wrote them. */
export function people(store: Store, ids: Iterable<string | null | undefined>): (id: string) => PersonRef {
  const wanted = [...new Set([...ids].filter((x): x is string => !!x))];
  const rows = wanted.length
    ? store.orm
        .select({ id: users.id, fullName: users.fullName })
        .from(users)
        .where(inArray(users.id, wanted))
        .all()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r.fullName]));
  return (id: string) => ({ id, name: byId.get(id) ?? 'Unknown user' });
}

/** Active staff who write notes: encounter providers, note authors, supervisors. */
export function noteWriters(store: Store): UserRow[] {
  return store.orm
    .select()
    .from(users)
    .where(and(liveRow(users, store.requireClinicId()), eq(users.active, true)))
    .all()
    .filter((u) => hasPermission(userRoles(u), 'notes.write'))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}
