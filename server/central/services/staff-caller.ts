import type { Permission } from '../../contracts/admin/permissions';
import { roleSchema, type Role } from '../../contracts/admin/permissions';
import { hasPermission } from '../../domain/admin/permission-matrix';
import { AppError } from '../../platform/errors';
import type { CentralDb } from '../db/pool';
import type { DeviceContext, StaffContext } from '../http/register';

/**
 * The staff member a workstation acts for (`staff` access: video visits, portal access): present in the
 * device's clinic (replicated `users` row), active, holding the permission.
 */
export async function resolveStaffCaller(
  db: CentralDb,
  device: DeviceContext,
  userId: string,
  permission: Permission | undefined,
): Promise<StaffContext> {
  const row = await db.tx({ clinicId: device.clinicId }, (tx) =>
    tx.query<{ data: { fullName?: string; roles?: string; active?: boolean; deletedAt?: string | null } }>(
      `SELECT data FROM replica_rows WHERE clinic_id = $1 AND table_name = 'users' AND row_id = $2`,
      [device.clinicId, userId],
    ),
  );
  const user = row.rows[0]?.data;
  if (!user)
    throw new AppError(
      409,
      'staff_unknown',
      'Your account has not reached the central server yet. Wait a moment for this workstation to sync, then try again.',
    );
  let roles: Role[] = [];
  try {
    roles = roleSchema
      .array()
      .catch([])
      .parse(JSON.parse(user.roles ?? '[]'));
  } catch {
    roles = [];
  }
  if (user.active === false || user.deletedAt)
    throw new AppError(403, 'forbidden', 'This staff account is disabled.');
  if (permission && !hasPermission(roles, permission))
    throw new AppError(403, 'forbidden', 'Your role does not allow this.');
  return { userId, clinicId: device.clinicId, fullName: user.fullName ?? '', roles };
}
