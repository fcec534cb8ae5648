import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalApi } from '../../../server/contracts/portal/endpoints';
import { centralQuery } from '../../support/sync';
import {
  linkIn,
  portalCode,
  PortalBrowser,
  startPortalStack,
  tokenOf,
  type PortalStack,
} from '../../support/portal';
import { SoftAuthenticator } from '../../support/webauthn';

/**
 * Passkeys, e-mailed sign-in links and step-up, over HTTP against central with a real loopback SMTP server
 * and a software authenticator that signs like a real one (tests/support/webauthn.ts), so what is tested is
 * @simplewebauthn/server's verification as central wires it: challenge sealing, single use, origin and RP
 * ID, the account a credential belongs to, counters, and which sessions may do what.
 */

let stack: PortalStack;
let origin: string;
const PASSWORD = 'a long portal passphrase';

const invite = async (email: string, who: 'a' | 'b') => {
  const r = await stack.staff.call('portalCentralInvite', {
    body: { kind: 'self', patientId: stack.patients[who], email },
  });
  expect(r.status, r.text).toBe(200);
  return { token: tokenOf(linkIn(await stack.smtp.waitFor(email))), accountId: r.body.id as string };
};

/** Set up from the invitation with a passkey instead of an authenticator app. */
const setUpWithPasskey = async (email: string, who: 'a' | 'b') => {
  const { token } = await invite(email, who);
  const browser = new PortalBrowser(stack.central.url);
  const begin = await browser.call('POST', '/v1/portal/setup/begin', { token });
  expect(begin.status, begin.text).toBe(200);
  const opts = await browser.call('POST', '/v1/portal/setup/passkey-options', { token });
  expect(opts.status, opts.text).toBe(200);
  const device = new SoftAuthenticator();
  const done = await browser.call('POST', '/v1/portal/setup/complete', {
    token,
    password: PASSWORD,
    passkey: device.create(opts.body.options, origin),
  });
  expect(done.status, done.text).toBe(200);
  return { browser, device };
};

const setUpWithCode = async (email: string, who: 'a' | 'b') => {
  const { token } = await invite(email, who);
  const browser = new PortalBrowser(stack.central.url);
  const begin = await browser.call('POST', '/v1/portal/setup/begin', { token });
  const done = await browser.call('POST', '/v1/portal/setup/complete', {
    token,
    password: PASSWORD,
    code: portalCode(begin.body.totpSecret),
  });
  expect(done.status, done.text).toBe(200);
  return { browser, secret: begin.body.totpSecret as string };
};

const challenge = async () => {
  const r = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/passkey-challenge', {});
  expect(r.status, r.text).toBe(200);
  return r.body.options as Record<string, unknown>;
};

const passkeySignIn = (email: string, password: string, passkey: unknown) =>
  new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions/passkey', {
    email,
    password,
    passkey,
  });

/** Asks for a link and returns the token from the e-mail that arrives. */
const linkFor = async (email: string) => {
  const before = stack.smtp.messages.length;
  const r = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sign-in-links', { email });
  expect(r.status, r.text).toBe(200);
  expect(r.body).toEqual({ accepted: true, minutes: 15 });
  for (let i = 0; i < 200 && stack.smtp.messages.length === before; i++)
    await new Promise((res) => setTimeout(res, 25));
  const mail = await stack.smtp.waitFor(email);
  return { mail, link: linkIn(mail), token: tokenOf(linkIn(mail)) };
};

let a: Awaited<ReturnType<typeof setUpWithPasskey>>;
let b: Awaited<ReturnType<typeof setUpWithCode>>;

