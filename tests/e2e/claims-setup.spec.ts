import { expect, test } from '@playwright/test';
import { admin, completeSetup, launch, middayTimeZone, seriousA11yViolations, signIn } from './support/app';
import { startServer, type TestServer } from './support/server';

/**
 * Billing > Set-up, the claims tabs, as an administrator: a payer added with a bad payer id refused on its
 * field, then saved and changed; the billing provider with a wrong NPI check digit and a 5-digit ZIP refused
 * next to those fields, then saved with a pay-to address; a rendering provider's NPI; the clearinghouse ids;
 * the insurance-by-payer report's empty state and CSV link; the eligibility page's refusals.
 * Screens at 1366x768 to docs/screens for review.
 */
let server: TestServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('claims set-up: payers, billing and rendering providers, clearinghouse', async ({ browser }) => {
  test.setTimeout(360_000);
  const { context, page } = await launch(browser, server);
  const { secret } = await completeSetup(page, middayTimeZone());
  await signIn(page, admin.username, admin.password, secret);
  await page.setViewportSize({ width: 1366, height: 768 });

  // Payers
  await page.goto(`${server.origin}/billing/setup?tab=payers`);
  await expect(page.getByText('No payers yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Add payer' }).click();
  const dialog = page.getByTestId('payer-dialog');
  await dialog.getByLabel('Payer name').fill('Acme Health Plan');
  await dialog.getByLabel('Clearinghouse', { exact: true }).fill('Office Ally');
  await dialog.getByLabel('Payer id').fill('60-054');
  await dialog.getByLabel('Enrolled for claims (837)').selectOption('enrolled');
  await dialog.getByLabel('Timely filing (days)').fill('1000');
  await dialog.getByRole('button', { name: 'Add payer' }).click();
  await expect(dialog.getByText('A payer id is letters and digits, as the clearinghouse lists it.')).toBeVisible();
  await expect(dialog.getByText('Enter whole days from 1 to 730, or leave it empty.')).toBeVisible();
  await dialog.getByLabel('Payer id').fill('60054');
  await dialog.getByLabel('Timely filing (days)').fill('365');
  await dialog.getByRole('button', { name: 'Add payer' }).click();
  await expect(page.getByText('Acme Health Plan added.')).toBeVisible();
  const payers = page.getByTestId('claim-payers');
  await expect(payers.getByRole('row', { name: /Acme Health Plan/ })).toContainText('60054');
  await expect(payers.getByRole('row', { name: /Acme Health Plan/ })).toContainText('365 days');
  // The same name again is refused on the name field (the server's answer).
  await page.getByRole('button', { name: 'Add payer' }).click();
  await dialog.getByLabel('Payer name').fill('acme health plan');
  await dialog.getByLabel('Clearinghouse', { exact: true }).fill('Office Ally');
  await dialog.getByLabel('Payer id').fill('99999');
  await dialog.getByRole('button', { name: 'Add payer' }).click();
  await expect(dialog.getByText('A payer with this name is already set up.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Change Acme Health Plan' }).click();
  await dialog.getByLabel('Enrolled for ERAs (835)').selectOption('pending');
  await dialog.getByRole('button', { name: 'Add another clearinghouse' }).click();
  await dialog.getByLabel('Clearinghouse', { exact: true }).nth(1).fill('Availity');
  await dialog.getByLabel('Payer id').nth(1).fill('ACME1');
  await dialog.getByRole('button', { name: 'Save payer' }).click();
  await expect(page.getByText('Acme Health Plan saved.')).toBeVisible();
  await expect(payers.getByRole('row', { name: /Acme Health Plan/ })).toContainText('ACME1');
  await expect(payers.getByRole('row', { name: /Acme Health Plan/ })).toContainText('Pending');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-setup-payers.png' });

  // Billing and pay-to provider
  await page.getByRole('tab', { name: /Providers/ }).click();
  const bp = page.getByRole('form', { name: 'Billing provider' });
  await expect(bp.getByText('No billing provider yet')).toBeVisible();
  await bp.getByLabel('Organisation name').fill('Harbor Counseling Group');
  await bp.getByLabel('NPI').fill('1234567890');
  await bp.getByLabel('Tax id (EIN)').fill('12-345678');
  await bp.getByLabel('Taxonomy').fill('101YM0800X');
  await bp.getByLabel('Street address').fill('100 Main St');
  await bp.getByLabel('City').fill('Springfield');
  await bp.getByLabel('State').fill('IL');
  await bp.getByLabel('ZIP code').fill('62701');
  await bp.getByLabel('Contact name').fill('Billing Office');
  await bp.getByLabel('Contact phone').fill('(555) 010-2000');
  await bp.getByRole('button', { name: 'Save billing provider' }).click();
  await expect(bp.getByText('This NPI’s check digit is wrong; compare it with the NPPES record.')).toBeVisible();
  await expect(bp.getByText('Enter the 9-digit tax id (EIN), like 12-3456789.')).toBeVisible();
  await expect(bp.getByText('The billing provider’s ZIP code needs all 9 digits (ZIP+4).')).toBeVisible();
  await bp.getByLabel('NPI').fill('1234567893');
  await bp.getByLabel('Tax id (EIN)').fill('12-3456789');
  await bp.getByLabel('ZIP code').fill('62701-1234');
  await bp.getByLabel('Payments go to a different address').check();
  await bp.getByRole('button', { name: 'Save billing provider' }).click();
  const payTo = bp.getByRole('group', { name: 'Pay-to address' });
  await expect(payTo.getByText('Enter the street address.')).toBeVisible();
  await payTo.getByLabel('Street address').fill('PO Box 55');
  await payTo.getByLabel('City').fill('Springfield');
  await payTo.getByLabel('State').fill('IL');
  await payTo.getByLabel('ZIP code').fill('62705');
  await bp.getByRole('button', { name: 'Save billing provider' }).click();
  await expect(bp.getByText('Billing provider saved. New claims carry it.')).toBeVisible();

  // Rendering provider (the administrator is the only staff member)
  const rp = page.getByTestId('rendering-providers').getByRole('form').first();
  await rp.getByLabel('NPI').fill('9876543210');
  await rp.getByLabel('Taxonomy').fill('103T00000X');
  await rp.getByRole('button', { name: /^Save/ }).click();
  await expect(rp.getByText('This NPI’s check digit is wrong; compare it with the NPPES record.')).toBeVisible();
  await rp.getByLabel('NPI').fill('9876543213');
  await rp.getByRole('button', { name: /^Save/ }).click();
  await expect(rp.getByText('Saved')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-setup-providers.png', fullPage: true });

  // What was saved is what the page shows after a reload.
  await page.reload();
  await expect(page.getByRole('form', { name: 'Billing provider' }).getByLabel('ZIP code').first()).toHaveValue('627011234');
  await expect(page.getByTestId('rendering-providers').getByLabel('NPI')).toHaveValue('9876543213');

  // Clearinghouse (on the payers tab)
  await page.getByRole('tab', { name: /Payers/ }).click();
  // This workstation is not connected to a central server: the tab says how batches leave instead.
  await expect(page.getByTestId('clearinghouse-connection')).toContainText('This workstation is not connected to a central server');
  const ch = page.getByRole('form', { name: 'Clearinghouse' });
  await ch.getByLabel('Clearinghouse name').fill('Office Ally');
  await ch.getByLabel('Your submitter id there').fill('TESSERA 01');
  await ch.getByLabel('Clearinghouse id').fill('OFFALLY');
  await ch.getByRole('button', { name: 'Save clearinghouse' }).click();
  await expect(ch.getByText('The submitter id is 2 to 15 letters and digits, as the clearinghouse assigned it.')).toBeVisible();
  await ch.getByLabel('Your submitter id there').fill('TESSERA01');
  await ch.getByRole('button', { name: 'Save clearinghouse' }).click();
  await expect(ch.getByText('Clearinghouse saved. The next batch carries these ids.')).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-setup-clearinghouse.png' });

  // Insurance A/R by payer: nothing owed yet; the CSV export is offered.
  await page.goto(`${server.origin}/billing/reports`);
  await page.getByRole('tab', { name: /Insurance by payer/ }).click();
  await expect(page.getByText('No claim has money open with a payer.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /\/api\/claims\/reports\/aging\/export\.csv\?asOf=/);

  // Eligibility: a day without appointments is refused with a sentence; a file that is not a 271 too.
  await page.goto(`${server.origin}/billing/eligibility`);
  await page.getByRole('button', { name: 'Build 270' }).click();
  await expect(page.getByText('There are no appointments that day.')).toBeVisible();
  await page.getByRole('button', { name: 'Read answers' }).click();
  await expect(page.getByText('Choose the 271 file the clearinghouse returned.')).toBeVisible();
  await page.getByLabel('271 file').setInputFiles({ name: 'x.271', mimeType: 'text/plain', buffer: Buffer.from('not an X12 file') });
  await page.getByRole('button', { name: 'Read answers' }).click();
  await expect(page.getByText(/This file holds no 271 eligibility answer/)).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.screenshot({ path: 'docs/screens/claims-eligibility.png' });
  await context.close();
});
