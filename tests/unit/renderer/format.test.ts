import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../renderer/ui/format';
import { isLocked } from '../../../renderer/features/admin/user-status';
import { safeNext } from '../../../renderer/app/guards';
import { visibleItems, navItems } from '../../../renderer/app/nav';

describe('dates', () => {
  it('times follow the clinic zone, not the workstation', () => {
    expect(formatDateTime('2025-03-10T03:30:00Z', 'America/Chicago')).toBe('Mar 9, 2025, 22:30:00');
    expect(formatDateTime(null, 'UTC')).toBe('—');
  });
});

describe('users', () => {
  it('a lockout in the past is over', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(isLocked({ lockedUntil: null }, now)).toBe(false);
    expect(isLocked({ lockedUntil: '2025-01-01T12:10:00Z' }, now)).toBe(true);
    expect(isLocked({ lockedUntil: '2025-01-01T11:59:00Z' }, now)).toBe(false);
  });
});

describe('navigation', () => {
  it('follows only same-app paths after sign-in', () => {
    expect(safeNext('/admin/users?x=1')).toBe('/admin/users?x=1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('shows Admin only with an admin permission, and each sub-page with its own', () => {
    expect(visibleItems(navItems, ['patients.read', 'patients.write']).map((i) => i.label)).toEqual([
      'Home',
      'Patients',
    ]);
    const auditor = visibleItems(navItems, ['audit.read']);
    expect(auditor.map((i) => i.label)).toEqual(['Home', 'Admin']);
    expect(auditor[1]?.children?.map((i) => i.label)).toEqual(['Audit report']);
  });
});
