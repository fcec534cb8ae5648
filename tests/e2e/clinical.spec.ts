import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { pdfText } from '../integration/clinical/pdf-text';
import { cliEnv, runCli } from '../support/storage';
import { addStaff, admin, apiCall, completeSetup, launch, middayTimeZone, secondContext, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * A clinician's visit end to end. First, on the fresh workstation (Tessera ships no ICD-10-CM codes), the
 * chart and the note editor say an administrator must install the code set; the hand-written sample is
 * then installed with `tessera icd10 import --allow-partial`, as an administrator installs CDC's file.
 * Then today's roomed patient is opened from "My day", the visit's encounter is started, a SOAP note with
 * a coded diagnosis is written, the browser window is closed mid-typing and the note reopened (the draft
 * is intact), then signed, given an addendum and exported as a PDF.
 *
 * The clinic's set-up and the patient's way to "roomed" (booking, arrival, check-in, rooming) are done
 * through the API as the administrator: they are the scheduling area's screens, tested there.
 */
test.describe.configure({ mode: 'serial' });

const lee = { username: 'lee.md', fullName: 'Dr Lena Lee', password: 'Quiet-harbor-lantern-77' };

let server: TestServer;
let adminContext: BrowserContext;
let adminPage: Page;
let patientId: string;
/** A second patient, with no visit today, whose chart is opened before any code set is installed. */
let otherPatientId: string;

const sampleCodeSet = path.resolve(import.meta.dirname, '../fixtures/icd10cm-sample.txt');

/** The shared helper (support/app.ts) as the administrator's page. */
const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, data?: unknown) =>
  apiCall(adminPage, server, method, path, data);

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  const launched = await launch(browser, server);
  adminContext = launched.context;
  adminPage = launched.page;
  const { secret } = await completeSetup(launched.page, middayTimeZone());
  await signIn(launched.page, admin.username, admin.password, secret);

  const clinician = await addStaff(launched.page, server, {
    username: lee.username,
    fullName: lee.fullName,
    password: lee.password,
    roles: ['clinician'],
  });
  const location = await api('POST', '/api/scheduling/locations', {
    name: 'Main clinic',
    address: '1 River Rd',
  });
  const room = await api('POST', '/api/scheduling/rooms', { locationId: location.id, name: 'Exam 2' });
  const type = await api('POST', '/api/scheduling/appointment-types', {
    name: 'Follow-up',
    durationMinutes: 30,
    color: '#2f8a57',
  });
  const provider = await api('POST', '/api/scheduling/providers', {
    userId: clinician.id,
    credentials: 'MD',
    color: '#0b5cad',
  });
  const patient = await api('POST', '/api/patients', {
    legalFirstName: 'Nora',
    legalLastName: 'Quill',
    dateOfBirth: '1988-04-12',
  });
  patientId = patient.id;
  otherPatientId = (
    await api('POST', '/api/patients', {
      legalFirstName: 'Olin',
      legalLastName: 'Marsh',
      dateOfBirth: '1975-09-30',
    })
  ).id;
  // Now, to the minute: today whatever the hour; the override covers "in the past" and "outside hours".
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const booked = await api('POST', '/api/appointments', {
    patientId,
    providerId: provider.id,
    appointmentTypeId: type.id,
    locationId: location.id,
    startsAt: start,
    override: { reason: 'Same-day visit for the test' },
  });
  const id = booked.appointment.id;
  await api('POST', `/api/appointments/${id}/status`, { to: 'arrived' });
  await api('POST', `/api/appointments/${id}/status`, {
    to: 'checked_in',
    checkIn: { demographicsConfirmed: true, insuranceReviewed: true, copayDueCents: 0 },
  });
  await api('POST', `/api/appointments/${id}/status`, { to: 'roomed', roomId: room.id });
});

test.afterAll(async () => {
  await adminContext?.close();
  await server?.stop();
});

/** A fresh window on this workstation, signed in as Dr Lee. */
async function clinicianWindow(
  browser: Parameters<typeof secondContext>[0],
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await secondContext(browser, adminContext);
  await page.goto(server.origin);
  await signIn(page, lee.username, lee.password);
  return { context, page };
}

let noteUrl: string;