beforeAll(async () => {
  stack = await startPortalStack({ publicUrl: true });
  origin = stack.publicUrl!;
  a = await setUpWithPasskey('pat.a@example.org', 'a');
  b = await setUpWithCode('pat.b@example.org', 'b');
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('passkeys', () => {
  it('set-up with a passkey signs in with the second factor and keeps no authenticator secret', async () => {
    const me = await a.browser.call('GET', '/v1/portal/me');
    expect(me.status, me.text).toBe(200);
    expect(me.body.secondFactor).toBe(true);
    const factors = await a.browser.call('GET', '/v1/portal/passkeys');
    expect(factors.body.authenticatorApp).toBe(false);
    expect(factors.body.passkeys).toHaveLength(1);
    expect(factors.body.passkeys[0]).toMatchObject({ name: '', lastUsedAt: null });
    // No code can sign in: the secret shown at opening was dropped when the passkey was chosen.
    const stored = await centralQuery<{ totp: string | null }>(
      stack.central,
      `SELECT totp_secret_enc AS totp FROM tessera.portal_accounts WHERE patient_id = $1 AND status = 'active'`,
      [stack.patients.a],
    );
    expect(stored[0]!.totp).toBeNull();
  });

  it('signs in with password and passkey; the same answer cannot be replayed', async () => {
    const answer = a.device.get(await challenge(), origin);
    const ok = await passkeySignIn('pat.a@example.org', PASSWORD, answer);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.getSetCookie().join(';')).toMatch(/tessera_portal=.*HttpOnly/i);
    const replay = await passkeySignIn('pat.a@example.org', PASSWORD, answer);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('sign_in_failed');
  });

  it('refuses the wrong password, another origin, a foreign passkey and a counter that went back', async () => {
    const wrongPassword = await passkeySignIn(
      'pat.a@example.org',
      'not the passphrase',
      a.device.get(await challenge(), origin),
    );
    expect(wrongPassword.status).toBe(401);
    const phishing = await passkeySignIn(
      'pat.a@example.org',
      PASSWORD,
      a.device.get(await challenge(), 'https://portal.example.evil'),
    );
    expect(phishing.status).toBe(401);
    // B's account has no passkey; a passkey of A's presented with B's e-mail and password does not sign in.
    const foreign = await passkeySignIn(
      'pat.b@example.org',
      PASSWORD,
      a.device.get(await challenge(), origin),
    );
    expect(foreign.status).toBe(401);
    // A cloned authenticator shows itself by a counter at or below the stored one.
    const cloned = await passkeySignIn(
      'pat.a@example.org',
      PASSWORD,
      a.device.get(await challenge(), origin, undefined, { counter: 1 }),
    );
    expect(cloned.status).toBe(401);
    // A made-up challenge (not sealed by central) is refused.
    const forged = await passkeySignIn(
      'pat.a@example.org',
      PASSWORD,
      a.device.get({ rpId: 'localhost', challenge: Buffer.from('made up').toString('base64url') }, origin),
    );
    expect(forged.status).toBe(401);
    // The failures count towards the lockout: clear them so later tests start fresh.
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_accounts SET failed_attempts = 0, locked_until = NULL`,
    );
    const still = await passkeySignIn('pat.a@example.org', PASSWORD, a.device.get(await challenge(), origin));
    expect(still.status, still.text).toBe(200);
  });

  it('refuses a registration for another origin or made for another account', async () => {
    const { token } = await invite('pat.c@example.org', 'b');
    const browser = new PortalBrowser(stack.central.url);
    await browser.call('POST', '/v1/portal/setup/begin', { token });
    const opts = await browser.call('POST', '/v1/portal/setup/passkey-options', { token });
    const device = new SoftAuthenticator();
    const elsewhere = await browser.call('POST', '/v1/portal/setup/complete', {
      token,
      password: PASSWORD,
      passkey: device.create(opts.body.options, 'https://portal.example.evil'),
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('passkey_refused');
    // A challenge issued to A's account cannot register a passkey on this invitation's account.
    const aOpts = await a.browser.call('POST', '/v1/portal/passkeys/options', {});
    expect(aOpts.status, aOpts.text).toBe(200);
    const crossed = await browser.call('POST', '/v1/portal/setup/complete', {
      token,
      password: PASSWORD,
      passkey: device.create(aOpts.body.options, origin),
    });
    expect(crossed.status).toBe(400);
    // Neither a code nor a passkey: a sentence next to the code field.
    const neither = await browser.call('POST', '/v1/portal/setup/complete', { token, password: PASSWORD });
    expect(neither.status).toBe(400);
    expect(neither.body.error.fields.code).toMatch(/6-digit code .* or add a passkey/);
    // The invitation still works after the refusals.
    const right = await browser.call('POST', '/v1/portal/setup/complete', {
      token,
      password: PASSWORD,
      passkey: device.create(opts.body.options, origin),
    });
    expect(right.status, right.text).toBe(200);
  });

  it('adds a passkey later (beside the authenticator app) and removes it; the last one cannot go', async () => {
    const opts = await b.browser.call('POST', '/v1/portal/passkeys/options', {});
    expect(opts.status, opts.text).toBe(200);
    const device = new SoftAuthenticator();
    const added = await b.browser.call('POST', '/v1/portal/passkeys', {
      passkey: device.create(opts.body.options, origin),
      name: 'My phone',
    });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ name: 'My phone', lastUsedAt: null });
    const signIn = await passkeySignIn('pat.b@example.org', PASSWORD, device.get(await challenge(), origin));
    expect(signIn.status, signIn.text).toBe(200);
    const list = await b.browser.call('GET', '/v1/portal/passkeys');
    expect(list.body.authenticatorApp).toBe(true);
    expect(list.body.passkeys[0].lastUsedAt).not.toBeNull();
    // A cannot remove B's passkey (it answers as if it did not exist).
    const cross = await a.browser.call('POST', `/v1/portal/passkeys/${added.body.id}/remove`, {});
    expect(cross.status).toBe(404);
    const removed = await b.browser.call('POST', `/v1/portal/passkeys/${added.body.id}/remove`, {});
    expect(removed.status, removed.text).toBe(200);
    const gone = await passkeySignIn('pat.b@example.org', PASSWORD, device.get(await challenge(), origin));
    expect(gone.status).toBe(401);
    // A has only one passkey and no authenticator app: removing it would lock A out.
    const mine = await a.browser.call('GET', '/v1/portal/passkeys');
    const last = await a.browser.call('POST', `/v1/portal/passkeys/${mine.body.passkeys[0].id}/remove`, {});
    expect(last.status).toBe(409);
    expect(last.body.error.message).toMatch(/only passkey/);
  });
});

describe('e-mailed sign-in links and step-up', () => {
  it('e-mails a single-use link with nothing clinical, and answers the same for an unknown address', async () => {
    const { mail, link } = await linkFor('pat.b@example.org');
    expect(new URL(link).pathname).toBe('/portal/link');
    expect(new URL(link).search).toBe('');
    expect(mail.subject).toContain('Riverside Family Practice');
    expect(mail.text).toMatch(/15 minutes/);
    for (const phi of ['Sam', 'Okafor', '2014', stack.patients.b, stack.appointments.bLater])
      expect(mail.raw).not.toContain(phi);
    const count = stack.smtp.messages.length;
    const unknown = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sign-in-links', {
      email: 'nobody@example.org',
    });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ accepted: true, minutes: 15 });
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.smtp.messages.length).toBe(count);
  });

  it('signs in without the second factor, and asks for it before step-up entries', async () => {
    const { token } = await linkFor('pat.b@example.org');
    const browser = new PortalBrowser(stack.central.url);
    const s = await browser.call('POST', '/v1/portal/sessions/link', { token });
    expect(s.status, s.text).toBe(200);
    expect((await browser.call('GET', '/v1/portal/me')).body.secondFactor).toBe(false);
    // Browsing works…
    const appts = await browser.call('GET', '/v1/portal/appointments');
    expect(appts.status, appts.text).toBe(200);
    // …but every entry marked step-up answers 403 step_up_required until a code or passkey is confirmed.
    const stepUpEntries = Object.entries(portalApi).filter(([, e]) => 'stepUp' in e && e.stepUp);
    expect(stepUpEntries.length).toBeGreaterThan(0);
    for (const [name, e] of stepUpEntries) {
      const path = e.path.replace(':id', stack.appointments.bLater);
      const r = await browser.call(e.method, path, e.method === 'POST' ? {} : undefined);
      expect(r.status, name).toBe(403);
      expect(r.body.error.code, name).toBe('step_up_required');
    }
    const wrong = await browser.call('POST', '/v1/portal/step-up', { code: '000000' });
    expect(wrong.status).toBe(401);
    const up = await browser.call('POST', '/v1/portal/step-up', { code: portalCode(b.secret, 1) });
    expect(up.status, up.text).toBe(200);
    expect((await browser.call('GET', '/v1/portal/me')).body.secondFactor).toBe(true);
    expect((await browser.call('POST', '/v1/portal/passkeys/options', {})).status).toBe(200);
    // The link worked once.
    const again = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions/link', {
      token,
    });
    expect(again.status).toBe(410);
  });

  it('steps up with a passkey of the same account only', async () => {
    const { token } = await linkFor('pat.a@example.org');
    const browser = new PortalBrowser(stack.central.url);
    expect((await browser.call('POST', '/v1/portal/sessions/link', { token })).status).toBe(200);
    const other = new SoftAuthenticator();
    other.create({ rp: { id: 'localhost' }, user: { id: 'eA' }, challenge: 'eA' }, origin);
    const foreign = await browser.call('POST', '/v1/portal/step-up', {
      passkey: other.get(await challenge(), origin),
    });
    expect(foreign.status).toBe(401);
    const up = await browser.call('POST', '/v1/portal/step-up', {
      passkey: a.device.get(await challenge(), origin),
    });
    expect(up.status, up.text).toBe(200);
    expect((await browser.call('GET', '/v1/portal/me')).body.secondFactor).toBe(true);
  });

  it('expires after 15 minutes, and a locked account gets no link', async () => {
    const { token } = await linkFor('pat.a@example.org');
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`,
    );
    const late = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sessions/link', {
      token,
    });
    expect(late.status).toBe(410);
    expect(late.body.error.message).toMatch(/expired or was already used/);
    await centralQuery(
      stack.central,
      `UPDATE tessera.portal_accounts SET locked_until = now() + interval '10 minutes' WHERE patient_id = $1`,
      [stack.patients.a],
    );
    try {
      const count = stack.smtp.messages.length;
      const r = await new PortalBrowser(stack.central.url).call('POST', '/v1/portal/sign-in-links', {
        email: 'pat.a@example.org',
      });
      expect(r.status).toBe(200);
      await new Promise((res) => setTimeout(res, 300));
      expect(stack.smtp.messages.length).toBe(count);
    } finally {
      await centralQuery(stack.central, `UPDATE tessera.portal_accounts SET locked_until = NULL`);
    }
  });

  it('keeps each sign-in way in the activity history', async () => {
    const r = await a.browser.call('GET', '/v1/portal/activity');
    const actions = r.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'passkey.added',
        'sign_in.passkey',
        'sign_in_link.sent',
        'sign_in.link',
        'step_up',
      ]),
    );
  });
});
