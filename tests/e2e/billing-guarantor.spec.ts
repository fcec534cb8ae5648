import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { apiCall, middayTimeZone, seriousA11yViolations } from './support/app';
import { startServer, type TestServer } from './support/server';
import { adminWithStaff, bea, signedInAs } from './support/staff';
import { pdfText } from '../integration/clinical/pdf-text';

/**
 * Guarantor accounts on the account screen: a parent responsible for two children; the biller opens one
 * child's account and sees the guarantor, whom statements go to, and the family account with what each
 * child owes and the total, and moves to the sibling's account from it; makes the guarantor's family
 * statement from the family account and reads it back; runs the statements per guarantor. Screenshots at
 * 1366x768.
 */
test.describe.configure({ mode: 'serial' });

let server: TestServer;
let adminContext: BrowserContext;
let billerContext: BrowserContext;
let biller: Page;
let zone: string;
const kids: Record<string, string> = {};

test.beforeAll(async ({ browser }) => {
  server = await startServer();
  zone = middayTimeZone();
  const admin = await adminWithStaff(browser, server, [{ ...bea, roles: ['biller'] }], zone);
  adminContext = admin.context;
  const adminPage = admin.page;
  const api = (method: 'POST' | 'PUT', path: string, data: unknown) =>
    apiCall(adminPage, server, method, path, data);
  for (const [first, dob, charges] of [
    ['Ana', '2014-05-02', [12_000, 4_000]],
    ['Leo', '2017-11-20', [4_500]],
  ] as const) {
    const p = await api('POST', '/api/patients', {
      legalFirstName: first,
      legalLastName: 'Lopez',
      dateOfBirth: dob,
      addressLine1: '12 Elm St',
      city: 'Chicago',
      state: 'IL',
      postalCode: '60601',
      confirmedNotDuplicate: true,
    });
    kids[first] = p.id;
    await api('PUT', `/api/patients/${p.id}/guarantor`, {
      relationship: 'parent',
      firstName: 'Maria',
      lastName: 'Lopez',
      dateOfBirth: '1980-04-12',
      phone: '(312) 555-0142',
      sameAddressAsPatient: true,
    });
    for (const amountCents of charges)
      await api('POST', `/api/billing/accounts/${p.id}/charges`, {
        amountCents,
        serviceDate: '2026-02-09',
        memo: 'Office visit',
      });
  }
  ({ context: billerContext, page: biller } = await signedInAs(browser, server, adminContext, bea));
});

test.afterAll(async () => {
  await billerContext?.close();
  await adminContext?.close();
  await server?.stop();
});

test('the account shows the guarantor, whom statements go to, and the family account', async () => {
  await biller.goto(`${server.origin}/billing/accounts/${kids.Ana}`);
  await expect(biller.getByTestId('patient-banner')).toContainText('Lopez, Ana');
  const g = biller.getByTestId('account-guarantor');
  await expect(g.getByRole('region', { name: 'Guarantor' })).toContainText('Maria Lopez');
  await expect(g.getByRole('region', { name: 'Guarantor' })).toContainText('Parent');
  await expect(g).toContainText('Statements go to Lopez, Maria, 12 Elm St, Chicago, IL 60601.');
  const family = g.getByTestId('family-account');
  await expect(family.locator('tbody tr')).toHaveCount(2);
  await expect(family.locator('tbody tr').nth(0)).toContainText('Lopez, Ana');
  await expect(family.locator('tbody tr').nth(0)).toContainText('$160.00');
  await expect(family.locator('tbody tr').nth(1)).toContainText('Lopez, Leo');
  await expect(family.locator('tbody tr').nth(1)).toContainText('$45.00');
  await expect(family.locator('tfoot')).toContainText('$205.00');
  // No central here: the cards on file say why there are none to show.
  await expect(biller.getByRole('region', { name: 'Cards on file' })).toBeVisible();
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await biller.screenshot({ path: 'docs/screens/billing-account-guarantor.png' });

  await family.getByRole('link', { name: 'Lopez, Leo' }).click();
  await expect(biller.getByTestId('patient-banner')).toContainText('Lopez, Leo');
  await expect(biller.getByTestId('balance-patient')).toHaveText('$45.00');
  await expect(biller.getByTestId('family-account').locator('tbody tr').nth(0)).toContainText('Lopez, Leo');
});

