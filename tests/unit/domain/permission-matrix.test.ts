import { describe, expect, it } from 'vitest';
import { permissions, roles } from '../../../server/contracts/admin/permissions';
import { api, type Endpoint } from '../../../server/contracts/api';
import {
  hasPermission,
  permissionMatrix,
  permissionsFor,
  rolesWith,
} from '../../../server/domain/admin/permission-matrix';

describe('permission matrix', () => {
  it('defines every role, using only known permissions, without duplicates', () => {
    expect(Object.keys(permissionMatrix).sort()).toEqual([...roles].sort());
    for (const role of roles) {
      const granted = permissionMatrix[role];
      expect(new Set(granted).size, role).toBe(granted.length);
      for (const p of granted) expect(permissions, `${role}: ${p}`).toContain(p);
    }
  });

  it('grants every permission to at least one role, so no endpoint is unreachable', () => {
    for (const p of permissions) expect(rolesWith(p).length, p).toBeGreaterThan(0);
    for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
      if (e.access === 'public' || e.access === 'launch' || e.access === 'session') continue;
      expect(permissions, name).toContain(e.access);
      expect(rolesWith(e.access).length, name).toBeGreaterThan(0);
    }
  });

  it('gives the administrator every permission, including all administrative ones', () => {
    expect([...permissionMatrix.admin].sort()).toEqual([...permissions].sort());
    for (const p of ['users.manage', 'security.manage', 'audit.read', 'audit.export'] as const) {
      expect(rolesWith(p)).toEqual(['admin']);
    }
  });

  it('keeps break-glass away from front desk and billing, and writes away from billing', () => {
    expect(rolesWith('emergency.access').sort()).toEqual(['admin', 'clinician']);
    expect(hasPermission(['front_desk'], 'emergency.access')).toBe(false);
    expect(hasPermission(['biller'], 'emergency.access')).toBe(false);
    expect(hasPermission(['biller'], 'patients.write')).toBe(false);
    expect(hasPermission(['clinician'], 'audit.read')).toBe(false);
  });

  it('gives a user with several roles the union of their permissions, sorted and without repeats', () => {
    // Each area adds permissions; these checks look at the patient-record ones, and the scheduling ones below.
    const records = (granted: string[]) =>
      granted.filter((p) => p.startsWith('patients.') || p === 'emergency.access');
    const scheduling = (granted: string[]) =>
      granted.filter((p) => p.startsWith('schedule.') || p.startsWith('checkin.'));
    expect(permissionsFor([])).toEqual([]);
    expect(records(permissionsFor(['biller']))).toEqual(['patients.read']);
    expect(records(permissionsFor(['biller', 'front_desk']))).toEqual(['patients.read', 'patients.write']);
    expect(records(permissionsFor(['front_desk', 'clinician', 'front_desk']))).toEqual([
      'emergency.access',
      'patients.read',
      'patients.write',
    ]);
    expect(scheduling(permissionsFor(['biller']))).toEqual(['schedule.read']);
    expect(scheduling(permissionsFor(['clinician']))).toEqual([
      'checkin.write',
      'schedule.read',
      'schedule.write',
    ]);
    expect(scheduling(permissionsFor(['front_desk']))).toEqual([
      'checkin.write',
      'schedule.override',
      'schedule.read',
      'schedule.write',
    ]);
    expect(rolesWith('schedule.manage')).toEqual(['admin']);
    expect(permissionsFor(['biller', 'admin'])).toEqual([...permissions].sort());
    for (const a of roles) {
      for (const b of roles) {
        const union = new Set([...permissionMatrix[a], ...permissionMatrix[b]]);
        expect(permissionsFor([a, b])).toEqual([...union].sort());
      }
    }
  });

  it('agrees between hasPermission, permissionsFor and rolesWith', () => {
    for (const role of roles) {
      for (const p of permissions) {
        const has = hasPermission([role], p);
        expect(permissionsFor([role]).includes(p), `${role} ${p}`).toBe(has);
        expect(rolesWith(p).includes(role), `${role} ${p}`).toBe(has);
      }
    }
    expect(hasPermission([], 'patients.read')).toBe(false);
  });
});
