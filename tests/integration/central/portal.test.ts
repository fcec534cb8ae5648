import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalApi, portalPages } from '../../../server/contracts/portal/endpoints';
import { centralQuery, waitFor } from '../../support/sync';
import {
  linkIn,
  portalCode,
  PortalBrowser,
  startPortalStack,
  tokenOf,
  type PortalStack,
} from '../../support/portal';

/**
 * The portal's access over HTTP against a real loopback SMTP server: staff invite from the workstation's
 * credential; the e-mail carries only the clinic's name and a single-use link; the patient sets a password
 * and an authenticator, signs in, sees only their own appointments and cancels one (which reaches the
 * workstation by replication). Without a session every API answers 401 and every page redirects to sign-in;
 * patient A can never reach patient B; lockout, idle time-out and revocation hold.
 */

let stack: PortalStack;
const setUp = async (email: string, who: 'a' | 'b', proxy = false) => {
  const invite = await stack.staff.call('portalCentralInvite', {
    body: proxy
      ? {
          kind: 'proxy',
          patientId: stack.patients[who],
          email,
          proxyName: 'Chris Okafor',
          relationship: 'parent',
          scope: ['appointments'],
        }
      : { kind: 'self', patientId: stack.patients[who], email },
  });
  expect(invite.status, invite.text).toBe(200);
  const mail = await stack.smtp.waitFor(email);
  const link = linkIn(mail);
  const browser = new PortalBrowser(stack.central.url);
  const begin = await browser.call('POST', '/v1/portal/setup/begin', { token: tokenOf(link) });
  expect(begin.status, begin.text).toBe(200);
  const done = await browser.call('POST', '/v1/portal/setup/complete', {
    token: tokenOf(link),
    password: 'a long portal passphrase',
    code: portalCode(begin.body.totpSecret),
  });
  expect(done.status, done.text).toBe(200);
  expect(browser.cookie).toMatch(/^tessera_portal=/);
  return { browser, link, mail, secret: begin.body.totpSecret as string, account: invite.body };
};

let a: Awaited<ReturnType<typeof setUp>>;
let b: Awaited<ReturnType<typeof setUp>>;