/** The clinic's today: the charges above were posted today, so the statements cover this month. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());

test('the family account makes one statement for both children, kept in each account', async () => {
  await biller.goto(`${server.origin}/billing/accounts/${kids.Ana}`);
  const g = biller.getByTestId('account-guarantor');
  const form = g.getByRole('form', { name: 'Family statement' });
  await form.getByLabel('From').fill(`${today().slice(0, 7)}-01`);
  await form.getByLabel('to', { exact: true }).fill('2020-01-01');
  await form.getByRole('button', { name: 'Family statement' }).click();
  await expect(form).toContainText('The end date must not be before the start date.');
  await form.getByLabel('to', { exact: true }).fill(today());
  await form.getByRole('button', { name: 'Family statement' }).click();
  const made = form.getByRole('status');
  await expect(made).toHaveText('Family statement of $205.00 kept in the documents of 2 accounts. Open PDF');
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await biller.screenshot({ path: 'docs/screens/billing-family-statement.png' });

  const href = await made.getByRole('link', { name: 'Open PDF' }).getAttribute('href');
  const pdf = await biller.request.get(`${server.origin}${href}`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const text = pdfText(await pdf.body()).replace(/\x97/g, '—');
  expect(text).toContain('Amount due for the family');
  expect(text).toContain('$205.00');
  expect(text).toContain('Lopez, Ana — account');
  expect(text).toContain('Lopez, Leo — account');
  expect(text).toContain('Family total');
  expect(text).toContain('How to pay');

  // The same statement is in Leo's documents.
  const leoDocs = await (
    await biller.request.get(`${server.origin}/api/billing/accounts/${kids.Leo}/documents`)
  ).json();
  expect(
    leoDocs.documents.map((d: { kind: string; amountCents: number }) => [d.kind, d.amountCents]),
  ).toEqual([['family_statement', 20_500]]);
});

test('the statement run per guarantor bills the family once', async () => {
  await biller.goto(`${server.origin}/billing/statements`);
  await biller.getByLabel('First day').fill(`${today().slice(0, 7)}-01`);
  await biller.getByLabel('Last day').fill(today());
  await biller.getByLabel('One statement per').selectOption('guarantor');
  await biller.getByRole('button', { name: 'Run statements' }).click();
  await expect(biller.getByRole('status').filter({ hasText: 'statements' })).toContainText(
    '1 of 1 statements — done',
  );
  await biller.getByTestId('patient-search-input').fill('Lopez');
  await biller.getByRole('option', { name: /Lopez, Leo/ }).click();
  const docs = biller.getByTestId('patient-documents');
  await expect(docs.locator('tbody tr')).toHaveCount(2);
  await expect(docs.locator('tbody tr').first()).toContainText('Family statement');
  await expect(docs.locator('tbody tr').first()).toContainText('$205.00');
});

test('a family payment is split across the children’s accounts, the amounts checked next to them', async () => {
  await biller.goto(`${server.origin}/billing/accounts/${kids.Ana}`);
  const g = biller.getByTestId('account-guarantor');
  await g.getByRole('button', { name: 'Family payment…' }).click();
  const dialog = biller.getByTestId('family-payment-dialog');
  await expect(dialog).toContainText('The family owes $205.00 across 2 accounts.');
  await dialog.getByLabel('Amount ($)').fill('100.00');
  await dialog.getByLabel('Method').selectOption('check');
  await dialog.getByLabel('Split').selectOption('explicit');
  await dialog.getByLabel(/Lopez, Ana/).fill('50.00');
  await dialog.getByLabel(/Lopez, Leo/).fill('40.00');
  await dialog.getByRole('button', { name: 'Post family payment' }).click();
  await expect(dialog.getByLabel('Check number')).toHaveAccessibleDescription(/Enter the check number/);
  await expect(dialog).toContainText(
    'The amounts for the accounts add up to $90.00; the payment is $100.00.',
  );
  await dialog.getByLabel('Check number').fill('5150');
  // The sentence follows the amounts as they are typed, and goes as soon as they add up (before a submit).
  await dialog.getByLabel(/Lopez, Leo/).fill('45.00');
  await expect(dialog).toContainText(
    'The amounts for the accounts add up to $95.00; the payment is $100.00.',
  );
  await dialog.getByLabel(/Lopez, Leo/).fill('50.00');
  await expect(dialog).not.toContainText('The amounts for the accounts add up to');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  expect(await seriousA11yViolations(biller)).toEqual([]);
  await biller.screenshot({ path: 'docs/screens/billing-family-payment.png' });
  await dialog.getByRole('button', { name: 'Post family payment' }).click();
  await expect(dialog).toBeHidden();
  await expect(g.getByTestId('family-payment-made')).toHaveText(
    'Family payment of $100.00 posted: Lopez, Ana $50.00, Lopez, Leo $50.00.',
  );
  // Both ledgers moved: Ana owes $110.00, Leo has $5.00 credit; the family owes $105.00.
  const family = g.getByTestId('family-account');
  await expect(family.locator('tbody tr').nth(0)).toContainText('$110.00');
  await expect(family.locator('tfoot')).toContainText('$105.00');
  await expect(biller.getByTestId('balance-patient')).toHaveText('$110.00');
  await family.getByRole('link', { name: 'Lopez, Leo' }).click();
  await expect(biller.getByTestId('patient-banner')).toContainText('Lopez, Leo');
  await expect(biller.locator('tbody tr', { hasText: 'Check · #5150 · Family payment' })).toContainText(
    '$50.00',
  );
});
