import { expect, test } from '@playwright/test';
import { admin, completeSetup, freshTotp, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('idle time-out locks the screen over unsaved work; unlocking brings it back', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Fake timers from the first page load on; time still flows, and fastForward jumps ahead.
  await page.clock.install();
  await page.goto(server.launchUrl);
  const { secret } = await completeSetup(page);
  await signIn(page, admin.username, admin.password, secret);

  // Start a new user and leave it unsaved.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByLabel('Username').fill('nina.nurse');
  await page.getByLabel('Full name').fill('Nina Nurse');
  await page.getByLabel('Clinician').check();

  // Default idle time-out is 15 minutes; the warning shows in the last minute.
  await page.clock.fastForward('14:10');
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await expect(page.getByTestId('idle-warning')).toContainText('Screen locks in');

  // Input clears the warning and restarts the count.
  await page.getByLabel('Full name').press('End');
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);

  await page.clock.fastForward('15:05');
  const lock = page.getByRole('dialog', { name: 'Screen locked' });
  await expect(lock).toBeVisible();
  await expect(lock.getByLabel('Username')).toHaveValue(admin.username);

  // Focus stays inside the lock screen.
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    expect(await lock.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }

  // The server session really ended.
  const session = await page.request.get(`${server.origin}/api/auth/session`);
  expect(session.status()).toBe(401);

  await lock.getByLabel('Password', { exact: true }).fill(admin.password);
  await lock.getByRole('button', { name: 'Unlock screen' }).click();
  await lock.getByLabel('Authenticator code').fill(await freshTotp(secret));
  await lock.getByRole('button', { name: 'Verify code' }).click();
  await expect(lock).toHaveCount(0);

  // The unsaved input is still there, and saving works with the new session.
  await expect(page.getByLabel('Username')).toHaveValue('nina.nurse');
  await expect(page.getByLabel('Full name')).toHaveValue('Nina Nurse');
  await expect(page.getByLabel('Clinician')).toBeChecked();
  await page.getByLabel('Initial password').fill('Nurse-station-2025-blue');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByTestId('users-notice')).toContainText('Account created for Nina Nurse');
  await expect(page.getByTestId('user-row-nina.nurse')).toBeVisible();

  // A 401 from any call while signed in (the server session vanished, e.g. the laptop slept) locks the
  // screen instead of navigating away.
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByLabel('Full name').fill('Half typed');
  await context.clearCookies({ name: 'tessera_session' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
  await expect(page.getByRole('dialog', { name: 'Screen locked' })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/roles$/);

  // "Sign out" on the lock screen leaves for the sign-in page with the reason.
  await page.getByRole('dialog', { name: 'Screen locked' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?reason=locked$/);
  await expect(page.getByTestId('signin-reason')).toContainText('The screen was locked');

  await context.close();
});
