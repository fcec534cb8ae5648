import { afterEach, describe, expect, it } from 'vitest';
import {
  addStaff,
  setUpClinic,
  signIn,
  startSignedInAdmin,
  startTestServer,
  totpCode,
  type TestServer,
} from '../../support/workstation';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('first-run setup and sign-in', () => {
  it('has no account until setup, then requires TOTP for the administrator', async () => {
    t = await startTestServer();
    const c = await t.client().launch();
    expect((await c.call('setupStatus')).body).toEqual({ needed: true });
    expect((await c.call('login', { body: { username: 'admin', password: 'admin' } })).status).toBe(409);

    const admin = await setUpClinic(t, c);
    expect(admin.recoveryCodes).toHaveLength(10);
    expect((await c.call('setupStatus')).body).toEqual({ needed: false });
    // Setup cannot be run a second time to create another administrator.
    expect((await c.call('setupTotp')).status).toBe(409);

    const step1 = await c.call('login', { body: { username: admin.username, password: admin.password } });
    expect(step1.body).toEqual({ step: 'mfa' });
    expect((await c.call('session')).status).toBe(401);
    t.clock.advance(30_000);
    const wrong = await c.call('loginMfa', { body: { code: '000000' } });
    expect(wrong.status).toBe(401);
    const step2 = await c.call('login', { body: { username: admin.username, password: admin.password } });
    expect(step2.body.step).toBe('mfa');
    const done = await c.call('loginMfa', { body: { code: totpCode(admin.totpSecret, t.clock.ms) } });
    expect(done.status).toBe(200);
    expect(done.body.user.roles).toEqual(['admin']);
    expect(done.body.clinic).toEqual({
      name: 'Riverside Family Practice',
      timeZone: 'America/Chicago',
      timeFormat: '24h',
    });
    expect((await c.call('session')).status).toBe(200);
  });

  it('refuses a TOTP code that was already used, and accepts a recovery code once', async () => {
    t = await startTestServer();
    const c = await t.client().launch();
    const admin = await setUpClinic(t, c);
    t.clock.advance(30_000);
    const code = totpCode(admin.totpSecret, t.clock.ms);
    await c.call('login', { body: { username: admin.username, password: admin.password } });
    expect((await c.call('loginMfa', { body: { code } })).status).toBe(200);
    const other = await t.client().launch();
    await other.call('login', { body: { username: admin.username, password: admin.password } });
    expect((await other.call('loginMfa', { body: { code } })).status).toBe(401);

    const third = await t.client().launch();
    await third.call('login', { body: { username: admin.username, password: admin.password } });
    expect((await third.call('loginMfa', { body: { recoveryCode: admin.recoveryCodes[0] } })).status).toBe(
      200,
    );
    const fourth = await t.client().launch();
    await fourth.call('login', { body: { username: admin.username, password: admin.password } });
    expect((await fourth.call('loginMfa', { body: { recoveryCode: admin.recoveryCodes[0] } })).status).toBe(
      401,
    );
  });

  it('rejects weak passwords with a field message', async () => {
    t = await startTestServer();
    const c = await t.client().launch();
    const offer = await c.call('setupTotp');
    const res = await c.call('setupComplete', {
      body: {
        clinicName: 'X',
        timeZone: 'America/Chicago',
        admin: { username: 'ada', fullName: 'Ada', password: 'password1234' },
        enrollmentId: offer.body.enrollmentId,
        totpCode: totpCode(offer.body.secret, t.clock.ms),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields['admin.password']).toMatch(/commonly used/);
    expect((await c.call('setupStatus')).body.needed).toBe(true);
  });

  it('checks the password against the policy before the authenticator step', async () => {
    t = await startTestServer();
    const c = await t.client().launch();
    const details = (password: string) => ({
      clinicName: 'X',
      timeZone: 'America/Chicago',
      admin: { username: 'ada', fullName: 'Ada', password },
    });
    const weak = await c.call('setupCheck', { body: details('password1234') });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields['admin.password']).toMatch(/commonly used/);
    const short = await c.call('setupCheck', { body: details('short') });
    expect(short.status).toBe(400);
    expect(short.body.error.fields['admin.password']).toMatch(/at least 12 characters/);
    expect((await c.call('setupCheck', { body: details('correct horse battery staple') })).status).toBe(200);
    expect((await c.call('setupStatus')).body.needed).toBe(true);
    await setUpClinic(t, c);
    expect((await c.call('setupCheck', { body: details('correct horse battery staple') })).status).toBe(409);
  });

  it('signs in right after setup with the next code; the code used at setup is refused as used, and said so', async () => {
    t = await startTestServer();
    const c = await t.client().launch();
    const setupAt = t.clock.ms;
    const admin = await setUpClinic(t, c);
    // Seconds later, the app still shows the code entered during setup.
    t.clock.advance(5_000);
    await c.call('login', { body: { username: admin.username, password: admin.password } });
    const same = await c.call('loginMfa', { body: { code: totpCode(admin.totpSecret, setupAt) } });
    expect(same.status).toBe(401);
    expect(same.body.error.code).toBe('totp_reused');
    expect(same.body.error.fields.code).toMatch(/already used\. Wait for the next code/);
    t.clock.advance(30_000);
    const next = await c.call('loginMfa', { body: { code: totpCode(admin.totpSecret, t.clock.ms) } });
    expect(next.status, next.text).toBe(200);
    // A wrong code keeps the plain message.
    const wrong = await (await t.client().launch()).call('loginMfa', { body: { code: '000000' } });
    expect(wrong.status).toBe(401);
  });
});

describe('lockout', () => {
  it('locks after 5 failures for 15 minutes, audits it, and an admin can unlock', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const { client: fd, password } = await addStaff(t, s.admin, 'frank.desk', ['front_desk']);
    for (let i = 0; i < 4; i++) {
      expect(
        (await fd.call('login', { body: { username: 'frank.desk', password: 'nope nope nope' } })).status,
      ).toBe(401);
    }
    const fifth = await fd.call('login', { body: { username: 'frank.desk', password: 'nope nope nope' } });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.message).toMatch(/locked/);
    // Until when, in the clinic's date style and clock (contracts/time-format.ts), not an ISO instant.
    expect(fifth.body.error.message).toMatch(/until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}\./);
    // Even the right password is refused while locked.
    expect((await fd.call('login', { body: { username: 'frank.desk', password } })).status).toBe(423);

    const users = await s.admin.call('listUsers');
    const frank = users.body.users.find((u: { username: string }) => u.username === 'frank.desk');
    expect(frank.lockedUntil).not.toBeNull();
    expect((await s.admin.call('unlockUser', { params: { id: frank.id } })).status).toBe(200);
    expect((await fd.call('login', { body: { username: 'frank.desk', password } })).body.step).toBe('done');

    const audit = await s.admin.call('auditReport', { query: { userId: frank.id, sort: 'at', dir: 'asc' } });
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'auth.login_failed')).toHaveLength(6);
    expect(actions).toContain('auth.lockout');
    expect(actions.at(-1)).toBe('auth.login');
    const all = await s.admin.call('auditReport', { query: { action: 'user.unlock' } });
    expect(all.body.entries).toHaveLength(1);
  });

  it('lets a lockout expire on its own after the configured minutes', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    expect(
      (await s.admin.call('updateSecuritySettings', { body: { lockoutThreshold: 3, lockoutMinutes: 2 } }))
        .status,
    ).toBe(200);
    const { client: fd, password } = await addStaff(t, s.admin, 'frank.desk', ['front_desk']);
    for (let i = 0; i < 3; i++)
      await fd.call('login', { body: { username: 'frank.desk', password: 'wrong wrong wrong' } });
    expect((await fd.call('login', { body: { username: 'frank.desk', password } })).status).toBe(423);
    t.clock.advance(2 * 60_000 + 1000);
    expect((await fd.call('login', { body: { username: 'frank.desk', password } })).status).toBe(200);
  });
});

