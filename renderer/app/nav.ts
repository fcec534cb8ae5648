import type { Permission } from '../../server/contracts/admin/permissions';

/**
 * The areas that exist, with the permission each needs. Only built areas are listed: a menu entry that
 * leads nowhere costs a busy person a click and some trust. Schedule, Patients, Notes, Billing and
 * Telehealth join as they are built. `billingItems` lists the Billing area's screens (others add theirs).
 */
export interface NavItem {
  to: string;
  label: string;
  /** Shown when the user holds any of these; none = everyone signed in. */
  anyOf?: Permission[];
  children?: NavItem[];
  description?: string;
}

export const adminItems: NavItem[] = [
  {
    to: '/admin/users',
    label: 'Users',
    anyOf: ['users.manage'],
    description: 'Staff accounts, unlocks and resets',
  },
  {
    to: '/admin/roles',
    label: 'Roles',
    anyOf: ['users.manage'],
    description: 'What each role may do; MFA per role',
  },
  {
    to: '/admin/security',
    label: 'Security',
    anyOf: ['security.manage'],
    description: 'Lockout, idle time-out and MFA policy',
  },
  {
    to: '/admin/maintenance',
    label: 'Maintenance',
    anyOf: ['security.manage'],
    description: 'Backups of this workstation and the database key for escrow',
  },
  {
    to: '/admin/clinic',
    label: 'Clinic',
    anyOf: ['security.manage'],
    description: 'Name, time zone and the 12- or 24-hour clock',
  },
  {
    to: '/admin/reminders',
    label: 'Appointment reminders',
    anyOf: ['security.manage'],
    description: 'When patients get e-mail and text reminders with confirm and cancel links',
  },
  {
    to: '/admin/portal-scheduling',
    label: 'Portal scheduling',
    anyOf: ['schedule.manage'],
    description: 'How long before a visit patients may still cancel it in the portal',
  },
  { to: '/admin/audit', label: 'Audit report', anyOf: ['audit.read'], description: 'Who did what, and when' },
  {
    to: '/admin/note-templates',
    label: 'Note templates',
    anyOf: ['templates.manage'],
    description: 'SOAP, DAP, BIRP, intake and custom templates; versions',
  },
  {
    to: '/admin/code-sets',
    label: 'Code sets',
    anyOf: ['templates.manage'],
    description: 'The ICD-10-CM release diagnoses are coded with; import CDC’s file',
  },
  {
    to: '/admin/supervision',
    label: 'Supervision',
    anyOf: ['users.manage'],
    description: 'Who co-signs supervised clinicians’ notes',
  },
  {
    to: '/admin/sync',
    label: 'Sync',
    anyOf: ['sync.manage'],
    description: 'Central server, enrollment and sync status',
  },
];

export const scheduleItems: NavItem[] = [
  {
    to: '/schedule/board',
    label: 'Check-in board',
    anyOf: ['schedule.read'],
    description: 'Today’s arrivals and visits',
  },
  {
    to: '/schedule/requests',
    label: 'Requests',
    anyOf: ['schedule.read'],
    description: 'Appointments patients asked for in the portal',
  },
  {
    to: '/schedule/waitlist',
    label: 'Waitlist',
    anyOf: ['schedule.read'],
    description: 'Patients wanting an earlier time',
  },
  {
    to: '/schedule/blocks',
    label: 'Blocks',
    anyOf: ['schedule.read'],
    description: 'Lunch, meetings and time off',
  },
  {
    to: '/schedule/setup',
    label: 'Scheduling set-up',
    anyOf: ['schedule.manage'],
    description: 'Providers, rooms, appointment types, hours',
  },
];

export const billingItems: NavItem[] = [
  {
    to: '/billing',
    label: 'Accounts and payments',
    anyOf: ['billing.read'],
    description: 'Patient accounts, the day’s payments, checkout',
  },
  {
    to: '/billing/setup',
    label: 'Set-up',
    anyOf: ['billing.manage'],
    description: 'Service codes, fee schedule, place of service, payment policy',
  },
  {
    to: '/billing/statements',
    label: 'Statements',
    anyOf: ['billing.read'],
    description: 'Monthly statements, patients’ documents, good-faith estimates',
  },
  {
    to: '/billing/claims',
    label: 'Claims',
    anyOf: ['claims.work'],
    description: 'Insurance claims by status, denials to work',
  },
  {
    to: '/billing/eligibility',
    label: 'Eligibility',
    anyOf: ['claims.work'],
    description: 'Ask payers about a day’s patients (270), read the answers (271)',
  },
  {
    to: '/billing/reports',
    label: 'Reports',
    anyOf: ['billing.read'],
    description: 'A/R aging, daily close, payments by method; CSV',
  },
];

export const navItems: NavItem[] = [
  { to: '/', label: 'Home' },
  { to: '/schedule', label: 'Schedule', anyOf: ['schedule.read'], children: scheduleItems },
  { to: '/patients', label: 'Patients', anyOf: ['patients.read'] },
  { to: '/clinical', label: 'My day', anyOf: ['chart.read'] },
  { to: '/inbox', label: 'Inbox', anyOf: ['chart.read'] },
  {
    to: '/billing',
    label: 'Billing',
    anyOf: ['billing.read'],
    // The group link itself opens accounts and payments; the other billing screens are listed under it.
    children: billingItems.filter((i) => i.to !== '/billing'),
  },
  {
    to: '/admin',
    label: 'Admin',
    anyOf: ['users.manage', 'security.manage', 'audit.read', 'templates.manage', 'sync.manage'],
    children: adminItems,
  },
  { to: '/sync/conflicts', label: 'Sync conflicts', anyOf: ['sync.resolve'] },
];

export function visibleItems(items: NavItem[], permissions: readonly Permission[]): NavItem[] {
  return items
    .filter((item) => !item.anyOf || item.anyOf.some((p) => permissions.includes(p)))
    .map((item) => (item.children ? { ...item, children: visibleItems(item.children, permissions) } : item));
}
