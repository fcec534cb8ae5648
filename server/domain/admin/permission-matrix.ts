import { roles, type Permission, type Role } from '../../contracts/admin/permissions';

/**
 * The one role -> permission matrix. Break-glass (`emergency.access`) is for clinical and administrative
 * staff; front desk and billing work without restricted records.
 */
export const permissionMatrix: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'users.manage',
    'security.manage',
    'audit.read',
    'audit.export',
    'patients.read',
    'patients.write',
    'emergency.access',
  ],
  clinician: ['patients.read', 'patients.write', 'emergency.access'],
  front_desk: ['patients.read', 'patients.write'],
  biller: ['patients.read'],
};

export function permissionsFor(userRoles: readonly Role[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of userRoles) for (const p of permissionMatrix[role]) granted.add(p);
  return [...granted].sort();
}

export function hasPermission(userRoles: readonly Role[], permission: Permission): boolean {
  return userRoles.some((role) => permissionMatrix[role].includes(permission));
}

export function rolesWith(permission: Permission): Role[] {
  return roles.filter((role) => permissionMatrix[role].includes(permission));
}
