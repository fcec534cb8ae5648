import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { apiCall, bookableProvider, seriousA11yViolations } from './support/app';
import { startServer, type TestServer } from './support/server';
import { adminWithStaff, bea, lee, signedInAs } from './support/staff';
import { pdfText } from '../integration/clinical/pdf-text';

/**
 * Billing documents and reports as a biller uses them: the A/R aging report and the daily close, the monthly
 * statement run with its progress, the patient's kept statement opened as a PDF, and a receipt PDF checked
 * for what the patient relies on. Screenshots at 1366x768 go to docs/screens for review.
 */
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let adminContext: BrowserContext;
let billerContext: BrowserContext;
let biller: Page;
let patientId = '';
let paymentId = '';

const api = (page: Page, method: 'POST' | 'PUT', path: string, data: unknown) =>
  apiCall(page, server, method, path, data);

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screens/${name}.png` });
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  // Bea bills; Dana Lee is a provider, whose license the biller types for superbills.
  const admin = await adminWithStaff(browser, server, [
    { ...bea, roles: ['biller'] },
    { ...lee, roles: ['clinician'] },
  ]);
  adminContext = admin.context;
  const adminPage = admin.page;
  const leeUser = admin.users[1]!;
  await bookableProvider(adminPage, server, leeUser.id);
  await api(adminPage, 'PUT', '/api/billing/document-settings', {
    addressLines: ['120 Harbor Street', 'Springfield, IL 62701'],
    phone: '(217) 555-0140',
    email: '',
    taxId: '37-1234567',
    npi: '',
    payInstructions: 'Pay at the front desk, or call us to pay by card over the phone.',
    payableTo: '',
    dueDays: 21,
    providerLicenses: [],
  });
  const patient = await api(adminPage, 'POST', '/api/patients', {
    legalFirstName: 'Marisol',
    legalLastName: 'Quintero',
    dateOfBirth: '1990-07-14',
  });
  patientId = patient.id;
  const other = await api(adminPage, 'POST', '/api/patients', {
    legalFirstName: 'Tomas',
    legalLastName: 'Okonkwo',
    dateOfBirth: '1979-03-02',
  });
  for (const [pid, serviceDate, amountCents, memo] of [
    [patientId, '2026-06-12', 15000, 'Psychotherapy, 45 minutes'],
    [patientId, '2026-09-09', 15000, 'Psychotherapy, 45 minutes'],
    [patientId, '2026-11-20', 3500, 'Missed appointment fee'],
    [other.id, '2026-10-02', 22000, 'Intake assessment'],
  ] as const) {
    await api(adminPage, 'POST', `/api/billing/accounts/${pid}/charges`, { amountCents, serviceDate, memo });
  }
  const paid = await api(adminPage, 'POST', `/api/billing/accounts/${patientId}/payments`, {
    amountCents: 5000,
    method: 'check',
    checkNumber: '2231',
  });
  paymentId = paid.entry?.id ?? paid.entries?.[0]?.id ?? paid.id;

  ({ context: billerContext, page: biller } = await signedInAs(browser, server, adminContext, bea));
});

test.afterAll(async () => {
  await billerContext?.close();
  await adminContext?.close();
  await server?.stop();
});

test('the biller reads the A/R aging and the daily close, and exports the aging as CSV', async () => {
  await nav(biller).getByRole('link', { name: 'Reports' }).click();
  await expect(biller.getByRole('heading', { name: 'Billing reports' })).toBeVisible();
  await expect(biller.getByText('Total A/R')).toBeVisible();
  const patients = biller.locator('table', { hasText: 'Patients, largest balance first' });
  await expect(patients.locator('tr', { hasText: 'Quintero, Marisol' })).toBeVisible();
  await expect(patients.locator('tr', { hasText: 'Okonkwo, Tomas' })).toContainText('$220.00');
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await shot(biller, 'billing-reports-aging');

  const download = biller.waitForEvent('download');
  await biller.getByRole('link', { name: 'Export CSV' }).click();
  const csv = await (await download).path();
  const text = await import('node:fs').then((fs) => fs.readFileSync(csv!, 'utf8'));
  expect(text).toContain('Quintero, Marisol');

  await biller.keyboard.press('2');
  await expect(biller.getByRole('tab', { name: /Daily close/ })).toHaveAttribute('aria-selected', 'true');
  await expect(biller.getByText('Checks for the deposit slip')).toBeVisible();
  await expect(biller.locator('tr', { hasText: '2231' })).toContainText('$50.00');
  await shot(biller, 'billing-reports-close');
});

test('the biller runs the statements with progress and opens a kept statement and a receipt', async () => {
  await nav(biller).getByRole('link', { name: 'Statements' }).click();
  await expect(biller.getByRole('heading', { name: 'Statements', exact: true })).toBeVisible();
  await biller.getByLabel('First day').fill('2026-01-01');
  await biller.getByLabel('Last day').fill('2026-12-31');
  await biller.getByRole('button', { name: 'Run statements' }).click();
  await expect(biller.getByRole('status').filter({ hasText: 'statements' })).toContainText(
    '2 of 2 statements — done',
  );

  await biller.getByTestId('patient-search-input').fill('Quintero');
  await biller.getByRole('option', { name: /Quintero, Marisol/ }).click();
  const docs = biller.getByTestId('patient-documents');
  await expect(docs).toContainText('Statement');
  await expect(docs).toContainText('$285.00');
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await shot(biller, 'billing-statements');

  const href = await docs.getByRole('link', { name: 'Open PDF' }).first().getAttribute('href');
  const statement = await biller.request.get(`${server.origin}${href}`);
  expect(statement.headers()['content-type']).toBe('application/pdf');
  const st = pdfText(await statement.body()).replace(/\x97/g, '—');
  expect(st).toContain('Quintero, Marisol');
  expect(st).toContain('Amount due from you');
  expect(st).toContain('$285.00');
  expect(st).toContain('Pay at the front desk, or call us to pay by card over the phone.');

  const receipt = await biller.request.get(
    `${server.origin}/api/billing/accounts/${patientId}/documents/preview?kind=receipt&paymentEntryId=${paymentId}`,
  );
  expect(receipt.status()).toBe(200);
  const rt = pdfText(await receipt.body());
  expect(rt).toContain('120 Harbor Street');
  expect(rt).toContain('Payment receipt');
  expect(rt).toContain('$50.00');
  expect(rt).toContain('Check #2231');
});

test('the biller types a provider’s license for superbills', async () => {
  await nav(biller).getByRole('link', { name: 'Statements' }).click();
  const form = biller.getByRole('form', { name: 'Provider licenses' });
  await form.getByLabel('Dana Lee').fill('IL LCPC 180.012345');
  await form.getByRole('button', { name: 'Save licenses' }).click();
  await expect(form.getByText('Saved. Superbills made from now on print these.')).toBeVisible();
  const settings = await (await biller.request.get(`${server.origin}/api/billing/document-settings`)).json();
  expect(settings.providerLicenses).toEqual([{ userId: expect.any(String), license: 'IL LCPC 180.012345' }]);
  // The clinic's other settings are untouched.
  expect(settings.taxId).toBe('37-1234567');
  expect(await seriousA11yViolations(biller)).toEqual([]);
});