describe('sessions and idle time-out', () => {
  it('expires an idle server session and audits the time-out', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    t.clock.advance(14 * 60_000);
    expect((await s.admin.call('session')).status).toBe(200);
    // Background refreshes do not keep a session alive.
    t.clock.advance(14 * 60_000);
    expect((await s.admin.call('session', { headers: { 'x-tessera-background': '1' } })).status).toBe(200);
    t.clock.advance(2 * 60_000);
    const res = await s.admin.call('session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('session_expired');
  });

  it('ends the session when the screen locks, and signing in again restores access', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    expect((await s.admin.call('lock', { body: { reason: 'idle' } })).status).toBe(200);
    expect((await s.admin.call('listUsers')).status).toBe(401);
    const again = await signIn(t, s.admin, s.creds.username, s.creds.password, s.creds.totpSecret);
    expect(again.status).toBe(200);
    expect((await s.admin.call('listUsers')).status).toBe(200);
  });

  it('audits the Lock button as a lock and the idle lock as a time-out', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    const actionsOf = async () => {
      const audit = await s.admin.call('auditReport', { query: { sort: 'at', dir: 'asc' } });
      return audit.body.entries.map((e: { action: string; detail: unknown }) => e.action) as string[];
    };
    expect((await s.admin.call('lock', { body: { reason: 'manual' } })).status).toBe(200);
    await signIn(t, s.admin, s.creds.username, s.creds.password, s.creds.totpSecret);
    let actions = await actionsOf();
    expect(actions).toContain('auth.lock');
    expect(actions).not.toContain('auth.timeout');

    expect((await s.admin.call('lock', { body: { reason: 'idle' } })).status).toBe(200);
    await signIn(t, s.admin, s.creds.username, s.creds.password, s.creds.totpSecret);
    actions = await actionsOf();
    expect(actions.filter((a) => a === 'auth.lock')).toHaveLength(1);
    expect(actions.filter((a) => a === 'auth.timeout')).toHaveLength(1);
    // A lock must say why: no reason is a 400, and the session stays.
    expect((await s.admin.call('lock', { body: {} })).status).toBe(400);
    expect((await s.admin.call('listUsers')).status).toBe(200);
  });

  it('requires MFA enrolment at sign-in for roles the admin marks', async () => {
    const s = await startSignedInAdmin();
    t = s.t;
    await s.admin.call('updateSecuritySettings', { body: { mfaRequiredRoles: ['admin', 'clinician'] } });
    const { client, login } = await addStaff(t, s.admin, 'cara.clin', ['clinician']);
    expect(login.body.step).toBe('mfa_enroll');
    const { enrollmentId, secret } = login.body.enrollment;
    const enrolled = await client.call('loginMfaEnroll', {
      body: { enrollmentId, code: totpCode(secret, t.clock.ms) },
    });
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.recoveryCodes).toHaveLength(10);
    expect(enrolled.body.session.user.mfaEnrolled).toBe(true);
  });
});
