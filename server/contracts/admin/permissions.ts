import { z } from 'zod';

/** Staff roles. A user may hold several; permissions are the union of their roles'. */
export const roles = ['admin', 'clinician', 'front_desk', 'biller'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  admin: 'Administrator',
  clinician: 'Clinician',
  front_desk: 'Front desk',
  biller: 'Billing',
};

/**
 * Every permission a route may require. The role -> permission matrix lives in server/domain (one place);
 * this list is the vocabulary shared with the renderer, which hides what the signed-in user cannot do.
 */
export const permissions = [
  'users.manage',
  'security.manage',
  'audit.read',
  'audit.export',
  'patients.read',
  'patients.write',
  'emergency.access',
] as const;
export const permissionSchema = z.enum(permissions);
export type Permission = z.infer<typeof permissionSchema>;

export const permissionLabels: Record<Permission, string> = {
  'users.manage': 'Manage staff accounts and roles',
  'security.manage': 'Change security settings',
  'audit.read': 'View the audit report',
  'audit.export': 'Export the audit report',
  'patients.read': 'View patient records',
  'patients.write': 'Register and edit patients',
  'emergency.access': 'Emergency access to restricted records (with a reason)',
};
