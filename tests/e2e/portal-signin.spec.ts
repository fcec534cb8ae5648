import path from 'node:path';
import { expect, test, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { linkIn, startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';

/**
 * Passkeys and e-mailed sign-in links in the portal pages, with Chromium's virtual authenticator (CDP
 * WebAuthn domain) as the patient's phone: set-up with a passkey instead of an app → sign out → sign in with
 * password + passkey → an e-mailed link (through the loopback SMTP server) → the sign-in methods page asks
 * for the second factor first → confirm with the passkey → add a second passkey on another device and remove
 * the first. Served at http://localhost (WebAuthn refuses an IP address as the relying party).
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
const PASSWORD = 'a quiet river morning';
const EMAIL = 'jordan@example.org';
let stack: PortalStack;
let url = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ publicUrl: true });
  url = stack.publicUrl!;
});
test.afterAll(async () => {
  await stack?.stop();
});

const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  locale: 'en-US',
};

/** A platform authenticator with a fingerprint reader that always says yes (the patient touches it). */
async function virtualAuthenticator(cdp: CDPSession): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let phoneKey = '';

test('set-up with a passkey instead of an app, then sign in with password + passkey', async ({ browser }) => {
  const invite = await stack.staff.call('portalCentralInvite', {
    body: { kind: 'self', patientId: stack.patients.a, email: EMAIL },
  });
  expect(invite.status, invite.text).toBe(200);
  const link = linkIn(await stack.smtp.waitFor(EMAIL));
  expect(link.startsWith(`${url}/portal/setup#t=`)).toBe(true);

  context = await browser.newContext(phone);
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  phoneKey = await virtualAuthenticator(cdp);

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Set up your portal account' })).toBeVisible();
  // The password is checked before the passkey prompt.
  await page.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await page.getByLabel('New password').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(page.getByRole('heading', { name: 'Your appointments' })).toBeVisible();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: phoneKey });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/portal\/login\?reason=signed_out/);
  await page.getByLabel('E-mail', { exact: true }).fill(EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Use a passkey instead of a code' }).click();
  await expect(page.getByText('The e-mail, password or code is not right')).toBeVisible();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Use a passkey instead of a code' }).click();
  await expect(page.getByRole('heading', { name: 'Your appointments' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign-in methods' }).click();
  await expect(page.getByRole('heading', { name: 'Sign-in methods' })).toBeVisible();
  await expect(page.getByText('Not set up')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem')).toHaveCount(1);
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-security-phone.png'), fullPage: true });
});

test('an e-mailed link signs in; sign-in methods ask for the passkey first; add one, remove one', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Or get a link by e-mail' })).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-signed-out-phone.png'), fullPage: true });
  const before = stack.smtp.messages.length;
  await page.getByLabel('Send the link to').fill(EMAIL);
  await page.getByRole('button', { name: 'E-mail me a link' }).click();
  await expect(page.getByText('If this address has portal access, a link is on its way')).toBeVisible();
  await expect.poll(() => stack.smtp.messages.length).toBeGreaterThan(before);
  const mail = await stack.smtp.waitFor(EMAIL);
  expect(mail.text).toContain('15 minutes');
  await page.goto(linkIn(mail));
  await expect(page.getByRole('heading', { name: 'Your appointments' })).toBeVisible();

  await page.getByRole('link', { name: 'Sign-in methods' }).click();
  await expect(page.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toHaveCount(0);
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-stepup-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Use my passkey' }).click();
  await expect(page.getByText('Thank you. You can continue.')).toBeVisible();

  // A second device (a laptop): the phone's authenticator goes away, a new one registers.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: phoneKey });
  const laptop = await virtualAuthenticator(cdp);
  await page.getByLabel('Name (optional)').fill('Laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByText('Passkey added.')).toBeVisible();
  const list = page.getByRole('list', { name: 'Passkeys' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByText('Laptop')).toBeVisible();
  const first = list.getByRole('listitem').first();
  await first.getByRole('button', { name: /Remove passkey/ }).click();
  await expect(page.getByText('Passkey removed.')).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByText('Laptop')).toBeVisible();

  // The laptop's passkey signs in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('E-mail', { exact: true }).fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Use a passkey instead of a code' }).click();
  await expect(page.getByRole('heading', { name: 'Your appointments' })).toBeVisible();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: laptop });
  expect(credentials[0]!.signCount).toBeGreaterThan(0);
  await context.close();
});
