import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { seriousA11yViolations } from './support/app';
import { openClaimsClinic, type ClaimsApi } from './support/claims';
import type { TestServer } from './support/server';

/**
 * Eligibility on the screens a patient's insurance is read on (issue 9): the day's 270 is built (API), the
 * clearinghouse's 271 answer — written from the 270's trace — is read on Billing > Eligibility, and the
 * summary (active, plan, copay, deductible left) shows on the patient's insurance panel and in the check-in
 * dialog. When the answers cannot be read, the panel and the dialog still show the coverage on file, with a
 * sentence in the answer's place.
 */
test.describe.configure({ mode: 'serial' });

const fixture271 = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/claims/eligibility-active.271'), 'utf8');

let server: TestServer;
let context: BrowserContext;
let page: Page;
let api: ClaimsApi;
let patientId = '';
let day = '';

test.beforeAll(async ({ browser }) => {
  // Eligibility needs no diagnoses, no rendering provider and no service codes: only the payer, the
  // clearinghouse and a booked, insured patient.
  const clinic = await openClaimsClinic(browser, { timelyFilingDays: 365, icd10: false, renderingProvider: false, serviceCodes: [] });
  ({ server, context, page, api } = clinic);
  const { ids, timeZone } = clinic;
  patientId = ids.patient;
  const startsAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000).toISOString();
  await api('POST', '/api/appointments', {
    patientId: ids.patient,
    providerId: ids.provider,
    appointmentTypeId: ids.type,
    locationId: ids.location,
    startsAt,
    override: { reason: 'Visit for the eligibility test' },
  });
  day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(startsAt));
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

test('a 271 read on Billing > Eligibility shows on the insurance panel and in the check-in dialog', async () => {
  const built = await api('POST', '/api/eligibility/requests', { date: day });
  expect(built.inquiries).toBe(1);
  // The 271 echoes the 270's trace (TRN02): the check it answers.
  const trace = /TRN\*1\*([^*~]+)/.exec(built.content)![1]!;
  const answer = fixture271.replace('APPT-0001', trace).replace('TRN*2*APPT-0002', 'TRN*2*NOT-OURS-0002');
  await page.goto(`${server.origin}/billing/eligibility`);
  await page.getByLabel('271 file').setInputFiles({ name: 'answers.271', mimeType: 'text/plain', buffer: Buffer.from(answer) });
  await page.getByRole('button', { name: 'Read answers' }).click();
  await expect(page.getByText(/1 answer/)).toBeVisible();

  await page.goto(`${server.origin}/patients/${patientId}`);
  const coverages = page.getByTestId('coverages');
  const line = coverages.getByTestId('eligibility-line');
  await expect(line).toContainText('Active');
  for (const text of ['GOLD PPO 1500', 'Copay $25.00 (in network)', 'Deductible $1,240.50 left of $1,500.00', 'Co-insurance 20 %'])
    await expect(line).toContainText(text);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await coverages.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screens/claims-eligibility-panel.png' });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check-in board' }).click();
  const row = page.locator('tr', { hasText: 'Quill, Nora' });
  await row.getByRole('button', { name: 'Check in now: Quill, Nora' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check in Quill, Nora' });
  const answers = dialog.getByTestId('eligibility-answers');
  await expect(answers).toContainText('Acme Health Plan');
  await expect(answers).toContainText('Active');
  await expect(answers).toContainText('Copay $25.00 (in network)');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-eligibility-check-in.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('the check-in form does not move under the pointer when the eligibility answers arrive', async () => {
  // A slow answer: the confirmations must not be on screen (clickable) until it is in, or they jump when it
  // lands between them (a click aimed at one then misses it).
  await page.route('**/api/patients/*/eligibility', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 600));
    await route.continue();
  });
  // A fresh load, so nothing is cached from the test before.
  await page.goto(`${server.origin}/schedule/board`);
  await page.locator('tr', { hasText: 'Quill, Nora' }).getByRole('button', { name: 'Check in now: Quill, Nora' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check in Quill, Nora' });
  const demographics = dialog.getByLabel('I confirmed name, date of birth, address and phone with the patient');
  await expect(demographics).toBeVisible();
  // It has the focus: the desk ticks it with the space bar.
  await expect(demographics).toBeFocused();
  const first = await demographics.boundingBox();
  await expect(dialog.getByTestId('eligibility-answers')).toBeVisible();
  expect(await demographics.boundingBox()).toEqual(first);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.unroute('**/api/patients/*/eligibility');
});

test('when the answers cannot be read, the panel and the check-in dialog still show the coverage', async () => {
  await page.route('**/api/patients/*/eligibility', (route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Not now.' } }) }),
  );
  await page.goto(`${server.origin}/patients/${patientId}`);
  const coverages = page.getByTestId('coverages');
  await expect(coverages).toContainText('Acme Health Plan');
  await expect(coverages).toContainText('XJH123456789');
  await expect(coverages).toContainText('Could not be read');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check-in board' }).click();
  await page.locator('tr', { hasText: 'Quill, Nora' }).getByRole('button', { name: 'Check in now: Quill, Nora' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check in Quill, Nora' });
  await expect(dialog.getByText('Eligibility answers could not be read just now; the coverage above is what is on file.')).toBeVisible();
  await expect(dialog.getByLabel('I reviewed the insurance card (or self-pay) with the patient')).toBeVisible();
  await expect(dialog).toContainText('Coverage in effect on the visit date.');
  await page.unroute('**/api/patients/*/eligibility');
});