test('with no code set installed, the problem list and a note’s diagnoses say so and take diagnoses as text (uncoded); the CLI import makes codes searchable', async ({
  browser,
}) => {
  const { context, page } = await clinicianWindow(browser);
  await page.goto(`${server.origin}/patients/${otherPatientId}/chart`);
  const problems = page.getByTestId('chart-problems');
  await expect(problems.getByTestId('icd10-missing')).toContainText(
    'No ICD-10-CM code set is installed on this workstation',
  );
  await expect(problems.getByTestId('icd10-missing')).toContainText('Admin > Code sets');
  await expect(problems.getByRole('button', { name: 'Add problem' })).toBeVisible();
  // An expected state of a new workstation, not a failure.
  await expect(problems.getByRole('alert')).toHaveCount(0);
  expect(await seriousA11yViolations(page)).toEqual([]);
  // Adding a problem without a diagnosis says so next to the diagnosis field.
  await problems.getByRole('button', { name: 'Add problem' }).click();
  const add = page.getByRole('dialog', { name: 'Add a problem' });
  await add.getByRole('button', { name: 'Add to problem list' }).click();
  await expect(
    add.getByText('Search for the diagnosis and pick its code, or record it in words (uncoded).'),
  ).toBeVisible();
  await add.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Write note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByLabel('Template').selectOption({ label: 'SOAP note' });
  await dialog.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('icd10-missing')).toContainText('An administrator imports');
  await expect(page.getByTestId('icd10-missing')).toContainText('flagged “uncoded”');
  await expect(page.getByRole('combobox', { name: /^Diagnoses/ })).toHaveAttribute(
    'placeholder',
    'The diagnosis in words',
  );
  expect(await seriousA11yViolations(page)).toEqual([]);

  const installed = await runCli(
    [
      'icd10',
      'import',
      '--file',
      sampleCodeSet,
      '--release',
      'Test fixture',
      '--allow-partial',
      '--data-dir',
      server.dataDir,
    ],
    { env: cliEnv({ TESSERA_DB_KEY: server.dbKey }) },
  );
  expect(installed.code, installed.stderr).toBe(0);
  await page.reload();
  await expect(page.getByTestId('icd10-missing')).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: /^Diagnoses/ })).toBeVisible();
  await expect(page.getByText('ICD-10-CM Test fixture, partial: only 35 codes are installed.')).toBeVisible();
  await context.close();
});

