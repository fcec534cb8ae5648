import { afterEach, describe, expect, it } from 'vitest';
import { startSignedInAdmin, type TestServer } from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('turning MFA off for a role that holds administration rights', () => {
  it('needs an explicit confirmation, changes nothing without it, and is audited as such', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const settings = async () => (await s.admin.call('getSecuritySettings')).body;

    // Other roles change without a question.
    expect(
      (await s.admin.call('updateSecuritySettings', { body: { mfaRequiredRoles: ['admin', 'clinician'] } }))
        .status,
    ).toBe(200);
    expect(
      (await s.admin.call('updateSecuritySettings', { body: { mfaRequiredRoles: ['admin'] } })).status,
    ).toBe(200);

    const refused = await s.admin.call('updateSecuritySettings', {
      body: { mfaRequiredRoles: [], idleTimeoutMinutes: 30 },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('confirm_mfa_off');
    expect(refused.body.error.message).toMatch(/Administrator accounts sign in with a password alone/);
    expect(await settings()).toMatchObject({ mfaRequiredRoles: ['admin'], idleTimeoutMinutes: 15 });

    const confirmed = await s.admin.call('updateSecuritySettings', {
      body: { mfaRequiredRoles: [], idleTimeoutMinutes: 30, confirmMfaOffForAdmin: true },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(await settings()).toMatchObject({ mfaRequiredRoles: [], idleTimeoutMinutes: 30 });

    const audit = await s.admin.call('auditReport', {
      query: { action: 'settings.security_update', sort: 'at', dir: 'asc' },
    });
    const details = audit.body.entries.map((e: { detail: Record<string, unknown> }) => e.detail);
    expect(details).toHaveLength(3);
    expect(details[0].mfaOffForAdminRoles).toBeUndefined();
    expect(details[2]).toMatchObject({ mfaOffForAdminRoles: ['admin'], confirmed: true });
  });
});
