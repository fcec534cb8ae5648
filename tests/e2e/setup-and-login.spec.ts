import { expect, test } from '@playwright/test';
import { admin, freshTotp, lastTotp, launch, seriousA11yViolations } from './support/app';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('first-run setup, then sign in with a TOTP code', async ({ browser }) => {
  // Several sign-ins, each needing a TOTP step not used before: freshTotp may wait for the next 30 s step.
  test.setTimeout(180_000);
  const { context, page } = await launch(browser, server);

  // A fresh workstation goes straight to setup.
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page).toHaveTitle('Set up Tessera — Tessera');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A password on the common list is refused by the server, next to the field, and nothing typed is lost.
  await page.getByLabel('Clinic name').fill(admin.clinicName);
  await page.getByLabel('Time zone').selectOption(admin.timeZone);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Full name').fill(admin.fullName);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByRole('button', { name: 'Continue to the authenticator' }).click();
  await expect(page.getByText('Passwords have at least 12 characters.')).toBeVisible();

  // A common password is refused before the authenticator step, next to its field, nothing typed lost.
  await page.getByLabel('Password', { exact: true }).fill('password1234');
  await page.getByLabel('Confirm password').fill('password1234');
  await page.getByRole('button', { name: 'Continue to the authenticator' }).click();
  await expect(
    page.getByText('That password is on a list of commonly used passwords. Choose another.').first(),
  ).toBeVisible();
  await expect(page.getByTestId('totp-secret')).toHaveCount(0);
  await expect(page.getByLabel('Clinic name')).toHaveValue(admin.clinicName);
  await expect(page.getByLabel('Full name')).toHaveValue(admin.fullName);

  // Fix the password and go on to the authenticator.
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Confirm password').fill(admin.password);
  await page.getByRole('button', { name: 'Continue to the authenticator' }).click();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByLabel('Code from the app').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await expect(page.getByTestId('setup-next-code')).toContainText('use the next one the app shows');

  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes.first()).toBeVisible();
  expect(await codes.count()).toBeGreaterThanOrEqual(8);
  const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
  for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
  await page.getByRole('button', { name: 'I have saved these codes' }).click();

  // Sign in: password, then the TOTP code.
  await expect(page).toHaveURL(/\/login$/);
  await expect(page).toHaveTitle('Sign in — Tessera');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await expect(page.getByLabel('Username')).toHaveValue(admin.username);

  await page.getByLabel('Password', { exact: true }).fill('not-the-right-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Authenticator code')).toBeVisible();
  await page.getByLabel('Authenticator code').fill('000000');
  await page.getByRole('button', { name: 'Verify code' }).click();
  await expect(page.getByRole('alert')).toContainText('code');
  // Right after setup the app still shows the code just used: it is refused as used, and said so.
  await page.getByLabel('Authenticator code').fill(lastTotp(secret));
  await page.getByRole('button', { name: 'Verify code' }).click();
  await expect(page.getByText('That code was already used. Wait for the next code')).toBeVisible();
  // The next code works.
  await page.getByLabel('Authenticator code').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Verify code' }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await expect(page.getByTestId('clinic-name')).toHaveText(admin.clinicName);
  await expect(page.getByTestId('signed-in-user')).toHaveText(admin.fullName);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Admin' })).toBeVisible();
  for (const area of ['Users', 'Roles', 'Security', 'Audit report']) {
    await expect(nav.getByRole('link', { name: area })).toBeVisible();
  }
  await expect(nav.getByRole('link', { name: 'Patients' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Schedule', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Billing', exact: true })).toBeVisible();
  // Notes open from a chart and video visits from their appointment: no top-level entries of their own.
  for (const missing of ['Notes', 'Telehealth']) {
    await expect(nav.getByRole('link', { name: missing })).toHaveCount(0);
  }

  // Sign out, then a deep link asks to sign in and comes back to the page asked for.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await expect(page.getByTestId('signin-reason')).toHaveText('You signed out.');
  await page.goto(`${server.origin}/admin/security`);
  await expect(page).toHaveURL(/\/login\?.*next=%2Fadmin%2Fsecurity/);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // This time with a recovery code (each works once).
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
  await page.getByRole('button', { name: 'Verify code' }).click();
  await expect(page).toHaveURL(/\/admin\/security$/);
  await expect(page.getByRole('heading', { name: 'Security', level: 1 })).toBeVisible();

  await context.close();
});

test('a window opened without the launch link is told how to get in', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.origin);
  await expect(page.getByRole('heading', { name: 'Open Tessera from its launch link' })).toBeVisible();
  // The launch link is one-time: opened once already by the first test, it is refused now.
  const response = await page.goto(server.launchUrl);
  expect(response?.status()).toBe(403);
  await context.close();
});
