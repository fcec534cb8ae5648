import path from 'node:path';
import { expect, test } from '@playwright/test';
import { linkIn, portalCode, previousStepCode, startPortalStack, type PortalStack } from '../support/portal';
import { noSeriousA11y } from './support/app';

/**
 * The patient portal end to end, served by central (dist/portal) with a real loopback SMTP server:
 * staff invite → the invitation e-mail → set-up with a password and TOTP → the appointments page → cancel
 * (and the workstation sees the cancellation) → sign out → sign in again. At phone size (390×844, the
 * pictures in docs/screens) and at desktop size; axe finds nothing serious on any page.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const screens = path.resolve(import.meta.dirname, '../../docs/screens');
const PASSWORD = 'a quiet river morning';
let stack: PortalStack;
let totpKey = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startPortalStack({ rendererDir: 'dist/renderer' });
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

/**
 * Codes: set-up takes the previous time step's code and the sign-in the next one's (both inside the one-step
 * drift central accepts), so the sign-in's step is always newer than set-up's, which central requires.
 */
const setupCode = () => previousStepCode(totpKey);
const signInCode = () => portalCode(totpKey, 1);

test('invitation e-mail → set-up with TOTP → appointments → cancel, at phone size', async ({ browser }) => {
  // Staff invite from the patient record: the workstation forwards it to central, which e-mails the link.
  const invite = await stack.client.call('portalInvite', {
    params: { patientId: stack.patients.a },
    body: { kind: 'self', email: 'jordan@example.org' },
  });
  expect(invite.status, invite.text).toBe(200);
  const mail = await stack.smtp.waitFor('jordan@example.org');
  expect(mail.subject).toContain('Riverside Family Practice');
  const link = linkIn(mail);

  const context = await browser.newContext(phone);
  const page = await context.newPage();
  // Unauthenticated: a portal page sends the visitor to sign-in with the reason.
  await page.goto(`${stack.central.url}/portal/activity`);
  await expect(page).toHaveURL(/\/portal\/login\?redirect=%2Fportal%2Factivity&reason=no_session$/);
  await expect(page.getByText('For your privacy, you were signed out.')).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-login-phone.png'), fullPage: true });

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Set up your portal account' })).toBeVisible();
  // The token left the address bar once read.
  await expect(page).toHaveURL(`${stack.central.url}/portal/setup`);
  await expect(page.getByText('Riverside Family Practice invited you.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code to scan with your authenticator app' })).toBeVisible();
  totpKey = (await page.getByTestId('totp-key').textContent())!.trim();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-setup-phone.png'), fullPage: true });

  await page.getByLabel('New password').fill(PASSWORD);
  await page.getByLabel('Type the password again').fill('something else entirely');
  await page.getByLabel('Code the app shows now').fill('12');
  await page.getByRole('button', { name: 'Finish set-up' }).click();
  await expect(page.getByText('The two passwords are not the same.')).toBeVisible();
  await expect(page.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
  await page.getByLabel('Type the password again').fill(PASSWORD);
  await page.getByLabel('Code the app shows now').fill(await setupCode());
  await page.getByRole('button', { name: 'Finish set-up' }).click();

  await expect(page.getByRole('heading', { name: 'Your appointments' })).toBeVisible();
  await expect(page.getByText('Hello, Jordan')).toBeVisible();
  const items = page.getByTestId('portal-appointment');
  await expect(items).toHaveCount(2);
  // The one in two hours is inside the 24-hour window: call the clinic.
  await expect(items.nth(0)).toContainText('To change or cancel this appointment, please call the clinic.');
  await expect(items.nth(1).getByRole('button', { name: 'Cancel appointment' })).toBeVisible();
  await expect(page.getByText('Follow-up with Ada Admin').first()).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-appointments-phone.png'), fullPage: true });

  await items.nth(1).getByRole('button', { name: 'Cancel appointment' }).click();
  await page.getByLabel('Reason (optional)').fill('Feeling better');
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-cancel-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('Your appointment is cancelled. The clinic has been told.')).toBeVisible();
  await expect(page.getByTestId('portal-appointment')).toHaveCount(2); // one upcoming, one past (cancelled)
  await expect(page.getByRole('region', { name: 'Past and cancelled' })).toContainText('Cancelled');

  // The cancellation replicates to the workstation.
  await stack.workstation.sync.syncNow();
  await expect
    .poll(async () => {
      await stack.workstation.sync.syncNow();
      const r = await stack.client.call('getAppointment', { params: { id: stack.appointments.aLater } });
      return r.body?.appointment?.status;
    })
    .toBe('cancelled');

  await page.getByRole('link', { name: 'Account activity' }).click();
  await expect(page.getByRole('heading', { name: 'Account activity' })).toBeVisible();
  await expect(page.getByText('Cancelled an appointment')).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-activity-phone.png'), fullPage: true });

  // Spanish, from the header.
  await page.getByRole('button', { name: 'Ver en español' }).click();
  await expect(page.getByRole('heading', { name: 'Actividad de la cuenta' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.getByRole('link', { name: 'Citas' }).click();
  await expect(page.getByRole('heading', { name: 'Sus citas' })).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-appointments-es-phone.png'), fullPage: true });
  await page.getByRole('button', { name: 'View in English' }).click();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await context.close();
});

test('sign in with password and TOTP at desktop size, back to the page asked for', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${stack.central.url}/portal/activity`);
  await expect(page).toHaveURL(/reason=no_session/);
  await page.getByLabel('E-mail').fill('jordan@example.org');
  await page.getByLabel('Password').fill('not the password');
  await page.getByLabel('Code from your authenticator app').fill(signInCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The e-mail, password or code is not right')).toBeVisible();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(signInCode());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${stack.central.url}/portal/activity`);
  await expect(page.getByRole('heading', { name: 'Account activity' })).toBeVisible();
  await page.getByRole('link', { name: 'Appointments' }).click();
  await expect(page.getByTestId('portal-appointment')).toHaveCount(2);
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-appointments-desktop.png') });
  await context.close();
});

test('the patient record shows portal access to staff, and the invite dialog for a proxy', async ({ browser }) => {
  const origin = new URL(stack.workstation.t.server.origin);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies(
    [...stack.client.cookies].map(([name, value]) => ({
      name,
      value,
      domain: origin.hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Strict' as const,
    })),
  );
  const page = await context.newPage();
  await page.goto(`${origin.origin}/patients/${stack.patients.a}`);
  const panel = page.getByRole('region', { name: 'Patient portal' });
  await expect(panel.getByRole('cell', { name: 'jordan@example.org' })).toBeVisible();
  await expect(panel.getByRole('cell', { name: 'Active' })).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-access-panel.png') });
  await panel.getByRole('button', { name: 'Invite to portal' }).click();
  await expect(page.getByRole('dialog', { name: 'Invite to the patient portal' })).toBeVisible();
  await page.getByLabel('Who will sign in').selectOption('proxy');
  await expect(page.getByLabel('Relationship to the patient')).toBeVisible();
  await noSeriousA11y(page);
  await page.screenshot({ path: path.join(screens, 'portal-invite-dialog.png') });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await context.close();
});
