import { and, eq, isNull } from 'drizzle-orm';
import type { UserSummary } from '../../../contracts/admin';
import { roleSchema, type Role } from '../../../contracts/admin/permissions';
import { users } from '../../db/schema';
import type { Store } from '../../db/store';
import { liveRow } from '../../db/live-row';

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
  return store.orm
    .select()
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)))
    .get();
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