beforeAll(async () => {
  stack = await startPortalStack();
  a = await setUp('jordan@example.org', 'a');
  b = await setUp('chris@example.org', 'b', true);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('invitation e-mail', () => {
  it('carries the clinic name and a single-use link, nothing clinical', async () => {
    expect(a.mail.subject).toContain('Riverside Family Practice');
    expect(a.mail.text).toContain('24 hours');
    const url = new URL(a.link);
    expect(url.pathname).toBe('/portal/setup');
    expect(url.search).toBe('');
    for (const phi of ['Jordan', 'Rivera', '1988', stack.patients.a, stack.appointments.aLater])
      expect(a.mail.raw).not.toContain(phi);
  });

  it('works once: the used link answers that it expired or was used', async () => {
    const again = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/setup/begin', {
      token: tokenOf(a.link),
    });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toMatch(/Ask your clinic to send a new invitation/);
  });

  it('stops working after 24 hours', async () => {
    const invite = await stack.staff.call('portalCentralInvite', {
      body: { kind: 'self', patientId: stack.patients.b, email: 'late@example.org' },
    });
    expect(invite.status, invite.text).toBe(200);
    const link = linkIn(await stack.smtp.waitFor('late@example.org'));
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_invitations SET expires_at = now() - interval '1 second' WHERE account_id = $1`,
      [invite.body.id],
    );
    const r = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/setup/begin', {
      token: tokenOf(link),
    });
    expect(r.status).toBe(410);
  });

  it('explains when the mail server refuses, and the link is void', async () => {
    stack.smtp.refuse = true;
    try {
      const r = await stack.staff.call('portalCentralInvite', {
        body: { kind: 'self', patientId: stack.patients.b, email: 'refused@example.org' },
      });
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('email_failed');
    } finally {
      stack.smtp.refuse = false;
    }
  });
});

describe('signed in', () => {
  it('signs in again with e-mail, password and a fresh code; a replayed code is refused', async () => {
    const browser = new PortalBrowser(stack.central.url);
    const ok = await browser.call('POST', '/v1/portal/sessions', {
      email: 'JORDAN@example.org',
      password: 'a long portal passphrase',
      code: portalCode(a.secret, 1),
    });
    expect(ok.status, ok.text).toBe(200);
    const set = ok.headers.getSetCookie().join(';');
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    const replay = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions', {
      email: 'jordan@example.org',
      password: 'a long portal passphrase',
      code: portalCode(a.secret, 1),
    });
    expect(replay.status).toBe(401);
    const me = await browser.call('GET', '/v1/portal/me');
    expect(me.body).toMatchObject({
      firstName: 'Jordan',
      clinicName: 'Riverside Family Practice',
      kind: 'self',
    });
  });

  it('shows the patient their own appointments only', async () => {
    const r = await a.browser.call('GET', '/v1/portal/appointments');
    expect(r.status, r.text).toBe(200);
    const ids = r.body.upcoming.map((x: { id: string }) => x.id);
    expect(ids).toEqual([stack.appointments.aSoon, stack.appointments.aLater]);
    expect(r.body.upcoming[0]).toMatchObject({
      providerName: 'Ada Admin',
      typeName: 'Follow-up',
      canCancel: false,
    });
    expect(r.body.upcoming[1].canCancel).toBe(true);
    const rb = await b.browser.call('GET', '/v1/portal/appointments');
    expect(rb.body.upcoming.map((x: { id: string }) => x.id)).toEqual([stack.appointments.bLater]);
    // A proxy whose scope has no cancelling sees the appointment, not the button.
    expect(rb.body.upcoming[0].canCancel).toBe(false);
  });

  it('patient A can never reach patient B through any endpoint', async () => {
    // Every patient entry, with B's ids wherever an id fits: A's answers never contain B's.
    for (const [name, e] of Object.entries(portalApi)) {
      if (e.access !== 'patient' || name === 'portalSignOut') continue;
      const p = e.path.replace(':id', stack.appointments.bLater);
      const r = await a.browser.call(
        e.method,
        p,
        e.method === 'POST' ? { reason: 'x', patientId: stack.patients.b } : undefined,
      );
      expect(r.text, name).not.toContain(stack.appointments.bLater);
      expect(r.text, name).not.toContain(stack.patients.b);
      expect(r.text, name).not.toContain('Sam');
      if (name === 'portalCancelAppointment' || name === 'portalJoinVideo') expect(r.status, name).toBe(404);
    }
    // B's appointment is untouched.
    const rb = await b.browser.call('GET', '/v1/portal/appointments');
    expect(rb.body.upcoming[0].status).toBe('scheduled');
  });

  it('refuses a cancel inside the window or outside the proxy scope with a sentence', async () => {
    const soon = await a.browser.call(
      'POST',
      `/v1/portal/appointments/${stack.appointments.aSoon}/cancel`,
      {},
    );
    expect(soon.status).toBe(409);
    expect(soon.body.error.message).toMatch(/24 hours' notice/);
    const proxy = await b.browser.call(
      'POST',
      `/v1/portal/appointments/${stack.appointments.bLater}/cancel`,
      {},
    );
    expect(proxy.status).toBe(409);
    expect(proxy.body.error.message).toMatch(/does not include cancelling/);
  });

  it('cancels an appointment, and the cancellation reaches the workstation', async () => {
    const r = await a.browser.call('POST', `/v1/portal/appointments/${stack.appointments.aLater}/cancel`, {
      reason: 'Feeling better',
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled', canCancel: false });
    await stack.workstation.sync.syncNow();
    const appt = await waitFor('cancellation on the workstation', async () => {
      const got = await stack.client.call('getAppointment', { params: { id: stack.appointments.aLater } });
      return got.body?.appointment?.status === 'cancelled' ? got.body.appointment : null;
    });
    expect(appt.cancelReason).toMatch(/Cancelled by the patient in the portal/);
  });

  it('keeps every access in the patient activity history and the clinic’s view of it', async () => {
    const mine = await a.browser.call('GET', '/v1/portal/activity');
    const actions = mine.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'invitation.sent',
        'account.set_up',
        'sign_in',
        'appointments.read',
        'appointment.cancel',
      ]),
    );
    const staff = await stack.staff.call('portalCentralAccess', { query: { patientId: stack.patients.a } });
    expect(staff.status, staff.text).toBe(200);
    expect(staff.body.accounts[0]).toMatchObject({ email: 'jordan@example.org', status: 'active' });
    expect(staff.body.activity.some((e: { action: string }) => e.action === 'appointment.cancel')).toBe(true);
    // The other patient's record shows none of A's.
    const other = await stack.staff.call('portalCentralAccess', { query: { patientId: stack.patients.b } });
    expect(other.body.accounts.every((x: { email: string }) => x.email !== 'jordan@example.org')).toBe(true);
  });
});

describe('from the patient record (the workstation forwards to central)', () => {
  it('invites a guardian as proxy, lists and revokes, each audited with the patient on the workstation', async () => {
    const invite = await stack.client.call('portalInvite', {
      params: { patientId: stack.patients.b },
      body: {
        kind: 'proxy',
        email: 'guardian@example.org',
        proxyName: 'Ada Okafor',
        relationship: 'legal_guardian',
        scope: ['appointments', 'appointments.cancel'],
      },
    });
    expect(invite.status, invite.text).toBe(200);
    expect(invite.body).toMatchObject({ kind: 'proxy', relationship: 'legal_guardian', status: 'invited' });
    const mail = await stack.smtp.waitFor('guardian@example.org');
    expect(mail.raw).not.toContain('Sam');
    const bad = await stack.client.call('portalInvite', {
      params: { patientId: stack.patients.b },
      body: {
        kind: 'proxy',
        email: 'not-an-address',
        proxyName: 'A',
        relationship: 'parent',
        scope: [],
      } as never,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.email).toMatch(/e-mail address/);
    const list = await stack.client.call('portalAccess', { params: { patientId: stack.patients.b } });
    expect(list.status, list.text).toBe(200);
    expect(list.body.accounts.map((a: { email: string }) => a.email)).toContain('guardian@example.org');
    // An account of another patient cannot be revoked through this patient's record.
    const wrong = await stack.client.call('portalRevoke', {
      params: { patientId: stack.patients.a, accountId: invite.body.id },
    });
    expect(wrong.status).toBe(404);
    const revoked = await stack.client.call('portalRevoke', {
      params: { patientId: stack.patients.b, accountId: invite.body.id },
    });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    const audit = stack.workstation.t.server.store.db
      .prepare(`SELECT action, patient_id AS p FROM audit_log WHERE action LIKE 'portal.%'`)
      .all() as { action: string; p: string }[];
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'portal.invite', p: stack.patients.b },
        { action: 'portal.read', p: stack.patients.b },
        { action: 'portal.revoke', p: stack.patients.b },
      ]),
    );
  });
});

describe('without a session', () => {
  it('every portal API answers 401', async () => {
    const anon = new PortalBrowser(stack.central.url);
    for (const [name, e] of Object.entries(portalApi)) {
      if (e.access !== 'patient') continue;
      const r = await anon.call(
        e.method,
        e.path.replace(':id', stack.appointments.aLater),
        e.method === 'POST' ? {} : undefined,
      );
      expect(r.status, name).toBe(401);
      expect(r.body.error.code, name).toBe('no_session');
    }
    const forged = new PortalBrowser(stack.central.url);
    forged.cookie = `tessera_portal=${stack.clinic.clinicId}.${'A'.repeat(43)}`;
    expect((await forged.call('GET', '/v1/portal/me')).status).toBe(401);
  });

  it('every portal page redirects to sign-in with where to return and why', async () => {
    const anon = new PortalBrowser(stack.central.url);
    for (const page of portalPages) {
      const r = await anon.call('GET', page);
      expect(r.status, page).toBe(302);
      expect(r.headers.get('location')).toBe(
        `/portal/login?redirect=${encodeURIComponent(page)}&reason=no_session`,
      );
    }
    const login = await anon.call('GET', '/portal/login');
    expect([200, 503]).toContain(login.status);
    expect(login.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
  });
});

describe('lockout, time-out and revocation', () => {
  it('locks the account after five failures, even for the right password afterwards', async () => {
    const c = await setUp('lock@example.org', 'b');
    const anon = new PortalBrowser(stack.central.url);
    for (let i = 0; i < 5; i++) {
      const r = await anon.call('POST', '/v1/portal/sessions', {
        email: 'lock@example.org',
        password: 'not the passphrase',
        code: '000000',
      });
      expect(r.status).toBe(401);
    }
    const right = await anon.call('POST', '/v1/portal/sessions', {
      email: 'lock@example.org',
      password: 'a long portal passphrase',
      code: portalCode(c.secret, 1),
    });
    expect(right.status).toBe(401);
    const history = await stack.staff.call('portalCentralAccess', { query: { patientId: stack.patients.b } });
    expect(history.body.activity.some((e: { action: string }) => e.action === 'sign_in.locked')).toBe(true);
  });

  it('ends a session that was idle longer than the time-out', async () => {
    const r = await b.browser.call('GET', '/v1/portal/me');
    expect(r.status).toBe(200);
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_sessions SET last_seen_at = now() - interval '16 minutes'
        WHERE account_id = (SELECT id FROM tessera.portal_accounts WHERE email_hash = encode(sha256('chris@example.org'), 'hex'))`,
    );
    expect((await b.browser.call('GET', '/v1/portal/me')).status).toBe(401);
  });

  it('revokes at once: the open session is refused on its next request', async () => {
    expect((await a.browser.call('GET', '/v1/portal/me')).status).toBe(200);
    const r = await stack.staff.call('portalCentralRevoke', { params: { accountId: a.account.id } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.status).toBe('revoked');
    expect((await a.browser.call('GET', '/v1/portal/me')).status).toBe(401);
    const again = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions', {
      email: 'jordan@example.org',
      password: 'a long portal passphrase',
      code: portalCode(a.secret, -1),
    });
    expect(again.status).toBe(401);
  });
});