test('a clinician opens today’s roomed patient and writes a SOAP note with a coded diagnosis; closing the window mid-typing loses nothing saved', async ({
  browser,
}) => {
  const first = await clinicianWindow(browser);
  const page = first.page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My day' }).click();
  const visits = page.getByTestId('my-visits');
  await expect(visits).toContainText('Quill, Nora');
  await expect(visits).toContainText('Roomed');
  // Check-in opened the visit's encounter: nothing to start, the chart is one click away.
  await expect(page.getByRole('button', { name: 'Start visit: Quill, Nora' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Open chart: Quill, Nora' }).click();

  await expect(page).toHaveURL(new RegExp(`/patients/${patientId}/chart$`));
  await expect(page.getByTestId('patient-banner')).toContainText('Quill');
  await expect(page.getByTestId(/^encounter-/)).toContainText('Dr Lena Lee');
  await expect(page.getByTestId(/^encounter-/)).toContainText('Main clinic');
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Write note' }).click();
  const dialog = page.getByRole('dialog', { name: 'New note' });
  await dialog.getByLabel('Template').selectOption({ label: 'SOAP note' });
  await expect(dialog.getByLabel('Visit')).not.toHaveValue('');
  await dialog.getByRole('button', { name: 'Start the note' }).click();
  await expect(page).toHaveURL(/\/notes\/[0-9a-f-]{36}$/);
  noteUrl = page.url();

  await page.getByLabel(/^Chief complaint/).fill('Worry and poor sleep for three months');
  await page
    .getByLabel(/^History of present illness/)
    .fill('Constant worry about work; falls asleep after 1 a.m.');
  const dx = page.getByRole('combobox', { name: /^Diagnoses/ });
  await dx.fill('generalized anx');
  await page.getByRole('option', { name: /F41\.1 Generalized anxiety disorder/ }).click();
  await expect(page.getByRole('list', { name: /Diagnoses.*chosen/ })).toContainText('F41.1');
  await page.getByLabel(/^Assessment \(required/).fill('Generalized anxiety disorder, moderate.');
  const plan = page.getByLabel(/^Plan \(required/);
  await plan.fill('Start CBT weekly; sleep hygiene handout.');
  await expect(page.getByTestId('save-state')).toContainText('All changes saved');
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Keep typing: this part is saved within two seconds without leaving the field…
  await plan.pressSequentially(' Recheck in two weeks.', { delay: 20 });
  await page.waitForTimeout(2600);
  // …and this part is still being typed when the window is closed.
  await plan.pressSequentially(' Also', { delay: 10 });
  await first.context.close();

  const second = await clinicianWindow(browser);
  await second.page.goto(noteUrl);
  await expect(second.page.getByLabel(/^Plan \(required/)).toHaveValue(
    /^Start CBT weekly; sleep hygiene handout\. Recheck in two weeks\./,
  );
  await expect(second.page.getByLabel(/^Chief complaint/)).toHaveValue(
    'Worry and poor sleep for three months',
  );
  await expect(second.page.getByRole('list', { name: /Diagnoses.*chosen/ })).toContainText(
    'F41.1 Generalized anxiety disorder',
  );
  await second.context.close();
});

test('the clinician signs the note, adds an addendum and exports the PDF with the clinic header', async ({
  browser,
}) => {
  const { context, page } = await clinicianWindow(browser);
  await page.goto(noteUrl);
  await page.getByRole('button', { name: 'Sign note' }).click();
  // Signing asks first, and shows what will be locked (and what is left empty).
  const confirm = page.getByRole('dialog', { name: 'Sign and lock this note?' });
  await expect(confirm.getByTestId('sign-locked')).toContainText('Subjective: Chief complaint');
  await expect(confirm.getByTestId('sign-locked')).toContainText('Plan: Plan');
  await expect(confirm.getByTestId('sign-empty')).toContainText('Objective: Examination and observations');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await confirm.getByRole('button', { name: 'Keep editing' }).click();
  await expect(confirm).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign note' }).click();
  await confirm.getByRole('button', { name: 'Sign and lock' }).click();
  await expect(page.getByTestId('note-status')).toHaveText('Signed');
  const signature = page.getByTestId('note-signature');
  await expect(signature).toContainText('Signed by Dr Lena Lee');
  await expect(signature).toContainText(/SHA-256 [0-9a-f]{64}/);
  await expect(signature).toContainText('Content matches signature');
  // Read-only now: the fields are gone, the values are shown.
  await expect(page.getByRole('textbox', { name: /^Plan/ })).toHaveCount(0);
  await expect(page.getByText('Recheck in two weeks.')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  await page.getByLabel('New addendum').fill('Late entry: patient called, sleep already better.');
  await page.getByRole('button', { name: 'Sign and add addendum' }).click();
  await expect(page.getByTestId('note-addenda')).toContainText(
    'Late entry: patient called, sleep already better.',
  );
  await expect(page.getByTestId('note-addenda')).toContainText('Addendum by Dr Lena Lee');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-pdf').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tessera-note-\d{8}-\d{6}-[0-9a-f]{4}\.pdf$/);
  const pdf = fs.readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = pdfText(pdf);
  expect(text).toContain(admin.clinicName);
  expect(text).toContain('F41.1');
  expect(text).toContain('Electronically signed by Dr Lena Lee');
  expect(text).toContain('Late entry: patient called, sleep already better.');
  await context.close();
});

test('the banner’s alerts and the chart’s Alerts panel are one list: record flags and clinical alerts alike', async ({
  browser,
}) => {
  const { context, page } = await clinicianWindow(browser);
  // A flag from the registration record (front desk's alert note) …
  await api('PATCH', `/api/patients/${otherPatientId}`, { alertNote: 'Prefers morning calls' });
  await page.goto(`${server.origin}/patients/${otherPatientId}/chart`);
  const banner = page.getByTestId('patient-alerts');
  const panel = page.getByTestId('chart-alerts');
  await expect(banner).toContainText('Prefers morning calls');
  await expect(panel).toContainText('Prefers morning calls');
  await expect(panel).toContainText('From the registration record');

  // … and a clinical alert added in the chart: both lists show it at once, critical first.
  await panel.getByRole('button', { name: 'Add alert' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add an alert' });
  await dialog.getByLabel('Alert').fill('Fall risk');
  await dialog.getByLabel('Severity').selectOption('critical');
  await dialog.getByRole('button', { name: 'Add alert' }).click();
  await expect(banner.locator('li').first()).toHaveText('Critical: Fall risk');
  const bannerTexts = await banner.locator('li').allTextContents();
  expect(bannerTexts).toEqual(['Critical: Fall risk', 'Prefers morning calls']);
  await expect(panel.locator('.chart-list .badge')).toHaveText(bannerTexts);

  // Removing it in the chart removes it from the banner too.
  await panel.getByRole('button', { name: 'Remove alert: Fall risk' }).click();
  await expect(banner.locator('li')).toHaveText(['Prefers morning calls']);
  await expect(panel.locator('.chart-list .badge')).toHaveText(['Prefers morning calls']);
  await context.close();
});
