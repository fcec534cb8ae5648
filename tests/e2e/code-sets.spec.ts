import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { cdcCodesFile } from '../fixtures/icd10cm';
import { addStaff, admin, completeSetup, launch, secondContext, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * A clinician can sign a SOAP note on a fresh install. First, with no code set (Tessera ships none), the
 * diagnosis is recorded in words, flagged uncoded, and the note signs; the problem list shows it as an
 * uncoded problem. Then the administrator imports CDC's real FY2026 codes file under Admin > Code sets
 * (read from ../shared/data; the browser uploads it with a progress bar), the uncoded problem is coded
 * with one pick, and a second SOAP note is signed with a coded diagnosis.
 */
test.describe.configure({ mode: 'serial' });

const lee = { username: 'lee.md', fullName: 'Dr Lena Lee', password: 'Quiet-harbor-lantern-77' };

let server: TestServer;
let adminContext: BrowserContext;
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

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const launched = await launch(browser, server);
  adminContext = launched.context;
  adminPage = launched.page;
  const { secret } = await completeSetup(adminPage);
  await signIn(adminPage, admin.username, admin.password, secret);
  await addStaff(adminPage, server, {
    username: lee.username,
    fullName: lee.fullName,
    password: lee.password,
    roles: ['clinician'],
  });
  patientId = (
    await api(adminPage.request, 'POST', '/api/patients', {
      legalFirstName: 'Nora',
      legalLastName: 'Quill',
      dateOfBirth: '1988-04-12',
    })
  ).id;
});

test.afterAll(async () => {
  await adminContext?.close();
  await server?.stop();
});

async function clinicianWindow(browser: Parameters<typeof secondContext>[0]) {
  const { context, page } = await secondContext(browser, adminContext);
  await page.goto(server.origin);
  await signIn(page, lee.username, lee.password);
  return { context, page };
}

/** Starts a SOAP note from the chart and fills its required text fields. */
async function startSoapNote(page: Page) {
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  await page.getByRole('button', { name: 'Write note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByLabel('Template').selectOption({ label: 'SOAP note' });
  await dialog.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
  await page.getByLabel(/^Chief complaint/).fill('Worry and poor sleep for three months');
  await page.getByLabel(/^Assessment \(required/).fill('Generalized anxiety, moderate.');
  await page.getByLabel(/^Plan \(required/).fill('Start CBT weekly; sleep hygiene handout.');
}

async function sign(page: Page) {
  await expect(page.getByTestId('save-state')).toContainText('All changes saved');
  await page.getByRole('button', { name: 'Sign note' }).click();
  // Signing may ask for confirmation first (what will be locked); confirm when it does.
  const confirm = page.getByRole('dialog').getByRole('button', { name: /^Sign/ });
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await expect(page.getByTestId('note-status')).toHaveText('Signed');
}

test('on a fresh install a SOAP note signs with its diagnosis recorded as text, flagged uncoded', async ({
  browser,
}) => {
  const { context, page } = await clinicianWindow(browser);
  await startSoapNote(page);
  await expect(page.getByTestId('icd10-missing')).toContainText('No ICD-10-CM code set is installed');
  await page.getByRole('combobox', { name: /^Diagnoses/ }).fill('Generalized anxiety, worse at night');
  await page.getByRole('button', { name: 'Add as uncoded diagnosis' }).click();
  await expect(page.getByRole('list', { name: /Diagnoses.*chosen/ })).toContainText(
    'Uncoded Generalized anxiety, worse at night',
  );
  expect(await seriousA11yViolations(page)).toEqual([]);
  await sign(page);
  await expect(page.getByText('Generalized anxiety, worse at night')).toBeVisible();

  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  const uncoded = page.getByTestId('chart-problems').getByTestId('problem-uncoded');
  await expect(uncoded).toContainText('Uncoded');
  await expect(uncoded).toContainText('Generalized anxiety, worse at night');
  // No code set yet: nothing to pick from.
  await expect(uncoded.getByRole('button', { name: 'Pick code' })).toHaveCount(0);
  await context.close();
});

test('Admin > Code sets imports CDC’s FY2026 file with progress; the release and its 74,719 codes show', async () => {
  const page = adminPage;
  await page.goto(`${server.origin}/admin`);
  await page.locator('#main').getByRole('link', { name: 'Code sets' }).click();
  await expect(page.getByTestId('codeset-none')).toContainText('No ICD-10-CM code set is installed yet');

  // Nothing chosen: the message sits next to the field.
  await page.getByRole('button', { name: 'Import code set' }).click();
  await expect(page.getByText('Choose the codes file (icd10cm-codes-<year>.txt).')).toBeVisible();

  await page.getByLabel('Codes file').setInputFiles(cdcCodesFile);
  await expect(page.getByLabel('Release name')).toHaveValue('FY2026');
  await page.getByLabel('Release name').fill('FY2026 (October 1, 2025)');
  await page.getByRole('button', { name: 'Import code set' }).click();
  await expect(page.getByTestId('codeset-progress')).toBeVisible();
  await expect(page.getByTestId('codeset-progress')).toContainText(/Uploading|Reading codes|Installing/);
  await page.screenshot({ path: test.info().outputPath('code-sets-progress.png') });
  await expect(page.getByTestId('codeset-imported')).toContainText(
    'Installed ICD-10-CM FY2026 (October 1, 2025): 74,719 codes.',
    { timeout: 60_000 },
  );
  const current = page.getByTestId('codeset-current');
  await expect(current).toContainText('FY2026 (October 1, 2025)');
  await expect(current).toContainText('74,719');
  await expect(current).toContainText('imported on this workstation');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('code-sets.png') });
});

test('the uncoded problem is coded with one pick, and a new SOAP note signs with a coded diagnosis', async ({
  browser,
}) => {
  const { context, page } = await clinicianWindow(browser);
  await page.goto(`${server.origin}/patients/${patientId}/chart`);
  const problems = page.getByTestId('chart-problems');
  await problems.getByTestId('problem-uncoded').getByRole('button', { name: 'Pick code' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pick a code' });
  await dialog.getByRole('combobox', { name: 'ICD-10-CM code' }).fill('generalized anx');
  await dialog.getByRole('option', { name: /F41\.1 Generalized anxiety disorder/ }).click();
  await expect(dialog).toHaveCount(0);
  await expect(problems.getByTestId('problem-F41.1')).toContainText('Generalized anxiety disorder');
  await expect(problems.getByTestId('problem-F41.1')).toContainText(
    'recorded as “Generalized anxiety, worse at night”',
  );

  await startSoapNote(page);
  await page.getByRole('combobox', { name: /^Diagnoses/ }).fill('F43.1');
  await page.getByRole('option', { name: /F43\.10 Post-traumatic stress disorder, unspecified/ }).click();
  await expect(page.getByRole('list', { name: /Diagnoses.*chosen/ })).toContainText('F43.10');
  await sign(page);
  await expect(page.getByText('Post-traumatic stress disorder, unspecified')).toBeVisible();
  await context.close();
});
