import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { addStaff, admin, completeSetup, launch, secondContext, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * The shared form layer as a person meets it: a server's field error appears under its field (not in a
 * banner far away), the browser-side check speaks the same sentences, a treatment plan's nested fields carry
 * their own errors, and a half-typed registration is not lost to a stray click.
 */
test.describe.configure({ mode: 'serial' });

const lee = { username: 'lee.md', fullName: 'Dr Lena Lee', password: 'Quiet-harbor-lantern-77' };

let server: TestServer;
let adminPage: Page;
let patientId: string;

async function api(request: APIRequestContext, method: 'POST', path: string, data: unknown) {
  const res = await request.fetch(`${server.origin}${path}`, {
    method,
    data,
    headers: { origin: server.origin, 'content-type': 'application/json' },
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as { id: string };
}

/** The field wrapper (label, control, hint, error) of the control labelled `label`. */
const fieldOf = (page: Page, label: string) =>
  page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const launched = await launch(browser, server);
  adminPage = launched.page;
  const { secret } = await completeSetup(adminPage);
  await signIn(adminPage, admin.username, admin.password, secret);
  await addStaff(adminPage, server, { ...lee, roles: ['clinician'] });
  patientId = (
    await api(adminPage.request, 'POST', '/api/patients', {
      legalFirstName: 'Nora',
      legalLastName: 'Quill',
      dateOfBirth: '1988-04-12',
    })
  ).id;
});

test.afterAll(async () => {
  await server?.stop();
});

test('a server field error shows under its field, with no banner repeating it', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/admin/users`);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Full name').fill('Someone Else');
  await page.getByLabel('Initial password').fill('Another-long-passphrase-42');
  await page.getByLabel('Front desk').check();
  await page.getByRole('button', { name: 'Create user' }).click();

  const username = fieldOf(page, 'Username');
  await expect(username.locator('.field-error')).toHaveText('That username is taken.');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'That username is taken.' })).toHaveCount(0);
});

test('the browser-side check speaks in sentences, never in zod’s words', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/patients/new`);
  await page.getByLabel('Legal first name').fill('x'.repeat(120));
  await page.getByRole('button', { name: 'Register patient' }).click();
  const first = fieldOf(page, 'Legal first name').locator('.field-error');
  await expect(first).toBeVisible();
  await expect(first).not.toContainText(/expected|Too big|Invalid/);
  await expect(fieldOf(page, 'Date of birth').locator('.field-error')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(/Invalid input|Too big|expected string/);
});

test('a half-typed registration asks before a link takes the person away', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/patients/new`);
  await page.getByLabel('Legal last name').fill('Halfway');
  await page.getByRole('navigation').getByRole('link', { name: 'Patients', exact: true }).click();
  // The app's own dialog, whose buttons say what they do.
  const ask = page.getByRole('dialog', { name: 'Leave this page?' });
  await expect(ask).toContainText('not saved');
  await ask.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(ask).toHaveCount(0);
  await expect(page).toHaveURL(/\/patients\/new$/);
  await expect(page.getByLabel('Legal last name')).toHaveValue('Halfway');
  // Leaving is one more click, to where the link pointed.
  await page.getByRole('navigation').getByRole('link', { name: 'Patients', exact: true }).click();
  await ask.getByRole('button', { name: 'Leave page' }).click();
  await expect(page).toHaveURL(/\/patients$/);
});

test('a treatment plan’s nested fields carry their own errors, and a valid plan saves', async ({
  browser,
}) => {
  const { context, page } = await secondContext(browser, adminPage.context());
  await page.goto(`${server.origin}/login`);
  await signIn(page, lee.username, lee.password);
  await page.goto(`${server.origin}/patients/${patientId}/treatment-plans/new`);
  await page.getByLabel('Problem', { exact: true }).fill('Generalised anxiety');
  await page.getByLabel('Goal 1').fill('Fewer panic episodes');
  await page.getByLabel('Objective 1.1').fill('Use breathing exercise daily');
  await page.getByRole('button', { name: 'Save draft' }).click();

  const measure = fieldOf(page, 'Measured by').locator('.field-error');
  await expect(measure).toHaveText('Write the measure.');
  await expect(page).toHaveURL(/treatment-plans\/new$/);

  await page.getByLabel('Measured by').fill('GAD-7 below 10');
  await page.getByRole('button', { name: 'Add intervention' }).click();
  await page.getByLabel('Intervention 1').fill('CBT session');
  await page.getByLabel('How often').fill('Weekly');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page).toHaveURL(/\/treatment-plans\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel('Measured by')).toHaveValue('GAD-7 below 10');
  await expect(page.getByLabel('Intervention 1')).toHaveValue('CBT session');

  await page.getByRole('button', { name: 'Sign as clinician' }).click();
  await expect(page.getByText('Plan signed. It is now the active plan.')).toBeVisible();
  await expect(page.getByText('Objective: Use breathing exercise daily')).toBeVisible();
  await context.close();
});

test('merging a duplicate asks why, with the sentence under its field, then merges', async () => {
  const page = adminPage;
  await api(page.request, 'POST', '/api/patients', {
    legalFirstName: 'Norrah',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
    confirmedNotDuplicate: true,
  });
  await page.goto(`${server.origin}/patients/${patientId}`);
  await page.getByRole('button', { name: 'Merge a duplicate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge a duplicate into this record' });
  await dialog.getByLabel('Find the duplicate record').fill('Norrah');
  await dialog.getByRole('option').filter({ hasText: 'Norrah' }).click();
  const reason = dialog.getByLabel('Why are these the same person?');
  await reason.fill('same');
  await dialog.getByRole('button', { name: 'Merge records' }).click();
  await expect(dialog.locator('.field-error')).toHaveText(
    'Say why these records are the same person (at least 10 characters).',
  );
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await reason.fill('Registered twice at the front desk, same phone and birth date.');
  await dialog.getByRole('button', { name: 'Merge records' }).click();
  await expect(page.getByText(/^Merged MRN \d+ into this record/)).toBeVisible();
});
