import type { Permission } from '../../server/contracts/admin/permissions';

/**
 * The areas that exist, with the permission each needs. Only built areas are listed: a menu entry that
 * leads nowhere costs a busy person a click and some trust. Schedule, Patients, Notes, Billing and
 * Telehealth join as they are built.
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
  { to: '/admin/audit', label: 'Audit report', anyOf: ['audit.read'], description: 'Who did what, and when' },
];

export const navItems: NavItem[] = [
  { to: '/', label: 'Home' },
  {
    to: '/admin',
    label: 'Admin',
    anyOf: ['users.manage', 'security.manage', 'audit.read'],
    children: adminItems,
  },
];

export function visibleItems(items: NavItem[], permissions: readonly Permission[]): NavItem[] {
  return items
    .filter((item) => !item.anyOf || item.anyOf.some((p) => permissions.includes(p)))
    .map((item) => (item.children ? { ...item, children: visibleItems(item.children, permissions) } : item));
}
