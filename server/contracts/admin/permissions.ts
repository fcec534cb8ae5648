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
  'patients.merge',
  'emergency.access',
  'schedule.read',
  'schedule.write',
  'schedule.override',
  'schedule.manage',
  'checkin.write',
  'chart.read',
  'chart.write',
  'notes.write',
  'notes.edit_any',
  'templates.manage',
  'sync.manage',
  'sync.resolve',
  'billing.read',
  'billing.post',
  'billing.refund',
  'billing.writeoff',
  'billing.manage',
  'billing.override',
  'claims.work',
  'telehealth.invite',
  'telehealth.host',
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
  'patients.merge': 'Merge duplicate patient records',
  'emergency.access': 'Emergency access to restricted records (with a reason)',
  'schedule.read': 'View the schedule, the check-in board and waitlists',
  'schedule.write': 'Book, move and cancel appointments; manage blocks and waitlists',
  'schedule.override': 'Book over a conflict (double-book, outside hours) with a reason',
  'schedule.manage': 'Set up providers, locations, rooms, appointment types and hours',
  'checkin.write': 'Check patients in and move them through the visit',
  'chart.read': 'Open charts: problems, allergies, medications, vitals, encounters, notes, plans',
  'chart.write': 'Update charts: problems, allergies, medications, vitals, alerts, encounters, plans',
  'notes.write': 'Write, sign and co-sign their own clinical notes; add addenda',
  'notes.edit_any': "Edit or discard another clinician's draft note; decide amendment requests",
  'templates.manage': 'Create and revise note templates; import the ICD-10-CM code set',
  'sync.manage': 'Enroll this workstation with the central server',
  'sync.resolve': 'Resolve sync conflicts (edits made on two workstations, double bookings)',
  'billing.read': 'View patient accounts, billing documents and billing reports',
  'billing.post': 'Post charges, payments, adjustments and transfers; apply payments; run statements',
  'billing.refund': 'Refund payments',
  'billing.writeoff': 'Write off balances',
  'billing.manage': 'Set up service codes, fee schedules, place-of-service rules and payment policies',
  'billing.override': 'Override the payment policy for a visit (with a reason)',
  'claims.work': 'Work insurance claims: create, batch, read clearinghouse files, post remittances, work denials',
  'telehealth.invite': 'See telehealth waiting rooms and send join links',
  'telehealth.host': 'Run telehealth visits: admit, deny, remove, chat, end',
};
