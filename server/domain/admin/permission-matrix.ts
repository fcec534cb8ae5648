import { permissions, roles, type Permission, type Role } from '../../contracts/admin/permissions';

/**
 * The one role -> permission matrix. Break-glass (`emergency.access`) is for clinical and administrative
 * staff; front desk and billing work without restricted records. Scheduling: front desk and clinicians book
 * and move patients through the visit; booking over a conflict is for front desk (who own the book) and
 * admins; setting up providers, rooms, types and hours is an admin task; billing only reads.
 * Clinical documentation: clinicians read and write charts and their own notes; the administrator holds
 * everything, including managing note templates and taking over another clinician's draft or deciding an
 * amendment request (medical-records duties); front desk and billing see no clinical content beyond the
 * banner alerts. Telehealth: clinicians and administrators run visits; front desk sees the waiting rooms and sends join
 * links. Sync: administrators enroll the workstation with central; administrators, clinicians and front
 * desk resolve sync conflicts (the records they edit); billing sees the status only.
 * Billing (docs/billing.md): billers hold every billing permission; front desk reads accounts and posts
 * (copays, payments at checkout) but refunds, write-offs, setup and policy overrides are the biller's
 * (and the administrator's); clinicians see their visits' charges through the encounter (chart.read), not
 * patient accounts. Insurance claims (`claims.work`, docs/claims.md) are the biller's and the administrator's.
 */
export const permissionMatrix: Readonly<Record<Role, readonly Permission[]>> = {
  // The administrator holds every permission there is, including any added later.
  admin: permissions,
  clinician: [
    'patients.read',
    'patients.write',
    'emergency.access',
    'schedule.read',
    'schedule.write',
    'checkin.write',
    'chart.read',
    'chart.write',
    'notes.write',
    'sync.resolve',
    'telehealth.invite',
    'telehealth.host',
  ],
  front_desk: [
    'patients.read',
    'patients.write',
    'schedule.read',
    'schedule.write',
    'schedule.override',
    'checkin.write',
    'sync.resolve',
    'telehealth.invite',
    'billing.read',
    'billing.post',
  ],
  biller: [
    'patients.read',
    'schedule.read',
    'billing.read',
    'billing.post',
    'billing.refund',
    'billing.writeoff',
    'billing.manage',
    'billing.override',
    'claims.work',
  ],
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
