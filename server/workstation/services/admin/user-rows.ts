import { and, eq, isNull, sql } from 'drizzle-orm';
import type { UserSummary } from '../../../contracts/admin';
import { roleSchema, type Role } from '../../../contracts/admin/permissions';
import { users } from '../../db/schema';
import type { Store } from '../../db/store';
import { liveRow } from '../../db/live-row';
import { prepared } from '../../db/prepared';

export type UserRow = typeof users.$inferSelect;

export const userRoles = (row: UserRow): Role[] => roleSchema.array().parse(JSON.parse(row.roles));

export function findUserByUsername(store: Store, username: string): UserRow | undefined {
  const clinicId = store.clinicId;
  if (!clinicId) return undefined;
  return store.orm
    .select()
    .from(users)
    .where(and(liveRow(users, clinicId), eq(users.username, username.toLowerCase())))
    .get();
}

export function findUserById(store: Store, id: string): UserRow | undefined {
  // Every request resolves its user: prepared once (db/prepared.ts).
  return prepared(store, 'user-by-id', (orm) =>
    orm
      .select()
      .from(users)
      .where(and(eq(users.id, sql.placeholder('id')), isNull(users.deletedAt)))
      .prepare(),
  ).get({ id });
}

export function toUserSummary(row: UserRow): UserSummary {
  return {
    id: row.id,
    username: row.username,
    fullName: row.fullName,
    roles: userRoles(row),
    active: row.active,
    mfaEnrolled: row.mfaSecret !== null,
    passwordChangeRequired: row.passwordChangeRequired,
    lockedUntil: row.lockedUntil,
    failedAttempts: row.failedAttempts,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
  };
}
