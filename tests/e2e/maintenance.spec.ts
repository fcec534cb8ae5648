import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { admin, completeSetup, freshTotp, launch, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/** Admin > Maintenance as an administrator uses it: a backup now, the schedule, the key shown once. */
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let context: BrowserContext;
let page: Page;
let secret: string;

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  ({ context, page } = await launch(browser, server));
  ({ secret } = await completeSetup(page));
  await signIn(page, admin.username, admin.password, secret);
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

test('backs up now, refuses a bad schedule with sentences, and shows the key once after signing in again', async () => {
  await page.goto(`${server.origin}/admin/maintenance`);
  await expect(page.getByRole('heading', { name: 'Maintenance' })).toBeVisible();
  await expect(page.getByText('No backups yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByTestId('backup-made')).toContainText('opens with this workstation’s key');
  await expect(page.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Backups' })).toContainText('Made by hand');

  await page.getByLabel('Every (hours)').fill('0');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Back up at most every hour.')).toBeVisible();
  await page.getByLabel('Every (hours)').fill('12');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Backup schedule saved.')).toBeVisible();

  await page.getByLabel('Your password').fill('not my password');
  await page.getByLabel('Authenticator code').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Show database key' }).click();
  await expect(page.getByText('That password is not right.')).toBeVisible();

  await page.getByLabel('Your password').fill(admin.password);
  await page.getByLabel('Authenticator code').fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Show database key' }).click();
  const key = page.getByTestId('escrow-key');
  await expect(key).toBeVisible();
  expect((await key.textContent())!.replaceAll(' ', '')).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: 'docs/screens/admin-maintenance.png' });
  await page.getByRole('button', { name: 'Close key' }).click();
  await expect(key).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Show database key' })).toBeVisible();
});

test('the restore dialog asks for the password again and says why a restore is refused', async () => {
  await page.goto(`${server.origin}/admin/maintenance`);
  await page.getByRole('button', { name: /^Restore the backup / }).first().click();
  const dialog = page.getByTestId('restore-dialog');
  await expect(dialog.getByRole('heading', { name: 'Restore this backup?' })).toBeVisible();
  await dialog.getByLabel('Your password').fill('not my password');
  await dialog.getByLabel('Authenticator code').fill(await freshTotp(secret));
  await dialog.getByRole('button', { name: 'Restore and restart' }).click();
  await expect(dialog.getByText('That password is not right.')).toBeVisible();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: 'docs/screens/admin-restore-dialog.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('verifies the audit log from Maintenance and answers in a sentence', async () => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${server.origin}/admin/maintenance`);
  await page.getByRole('button', { name: 'Verify audit log' }).click();
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveText(/^Audit log intact: \d+ entries checked, none altered or missing\.$/);
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screens/admin-maintenance-audit-verify.png' });
});
