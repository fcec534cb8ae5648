import fs from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { admin, completeSetup, launch, secondContext, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * One workstation, one administrator, several staff: the admin screens end to end. The tests run in order
 * and share the admin's browser context (the launch link is one-time).
 */
test.describe.configure({ mode: 'serial' });

const fran = { username: 'fran.desk', fullName: 'Fran Desk', password: 'Front-desk-morning-2025' };

let server: TestServer;
let adminContext: BrowserContext;
let adminPage: Page;

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  ({ context: adminContext, page: adminPage } = await launch(browser, server));
  const { secret } = await completeSetup(adminPage);
  await signIn(adminPage, admin.username, admin.password, secret);
});

test.afterAll(async () => {
  await adminContext?.close();
  await server?.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('admin creates a front-desk user, who signs in and sees no Admin area', async ({ browser }) => {
  const page = adminPage;
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveTitle('Users — Tessera');
  // Only the administrator so far: the empty state says what to do.
  await expect(page.getByText('Only you have an account so far.')).toBeVisible();

  await page.getByRole('button', { name: 'Add user' }).click();
  // Client-side checks first: nothing filled in.
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('Give the user at least one role.')).toBeVisible();

  await page.getByLabel('Username').fill(fran.username);
  await page.getByLabel('Full name').fill(fran.fullName);
  // The server refuses a common password; its message sits next to the field.
  await page.getByLabel('Initial password').fill('password1234');
  await page.getByLabel('Front desk').check();
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('.field-error', { hasText: 'commonly used passwords' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(fran.username);

  const initialPassword = 'Temporary-harbor-key-19';
  await page.getByLabel('Initial password').fill(initialPassword);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByTestId('users-notice')).toContainText(`Account created for ${fran.fullName}`);
  const row = page.getByTestId(`user-row-${fran.username}`);
  await expect(row).toContainText('Front desk');
  await expect(row).toContainText('Must change password');
  await expect(row).toContainText('Never');

  // A duplicate username is refused next to the field.
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByLabel('Username').fill(fran.username);
  await page.getByLabel('Full name').fill('Someone Else');
  await page.getByLabel('Initial password').fill('Another-long-passphrase-9');
  await page.getByLabel('Billing').check();
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('.field-error', { hasText: 'That username is taken.' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Fran signs in on the same workstation in another window.
  const { context, page: franPage } = await secondContext(browser, adminContext);
  await franPage.goto(server.origin);
  await expect(franPage).toHaveURL(/\/login$/);
  // The administrator's password opens only the change-password screen, whatever address is typed.
  await franPage.getByLabel('Username').fill(fran.username);
  await franPage.getByLabel('Password', { exact: true }).fill(initialPassword);
  await franPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(franPage.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await franPage.goto(`${server.origin}/patients`);
  await expect(franPage.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await expect(franPage.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  // The server refuses it too (not only the screen).
  const refused = await franPage.request.get(`${server.origin}/api/patients?q=quill`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('password_change_required');
  await franPage.getByLabel('Current password').fill(initialPassword);
  await franPage.getByLabel('New password', { exact: true }).fill(initialPassword);
  await franPage.getByLabel('Confirm new password').fill(initialPassword);
  await franPage.getByRole('button', { name: 'Save password and continue' }).click();
  await expect(franPage.getByText('Choose a password different from the current one.')).toBeVisible();
  await franPage.getByLabel('New password', { exact: true }).fill(fran.password);
  await franPage.getByLabel('Confirm new password').fill(fran.password);
  await franPage.getByRole('button', { name: 'Save password and continue' }).click();
  await expect(franPage.getByTestId('signed-in-user')).toHaveText(fran.fullName);
  await page.reload();
  await expect(row).toContainText('Active');
  await expect(nav(franPage).getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(nav(franPage).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await expect(nav(franPage).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav(franPage).getByRole('link', { name: 'Audit report' })).toHaveCount(0);

  // A direct link to an admin screen explains instead of showing it.
  await franPage.goto(`${server.origin}/admin/users`);
  await expect(franPage.getByRole('heading', { name: 'Not available to you' })).toBeVisible();
  await context.close();
});

test('five wrong passwords lock the account; the admin unlocks it', async ({ browser }) => {
  const { context, page } = await secondContext(browser, adminContext);
  await page.goto(`${server.origin}/login`);
  for (let attempt = 1; attempt <= 4; attempt++) {
    await page.getByLabel('Username').fill(fran.username);
    await page.getByLabel('Password', { exact: true }).fill(`wrong-password-${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByRole('alert')).not.toContainText('locked');
  }
  await page.getByLabel('Password', { exact: true }).fill('wrong-password-5');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('This account is locked');

  // Even the right password is refused while locked.
  await page.getByLabel('Password', { exact: true }).fill(fran.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('locked');

  // The admin sees the lock and lifts it.
  await adminPage.reload();
  const row = adminPage.getByTestId(`user-row-${fran.username}`);
  await expect(row).toContainText('Locked until');
  await row.getByRole('button', { name: `Unlock ${fran.username}` }).click();
  await expect(adminPage.getByTestId('users-notice')).toContainText('is unlocked');
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button', { name: `Unlock ${fran.username}` })).toHaveCount(0);

  await page.getByLabel('Password', { exact: true }).fill(fran.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveText(fran.fullName);
  await context.close();
});

test('restricted record: break-glass with a reason for the admin, refusal for front desk', async ({
  browser,
}) => {
  const created = await adminPage.request.post(`${server.origin}/api/patients`, {
    headers: { Origin: server.origin },
    data: { legalFirstName: 'Robin', legalLastName: 'Quill', dateOfBirth: '1980-02-29', restricted: true },
  });
  expect(created.ok()).toBe(true);
  const patient = (await created.json()) as { id: string; mrn: string };

  await adminPage.goto(`${server.origin}/patients/${patient.id}`);
  const dialog = adminPage.getByRole('dialog', { name: 'Restricted record' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reason for emergency access').fill('too short');
  await dialog.getByRole('button', { name: 'Open the record' }).click();
  await expect(dialog.getByText('at least 10 characters').first()).toBeVisible();
  await dialog
    .getByLabel('Reason for emergency access')
    .fill('Patient collapsed in waiting room, need allergies');
  await dialog.getByRole('button', { name: 'Open the record' }).click();
  const banner = adminPage.getByTestId('patient-banner');
  await expect(banner).toContainText('Quill, Robin');
  await expect(banner).toContainText(patient.mrn);
  await expect(banner).toContainText(/\(\d+ y\)/);

  const { context, page } = await secondContext(browser, adminContext);
  await page.goto(`${server.origin}/login`);
  await signIn(page, fran.username, fran.password);
  await page.goto(`${server.origin}/patients/${patient.id}`);
  await expect(page.getByRole('alert')).toContainText('This record is restricted.');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await context.close();
});

test('the audit report shows it all, sorts, filters, verifies and exports CSV', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/admin/audit`);
  await expect(page).toHaveTitle('Audit report — Tessera');
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();

  for (const action of [
    'setup.complete',
    'auth.login',
    'auth.login_failed',
    'auth.lockout',
    'user.create',
    'user.unlock',
    'emergency.access',
    'access.denied',
  ]) {
    await expect(
      page.locator(`[data-testid="audit-row"][data-action="${action}"]`).first(),
      action,
    ).toBeVisible();
  }
  // Failures and emergency access stand out.
  await expect(page.locator('[data-action="auth.lockout"]').first()).toContainText('Failure');
  const emergency = page.locator('[data-action="emergency.access"]').first();
  await expect(emergency).toContainText('Emergency access');
  await expect(emergency).toContainText('Patient collapsed in waiting room, need allergies');
  await expect(page.locator('[data-action="access.denied"]').first()).toContainText('Denied');

  // Sorting by a column uses the server's sort and says so with aria-sort.
  const userHeader = page.getByRole('columnheader', { name: 'User' });
  await expect(userHeader).toHaveAttribute('aria-sort', 'none');
  await userHeader.getByRole('button').click();
  await expect(userHeader).toHaveAttribute('aria-sort', 'ascending');
  await userHeader.getByRole('button').click();
  await expect(userHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByRole('columnheader', { name: 'When' })).toHaveAttribute('aria-sort', 'none');

  // Filter by action: only failed sign-ins (five wrong passwords, the locked attempt, the admin's typo-free
  // run has none).
  await page.getByLabel('Action').selectOption('auth.login_failed');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(rows.first()).toHaveAttribute('data-action', 'auth.login_failed');
  const actions = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
  expect(new Set(actions)).toEqual(new Set(['auth.login_failed']));
  expect(actions.length).toBeGreaterThanOrEqual(6);
  await expect(page.getByTestId('audit-total')).toContainText(`of ${actions.length}`);

  // Filter by user (the admin can pick from the staff list).
  await page
    .getByLabel('User', { exact: true })
    .selectOption({ label: `${fran.username} — ${fran.fullName}` });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByTestId('audit-total')).toContainText(/of \d+/);
  for (const cell of await rows.locator('td:nth-child(2)').allTextContents())
    expect(cell).toBe(fran.username);

  // Verify the hash chain.
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Audit log intact');

  // Export the same filters as CSV.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tessera-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\n')[0]).toMatch(/action/i);
  expect(csv).toContain('auth.login_failed');
  expect(csv).toContain(fran.username);
  expect(csv).not.toContain('user.create');

  // Clearing the filters shows the export itself, audited.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.locator('[data-action="audit.export"]').first()).toBeVisible();
});

test('security settings save; the roles matrix shows MFA per role', async () => {
  const page = adminPage;
  await nav(page).getByRole('link', { name: 'Security' }).click();
  await expect(page.getByLabel('Idle time-out (minutes)')).toHaveValue('15');
  await page.getByLabel('Idle time-out (minutes)').fill('0');
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await expect(page.getByText('At least 1 minute.')).toBeVisible();
  await page.getByLabel('Idle time-out (minutes)').fill('20');
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await expect(page.getByTestId('security-saved')).toBeVisible();

  await nav(page).getByRole('link', { name: 'Roles' }).click();
  const clinicianMfa = page.getByLabel('MFA required for Clinician');
  await expect(page.getByLabel('MFA required for Administrator')).toBeChecked();
  await expect(clinicianMfa).not.toBeChecked();
  await clinicianMfa.check();
  await expect(page.getByText('MFA is now required for: Administrator, Clinician.')).toBeVisible();
  await expect(clinicianMfa).toBeChecked();

  // Turning MFA off for administrators asks first; dismissing keeps it on.
  const adminMfa = page.getByLabel('MFA required for Administrator');
  await adminMfa.uncheck();
  // The app's own dialog, whose buttons say what they do (not the browser's OK/Cancel).
  const ask = page.getByRole('dialog', { name: 'Turn off MFA for administrators?' });
  await expect(ask).toContainText('sign in with a password alone');
  await expect(ask.getByRole('button', { name: 'Turn off MFA' })).toBeVisible();
  await ask.getByRole('button', { name: 'Keep MFA required' }).click();
  await expect(page.getByText('Nothing changed: MFA stays required for that role.')).toBeVisible();
  await expect(adminMfa).toBeChecked();

  await nav(page).getByRole('link', { name: 'Security' }).click();
  await expect(page.getByLabel('Clinician')).toBeChecked();
  await expect(page.getByLabel('Idle time-out (minutes)')).toHaveValue('20');
});

test('admin screens have no serious accessibility problems', async () => {
  const page = adminPage;
  for (const [path, heading] of [
    ['/', 'Home'],
    ['/admin/users', 'Users'],
    ['/admin/roles', 'Roles'],
    ['/admin/security', 'Security'],
    ['/admin/audit', 'Audit report'],
  ] as const) {
    await page.goto(`${server.origin}${path}`);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Loading' })).toHaveCount(0);
    expect(await seriousA11yViolations(page), path).toEqual([]);
  }
  // The New user form and a dialog, too.
  await page.goto(`${server.origin}/admin/users`);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('button', { name: `Edit ${fran.username}` }).click();
  await expect(page.getByRole('dialog', { name: `Edit ${fran.username}` })).toBeVisible();
  expect(await seriousA11yViolations(page), 'users with dialog').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
